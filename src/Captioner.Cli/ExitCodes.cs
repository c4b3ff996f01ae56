namespace Captioner.Cli;

/// <summary>What the command's exit code says, one meaning each, for scripts.</summary>
internal static class ExitCodes
{
    /// <summary>Everything done.</summary>
    public const int Success = 0;

    /// <summary>The command ran, but some images failed (each said on stderr).</summary>
    public const int ImagesFailed = 1;

    /// <summary>The request was wrong: arguments, files, settings. Nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>The running stack (storage or its HTTP API) could not be reached.</summary>
    public const int Unreachable = 3;

    /// <summary>Something broke that should not have: a bug to report (<c>--verbose</c> prints the details).</summary>
    public const int Unexpected = 4;

    /// <summary>
    /// Access was refused or could not be asked for: no Azure sign-in for <c>--account</c> (DefaultAzureCredential found
    /// none), storage refused the identity or key (401/403: a missing role), or the API refused the function key.
    /// </summary>
    public const int AccessRefused = 5;
}
