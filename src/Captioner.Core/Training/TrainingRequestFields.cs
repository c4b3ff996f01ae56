using Captioner.Core.Models;

namespace Captioner.Core.Training;

/// <summary>
/// The one check of a training request's naming fields, wherever a request comes from (the API's body, the CLI's flags,
/// a queued start): allowlists, each field on its own, so no field goes unchecked because another was given.
/// </summary>
public static class TrainingRequestFields
{
    /// <summary>Longest dataset name: the default version appends a 16-character time to it within a version's 128.</summary>
    public const int MaxDatasetName = 64;

    /// <summary>What <c>from</c> may say instead of a version: the model the workers serve now.</summary>
    public const string CurrentModel = "current";

    /// <summary>The problem with <paramref name="name"/> as a dataset name, or null: 1..64 ASCII letters, digits, '-', '_' or '.', starting with a letter or digit.</summary>
    public static string? DatasetNameProblem(string? name) =>
        name is { Length: > 0 and <= MaxDatasetName } && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? null
            : $"'datasetName' must be 1 to {MaxDatasetName} letters, digits, '-', '_' or '.', starting with a letter or digit (got '{PrintableText.Of(name ?? string.Empty, 40)}').";

    /// <summary>The problem with <paramref name="version"/> as the version to publish (null: the default), or null.</summary>
    public static string? VersionProblem(string? version) =>
        version is null || ModelStore.IsValidVersion(version)
            ? null
            : $"'version' must be 1 to 128 letters, digits, '-', '_' or '.', not starting with '.' (got '{PrintableText.Of(version, 40)}').";

    /// <summary>The problem with <paramref name="from"/> (the model to start from: a version or <c>current</c>; null: from scratch), or null.</summary>
    public static string? FromProblem(string? from) =>
        from is null || from == CurrentModel || ModelStore.IsValidVersion(from)
            ? null
            : $"'from' must be '{CurrentModel}' or a model version (letters, digits, '-', '_' or '.') (got '{PrintableText.Of(from, 40)}').";
}
