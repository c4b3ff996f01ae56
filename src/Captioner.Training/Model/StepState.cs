using static TorchSharp.torch;

namespace Captioner.Training.Model;

/// <summary>
/// A decoder's state for a batch of rows: the LSTM state, and for attention decoders the per-row
/// standardised map and its projection (constant over the steps).
/// </summary>
internal sealed record StepState(Tensor Hidden, Tensor Cell, Tensor? Map = null, Tensor? Projection = null)
{
    /// <summary>The rows <paramref name="index"/> (int64), e.g. each image repeated once per caption.</summary>
    public StepState Rows(Tensor index) =>
        new(Hidden.index_select(0, index), Cell.index_select(0, index), Map?.index_select(0, index), Projection?.index_select(0, index));

    /// <summary>The first <paramref name="rows"/> rows (a view).</summary>
    public StepState First(long rows) => rows == Hidden.shape[0]
        ? this
        : new(Hidden.narrow(0, 0, rows), Cell.narrow(0, 0, rows), Map?.narrow(0, 0, rows), Projection?.narrow(0, 0, rows));

    /// <summary>The next LSTM state with the same map.</summary>
    public StepState With(Tensor hidden, Tensor cell) => this with { Hidden = hidden, Cell = cell };
}
