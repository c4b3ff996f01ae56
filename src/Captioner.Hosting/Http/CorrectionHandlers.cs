using Captioner.Core.Corrections;
using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Microsoft.AspNetCore.Http;

namespace Captioner.Hosting.Http;

/// <summary>
/// People's corrections of captions: <c>PUT /api/corrections/{image}?container=</c> (a corrected caption, or "this caption
/// is right", for the photo's content as its result has it), <c>GET /api/corrections/{image}</c> (the photo's, when it is
/// about the content captioned now) and <c>GET /api/corrections</c> (all, each said current or stale).
/// </summary>
public sealed class CorrectionHandlers(StorageClients storage, ResultStore results, SourceContainers sources, CorrectionStore corrections)
{
    public async Task<IResult> PutAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var container = ContainerOf(request.Query["container"]);
        if (Refused(name, container) is { } refused)
        {
            return refused;
        }

        if (request.ContentLength > CorrectionRequest.MaxBodyBytes)
        {
            return ApiResult.Problem(StatusCodes.Status413PayloadTooLarge, $"A correction's body is at most {CorrectionRequest.MaxBodyBytes} bytes.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var (body, problem) = CorrectionRequest.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        if (body is null)
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, problem!);
        }

        var result = await results.GetAsync(container, name, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            return ApiResult.Problem(StatusCodes.Status404NotFound, $"There is no result for '{name}' yet: correct a caption once the photo has one.");
        }

        var said = result.Caption ?? result.BestGuess;
        if (result.Status != CaptionResult.Succeeded || said is null || result.ETag is null)
        {
            return ApiResult.Problem(StatusCodes.Status409Conflict, $"'{name}' has no caption to correct: {result.Error ?? "it was not captioned"}.");
        }

        if (body.ETag != result.ETag)
        {
            return ApiResult.Problem(StatusCodes.Status409Conflict, $"'{name}' was replaced since this caption was shown: reload it and correct the new photo's caption.");
        }

        var correction = new CaptionCorrection
        {
            Container = container,
            Image = name,
            ETag = result.ETag,
            Caption = body.Confirmed ? said : body.Caption!,
            Confirmed = body.Confirmed,
            ModelCaption = said,
            ModelVersion = result.ModelVersion,
            Time = DateTimeOffset.UtcNow,
        };
        await corrections.PutAsync(correction, cancellationToken).ConfigureAwait(false);
        return ApiResult.Json(System.Text.Encoding.UTF8.GetString(correction.Serialize()));
    }

    public async Task<IResult> GetAsync(string name, string? container, CancellationToken cancellationToken)
    {
        container = ContainerOf(container);
        if (Refused(name, container) is { } refused)
        {
            return refused;
        }

        var correction = await corrections.GetAsync(container, name, cancellationToken).ConfigureAwait(false);
        return correction is not null && await CorrectionStore.IsCurrentAsync(correction, results, cancellationToken).ConfigureAwait(false)
            ? ApiResult.Json(System.Text.Encoding.UTF8.GetString(correction.Serialize()))
            : ApiResult.Problem(StatusCodes.Status404NotFound, $"No one has corrected the caption of '{name}' as it is now.");
    }

    /// <summary>Every correction, each with <c>current</c>: false when its photo has been replaced since (training skips it).</summary>
    public async Task<IResult> ListAsync(CancellationToken cancellationToken)
    {
        var listed = new List<CorrectionListing>();
        await foreach (var listing in corrections.ListWithCurrencyAsync(results, cancellationToken).ConfigureAwait(false))
        {
            listed.Add(listing);
        }

        return ApiResult.Json(System.Text.Encoding.UTF8.GetString(CorrectionListing.Serialize(listed)));
    }

    private string ContainerOf(string? container) => string.IsNullOrEmpty(container) ? storage.Names.ImagesContainer : container;

    private ApiResult? Refused(string name, string container) =>
        ImageNames.Problem(name) is { } problem ? ApiResult.Problem(StatusCodes.Status400BadRequest, problem)
        : sources.Problem(container) is { } refused ? ApiResult.Problem(StatusCodes.Status400BadRequest, refused)
        : null;
}
