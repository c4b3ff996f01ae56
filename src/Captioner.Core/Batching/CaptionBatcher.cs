using Captioner.Core;
using Captioner.Core.Decoding;
using Captioner.Core.Models;

namespace Captioner.Core.Batching;

/// <summary>
/// The process-wide caption decoder for concurrent features messages: those waiting with the same
/// decoding settings share one batched step loop (greedy, sampling or beam) on one model version.
/// Seeded sampling runs alone, so its caption depends only on its seed.
/// </summary>
public sealed class CaptionBatcher : IAsyncDisposable
{
    private readonly ModelRegistry _models;
    private readonly DynamicBatcher<DecodeRequest, DecodeOutcome> _batcher;

    public CaptionBatcher(ModelRegistry models, BatchSettings settings, TimeProvider? time = null)
    {
        _models = models;
        Settings = settings;
        _batcher = new DynamicBatcher<DecodeRequest, DecodeOutcome>("decoder", settings, (requests, _) => Task.FromResult<IReadOnlyList<DecodeOutcome>>(Decode(requests)), BatchKey, time);
    }

    /// <summary>The batch size and delay in use.</summary>
    public BatchSettings Settings { get; }

    /// <summary>Decodes one image's caption with the model being served.</summary>
    public Task<DecodeOutcome> DecodeAsync(DecodeRequest request, CancellationToken cancellationToken = default) => _batcher.SubmitAsync(request, cancellationToken);

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();

    private static float[] PooledOf(IReadOnlyList<DecodeRequest> requests, List<int> ready)
    {
        var pooled = new float[ready.Count * Features.EncoderIdentity.FeatureSize];
        for (var r = 0; r < ready.Count; r++)
        {
            requests[ready[r]].Features.AsSpan(0, Features.EncoderIdentity.FeatureSize).CopyTo(pooled.AsSpan(r * Features.EncoderIdentity.FeatureSize));
        }

        return pooled;
    }

    private static object BatchKey(DecodeRequest request) =>
        request.Options is { Mode: DecodingMode.Sample, Seed: not null } ? new object() : request.Options;

    private DecodeOutcome[] Decode(IReadOnlyList<DecodeRequest> requests)
    {
        using var lease = _models.Acquire();
        var model = lease.Model;
        var decoder = model.Decoder;
        var outcomes = new DecodeOutcome[requests.Count];
        var ready = new List<int>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (request.Encoder != model.Manifest.Encoder.Name)
            {
                outcomes[i] = DecodeOutcome.Failed(model.Version, FailureReason.EncoderMismatch, $"Features come from encoder '{request.Encoder}'; model {model.Version} needs '{model.Manifest.Encoder.Name}'.");
            }
            else if (decoder.UsesMap && request.Map is null)
            {
                outcomes[i] = DecodeOutcome.Failed(model.Version, FailureReason.EncoderMismatch, $"The features message carries no region map; attention model {model.Version} needs one. Caption the image again (bulk with force).");
            }
            else
            {
                ready.Add(i);
            }
        }

        var width = decoder.InputWidth;
        var inputs = new float[ready.Count * width];
        for (var r = 0; r < ready.Count; r++)
        {
            var request = requests[ready[r]];
            (decoder.UsesMap ? request.Map! : request.Features).AsSpan(0, width).CopyTo(inputs.AsSpan(r * width));
        }

        var captions = ready.Count == 0 ? [] : decoder.Decode(inputs, ready.Count, requests[ready[0]].Options);

        // Scored here, on the model that made the captions (a swap in between cannot mix versions), the batch in one pass.
        var assessments = model.Assessor is { } assessor && ready.Count > 0 ? assessor.AssessAll(PooledOf(requests, ready), captions) : null;
        for (var r = 0; r < ready.Count; r++)
        {
            outcomes[ready[r]] = new DecodeOutcome(model.Version, captions[r], null, null) { Assessment = assessments?[r] };
        }

        return outcomes;
    }
}
