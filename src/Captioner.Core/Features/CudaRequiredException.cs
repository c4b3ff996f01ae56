namespace Captioner.Core.Features;

/// <summary>
/// <c>Captioner:Encoder:RequireCuda</c> is set (a GPU workload profile) but the encoder cannot run on CUDA; the
/// message is one line naming the missing library or the driver, so the host stops rather than serve on the CPU.
/// </summary>
public sealed class CudaRequiredException : InvalidOperationException
{
    public CudaRequiredException(string reason)
        : base($"Captioner:Encoder:RequireCuda is set but the encoder cannot run on CUDA: {reason}")
    {
    }

    public CudaRequiredException()
    {
    }

    public CudaRequiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
