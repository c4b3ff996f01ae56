namespace Captioner.Core.Tests;

/// <summary>The small images under TestData/images, copied beside the test assembly.</summary>
internal static class TestImages
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "images", name);

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));
}
