namespace Captioner.Training.Export;

/// <summary>
/// The ensemble's state row: each member's LSTM state side by side, then the image-only values moved out of the members'
/// steps (<see cref="StepInvariants"/>), carried unchanged from step to step. The hidden and cell rows are equally wide,
/// as the runtime expects: the cell row's share of the carried width is zeros.
/// </summary>
internal sealed record EnsembleState(int[] Hidden, IReadOnlyList<StepInvariants> Invariants)
{
    /// <summary>The carried values in order, with the member each belongs to.</summary>
    public IReadOnlyList<(int Member, string Name, int Width)> Carried =>
        [.. Invariants.SelectMany((invariants, m) => invariants.Values.Select(v => (m, v.Name, v.Width)))];

    public int CarriedWidth => Invariants.Sum(i => i.Width);

    /// <summary>The state width the runtime sees (the manifest's hidden size).</summary>
    public int Width => Hidden.Sum() + CarriedWidth;
}
