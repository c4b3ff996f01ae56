using Captioner.Core;
namespace Captioner.Core.Imaging;

/// <summary>The input cannot be captioned; <see cref="Reason"/> says why. Never worth a retry.</summary>
public sealed class ImageRejectedException : Exception
{
    public ImageRejectedException(FailureReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public ImageRejectedException()
    {
    }

    public ImageRejectedException(string message)
        : base(message)
    {
    }

    public ImageRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The machine-readable reason.</summary>
    public FailureReason Reason { get; } = FailureReason.Corrupt;
}
