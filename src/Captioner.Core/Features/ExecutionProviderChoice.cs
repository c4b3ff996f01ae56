using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Captioner.Core.Features;

/// <summary>Picks the ONNX Runtime execution provider: CUDA when it loads, otherwise the CPU (or, when CUDA is required, an error).</summary>
public static class ExecutionProviderChoice
{
    /// <summary>Session options on CUDA when <paramref name="preferCuda"/> and the CUDA libraries load; <paramref name="provider"/> says which.</summary>
    public static SessionOptions Create(bool preferCuda, int intraOpThreads, out string provider) =>
        Create(preferCuda, requireCuda: false, intraOpThreads, out provider);

    /// <summary>As <see cref="Create(bool, int, out string)"/>; with <paramref name="requireCuda"/> a CPU fallback throws <see cref="CudaRequiredException"/> instead.</summary>
    public static SessionOptions Create(bool preferCuda, bool requireCuda, int intraOpThreads, out string provider)
    {
        var options = Choose(preferCuda || requireCuda, intraOpThreads, out provider, out var unavailable);
        if (requireCuda && unavailable is not null)
        {
            options.Dispose();
            throw new CudaRequiredException(unavailable);
        }

        return options;
    }

    private static SessionOptions Choose(bool preferCuda, int intraOpThreads, out string provider, out string? unavailable)
    {
        unavailable = null;
        var options = CpuFriendly(new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = intraOpThreads,
        });
        provider = "CPU";
        if (!preferCuda)
        {
            return options;
        }

        // Probe the CUDA 13 / cuDNN 9 libraries first: a failed append logs a loud native error.
        var missing = CudaLibraries.FirstOrDefault(library => !CanLoad(library));
        if (missing is not null)
        {
            unavailable = $"{missing} not found";
            provider = $"CPU (CUDA unavailable: {unavailable})";
            return options;
        }

        if (CudaDriver.Version() is { } driver && driver < CudaDriver.RequiredVersion)
        {
            unavailable = $"the GPU driver supports CUDA {CudaDriver.Describe(driver)}; ONNX Runtime's CUDA provider needs CUDA 13 (driver 580 or newer)";
            provider = $"CPU (CUDA unavailable: {unavailable})";
            return options;
        }

        try
        {
            // Listed as available wherever it was compiled in; only appending proves the CUDA libraries load.
            options.AppendExecutionProvider_CUDA(0);
            provider = "CUDA";
        }
        catch (OnnxRuntimeException ex)
        {
            unavailable = "ONNX Runtime's CUDA provider did not load: " + ex.Message.Split('\n')[0].Trim();
            provider = "CPU (CUDA unavailable)";
        }

        return options;
    }

    /// <summary>
    /// Turns off the intra-op threads' spin-wait between runs: spinning threads burn cores that image decoding and
    /// the other stage need. Measured on 2 cores (scripts/bench-pipeline.sh, 600 images): in-process captioning
    /// 78 -> 97 images/s, uploads 28 -> 38 images/s.
    /// </summary>
    public static SessionOptions CpuFriendly(SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    // The driver first: an image carrying the CUDA runtime on a machine without a GPU has all but libcuda.
    private static readonly string[] CudaLibraries = ["libcuda.so.1", "libcudart.so.13", "libcublasLt.so.13", "libcublas.so.13", "libcudnn.so.9"];

    private static bool CanLoad(string library)
    {
        if (!NativeLibrary.TryLoad(library, out var handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }
}
