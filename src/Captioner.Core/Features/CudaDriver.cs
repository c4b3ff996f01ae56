using System.Runtime.InteropServices;

namespace Captioner.Core.Features;

/// <summary>
/// The CUDA version the installed driver supports (<c>cuDriverGetVersion</c> of libcuda.so.1, e.g. 13000 for 13.0):
/// an older driver loads, but ONNX Runtime's CUDA 13 provider then fails at the first session.
/// </summary>
internal static class CudaDriver
{
    /// <summary>ONNX Runtime 1.31's CUDA provider needs CUDA 13 (driver 580 or newer).</summary>
    public const int RequiredVersion = 13000;

    /// <summary>The driver's CUDA version, or null when libcuda.so.1 or its entry point cannot be loaded.</summary>
    public static unsafe int? Version()
    {
        if (!NativeLibrary.TryLoad("libcuda.so.1", out var handle))
        {
            return null;
        }

        try
        {
            if (!NativeLibrary.TryGetExport(handle, "cuDriverGetVersion", out var export))
            {
                return null;
            }

            int version;
            var result = ((delegate* unmanaged<int*, int>)export)(&version);
            return result == 0 ? version : null;
        }
        finally
        {
            NativeLibrary.Free(handle);
        }
    }

    public static string Describe(int version) => $"{version / 1000}.{version % 1000 / 10}";
}
