using Captioner.Core.Batching;
using Captioner.Core;
using System.Diagnostics;
using Captioner.Core.Decoding;
using Captioner.Core.Features;
using Captioner.Core.Messages;
using Captioner.Core.Models;
using Captioner.Core.Resilience;
using Captioner.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace Captioner.Core.Pipeline;

/// <summary>
/// The second stage: features in, caption out. Decodes with the model being served and writes the
/// image's result (first result for the content wins). A message that cannot be read is moved to
/// the poison queue with its error instead of being retried.
/// </summary>
public sealed class CaptionHandler
{
    private readonly StorageClients _storage;
    private readonly ModelRegistry _models;
    private readonly CaptionBatcher _decoder;
    private readonly ResultStore _results;
    private readonly PipelineOptions _options;
    private readonly PoisonMessages _poison;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _resilience = StorageResilience.Create();

    // How long work waits for the first model of a starting host before its delivery fails.
    private static readonly TimeSpan ModelPatience = TimeSpan.FromMinutes(1);

    public CaptionHandler(StorageClients storage, ModelRegistry models, CaptionBatcher decoder, ResultStore results, PoisonMessages poison, IOptions<PipelineOptions> options, ILogger<CaptionHandler> logger)
    {
        _poison = poison;
        ArgumentNullException.ThrowIfNull(options);
        _storage = storage;
        _models = models;
        _decoder = decoder;
        _results = results;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Captions one <c>features</c> message; returns the result written (or found), or null for an unreadable message.</summary>
    public async Task<CaptionResult?> HandleAsync(string messageText, CancellationToken cancellationToken = default)
    {
        FeaturesMessage message;
        float[] features;
        float[]? map;
        try
        {
            message = MessageCodec.ParseFeatures(messageText);
            features = MessageCodec.UnpackFeatures(message.Features, EncoderIdentity.FeatureSize);
            map = message.Map is { } packed ? MessageCodec.UnpackMap(packed) : null;
        }
        catch (MessageFormatException ex)
        {
            _logger.FeaturesMessageUnreadable(ex);
            await _poison.PoisonAsync(_storage.Names.FeaturesQueue, messageText, ex.Message, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var timings = new Dictionary<string, double>(message.Timings)
        {
            ["queueMs"] = Math.Round(Math.Max(0, (DateTimeOffset.UtcNow - message.EnqueuedAt).TotalMilliseconds), 1),
        };
        return await CaptionAsync(new CaptionJob(message.Image, message.Encoder, features, map, message.Decoding, BulkId: null, message.Force, timings), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Captions an image whose features are at hand (from a <c>features</c> message, or encoded in this
    /// process for a bulk request) and writes its result; a bulk image is counted by ingest, which sent it.
    /// Returns the result written, or the one found when a result for the content existed.
    /// </summary>
    public async Task<CaptionResult?> CaptionAsync(CaptionJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await _models.WaitForModelAsync(ModelPatience, cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var timings = job.Timings;
        var baseResult = new CaptionResult
        {
            Image = job.Image.Name,
            Container = job.Image.Container,
            ETag = job.Image.ETag,
            Status = CaptionResult.Failed,
            Encoder = job.Encoder,
            BulkId = job.BulkId,
            Timings = timings,
            Time = DateTimeOffset.UtcNow,
        };
        CaptionResult result;
        if (DecodingProblem(job.Decoding, out var options) is { } problem)
        {
            result = baseResult with { ModelVersion = _models.CurrentVersion, Reason = FailureReason.InvalidDecoding, Error = problem };
        }
        else
        {
            var outcome = await _decoder.DecodeAsync(new DecodeRequest(job.Encoder, job.Features, job.Map, options), cancellationToken).ConfigureAwait(false);
            timings["captionMs"] = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
            result = outcome.Caption is { } decoded
                ? CaptionAssessments.Apply(baseResult with
                {
                    ModelVersion = outcome.ModelVersion,
                    Status = CaptionResult.Succeeded,
                    Caption = decoded.Caption,
                    LogProbability = Math.Round(decoded.LogProbability, 4),
                    NBest = decoded.NBest.Count > 1 ? [.. decoded.NBest.Select(h => new NBestCaption(h.Caption, Math.Round(h.LogProbability, 4), Math.Round(h.Score, 4)))] : null,
                    Attention = decoded.Attention?.Select(weights => weights.Select(w => MathF.Round(w, 3)).ToArray()).ToList(),
                }, outcome.Assessment, _options)
                : baseResult with { ModelVersion = outcome.ModelVersion, Reason = outcome.Reason, Error = outcome.Error };
        }

        var written = await _results.WriteAsync(result, replace: job.Force, cancellationToken).ConfigureAwait(false);
        if (written && result.Status == CaptionResult.Succeeded && result.Caption is not null && _options.WriteCaptionMetadata)
        {
            await WriteMetadataAsync(job.Image, result.Caption!, cancellationToken).ConfigureAwait(false);
        }

        return written ? result : await _results.GetAsync(job.Image.Container, job.Image.Name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Why the request's decoding settings cannot be used with the model served (a permanent failure, recorded as the
    /// image's result), or null with the options. Only this check is caught: an exception while decoding is a fault,
    /// retried by the queue and poisoned in the end, never written as a result.
    /// </summary>
    private string? DecodingProblem(DecodingSpec decoding, out DecodingOptions options)
    {
        try
        {
            options = decoding.ToOptions();
            _models.CheckDecoding(options);
            return null;
        }
        catch (ArgumentException ex)
        {
            options = DecodingOptions.Greedy;
            return ex.Message;
        }
    }

    private async Task WriteMetadataAsync(ImageReference image, string caption, CancellationToken cancellationToken)
    {
        var blob = _storage.Container(image.Container).GetBlobClient(image.Name);
        await _resilience.ExecuteAsync(async token =>
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: token).ConfigureAwait(false);
            if (properties.Value.ETag.ToString() != image.ETag)
            {
                return; // The image changed since it was read: its own upload will caption it.
            }

            var metadata = new Dictionary<string, string>(properties.Value.Metadata) { ["caption"] = Uri.EscapeDataString(caption) };
            await blob.SetMetadataAsync(metadata, new Azure.Storage.Blobs.Models.BlobRequestConditions { IfMatch = properties.Value.ETag }, token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }
}
