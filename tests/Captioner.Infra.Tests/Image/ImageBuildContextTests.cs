using System.Diagnostics;
using Captioner.TestSupport;

namespace Captioner.Infra.Tests.Image;

/// <summary>
/// The functions image's build stage without Docker: exactly the files <c>.dockerignore</c> lets into the context
/// and the Dockerfile's <c>COPY</c> lines take, laid out in a folder of their own, then the stage's own <c>RUN</c>
/// (its <c>dotnet publish</c>) into a folder; the published app must hold what the Functions host and the encoder load.
/// Packages come from the NuGet cache the repository's restore filled.
/// </summary>
public sealed class ImageBuildContextTests : IClassFixture<ImageBuildContextTests.PublishedImage>
{
    private readonly PublishedImage _image;

    public ImageBuildContextTests(PublishedImage image) => _image = image;

    [Fact]
    public void Build_stage_publishes_from_only_what_the_build_context_and_its_COPY_lines_give_it()
    {
        Assert.True(_image.ExitCode == 0, $"the build stage's RUN failed ({_image.ExitCode}):\n{_image.Errors}\n\n{_image.Log}");
    }

    [Fact]
    public void Published_app_holds_what_the_Functions_host_loads()
    {
        Assert.True(_image.ExitCode == 0, "the build stage failed: " + _image.Errors);
        foreach (var file in new[] { "host.json", "functions.metadata", "worker.config.json", "Captioner.Functions.dll" })
        {
            Assert.True(File.Exists(Path.Combine(_image.Output, file)), file + " is not published");
        }

        // The binding extensions the host loads for the worker's triggers (queues, blobs, durable, timer, HTTP proxying).
        Assert.True(File.Exists(Path.Combine(_image.Output, ".azurefunctions", "function.deps.json")), ".azurefunctions/ is not published");
    }

    [Fact]
    public void Published_app_holds_the_encoder_graphs_its_int8_calibration_table_and_ONNX_Runtimes_native_libraries()
    {
        Assert.True(_image.ExitCode == 0, "the build stage failed: " + _image.Errors);
        foreach (var file in new[]
        {
            "encoder/ResNet18.onnx", "encoder/ResNetPreprocess.onnx", "encoder/resnet18-int8.calibration.json",
            "libonnxruntime.so", "libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so",
        })
        {
            Assert.True(File.Exists(Path.Combine(_image.Output, file)), file + " is not published");
        }

        Assert.Equal(
            File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "models", "encoder", "resnet18-int8.calibration.json")),
            File.ReadAllBytes(Path.Combine(_image.Output, "encoder", "resnet18-int8.calibration.json")));
        Assert.False(File.Exists(Path.Combine(_image.Output, "libonnxruntime_providers_tensorrt.so")), "TensorRT is never asked for; the stage removes it");
    }

    [Fact]
    public void Build_context_leaves_out_tests_infra_build_outputs_and_the_bundled_models()
    {
        var ignore = DockerIgnore.Read(Path.Combine(RepositoryPaths.Root, ".dockerignore"));

        Assert.All(new[] { "tests/x.cs", "infra/main.bicep", "src/Captioner.Core/bin/a.dll", "src/Captioner.Core/obj/a.json", "node_modules/a", "models/default/manifest.json", ".git/HEAD" },
            path => Assert.True(ignore.Excludes(path), path + " would be sent to the builder"));
        Assert.False(ignore.Excludes("models/encoder/resnet18-int8.calibration.json"), "the calibration table the Core project copies is left out");
        Assert.False(ignore.Excludes("src/Captioner.Core/Captioner.Core.csproj"));
    }

    /// <summary>The build stage run once for the class: context assembled, RUN executed, the output kept until the end.</summary>
    public sealed class PublishedImage : IDisposable
    {
        private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("captioner-image-");

        public PublishedImage()
        {
            var root = RepositoryPaths.Root;
            var stage = BuildStage.Read(Path.Combine(root, "src", "Captioner.Functions", "Dockerfile"), "build");
            var ignore = DockerIgnore.Read(Path.Combine(root, ".dockerignore"));
            var context = Directory.CreateDirectory(Path.Combine(_work.FullName, "src")).FullName;
            Output = Path.Combine(_work.FullName, "app");
            foreach (var (sources, destination) in stage.Copies)
            {
                foreach (var source in sources)
                {
                    Copy(root, ignore, source, Path.Combine(context, destination), destination.EndsWith('/'));
                }
            }

            var log = new System.Text.StringBuilder();
            foreach (var run in stage.Runs)
            {
                Assert.Contains("-o /app", run, StringComparison.Ordinal);
                ExitCode = Run(run.Replace("/app", Output, StringComparison.Ordinal), context, log);
                if (ExitCode != 0)
                {
                    break;
                }
            }

            Log = log.ToString();
        }

        public string Output { get; }

        public int ExitCode { get; }

        public string Log { get; }

        /// <summary>The MSBuild error lines of the log.</summary>
        public string Errors => string.Join('\n', Log.Split('\n').Where(line => line.Contains(": error ", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal));

        public void Dispose() => _work.Delete(recursive: true);

        /// <summary>COPY of one source: a file to the destination (into it when it ends in /), a folder's kept files below it.</summary>
        private static void Copy(string root, DockerIgnore ignore, string source, string destination, bool intoFolder)
        {
            var path = Path.Combine(root, source);
            if (File.Exists(path))
            {
                Assert.False(ignore.Excludes(source.TrimEnd('/')), $"COPY {source}: excluded by .dockerignore, so the build fails");
                var target = intoFolder ? Path.Combine(destination, Path.GetFileName(path)) : destination;
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(path, target);
                return;
            }

            Assert.True(Directory.Exists(path), $"COPY {source}: not in the build context");
            var folder = source.TrimEnd('/');
            Assert.False(ignore.ExcludesAllOf(folder), $"COPY {source}: excluded by .dockerignore, so the build fails");
            foreach (var file in KeptFiles(root, ignore, folder))
            {
                var target = Path.Combine(destination, Path.GetRelativePath(path, Path.Combine(root, file)));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(root, file), target);
            }
        }

        private static IEnumerable<string> KeptFiles(string root, DockerIgnore ignore, string folder)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder)))
            {
                var relative = folder + "/" + Path.GetFileName(file);
                if (!ignore.Excludes(relative))
                {
                    yield return relative;
                }
            }

            foreach (var child in Directory.EnumerateDirectories(Path.Combine(root, folder)))
            {
                var relative = folder + "/" + Path.GetFileName(child);
                if (!ignore.ExcludesAllOf(relative))
                {
                    foreach (var file in KeptFiles(root, ignore, relative))
                    {
                        yield return file;
                    }
                }
            }
        }

        private static int Run(string command, string workingDirectory, System.Text.StringBuilder log)
        {
            var start = new ProcessStartInfo("sh") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(command);
            // A clean MSBuild, as in the SDK image: nothing of the test host's own build leaks in, no node lingers after.
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                start.Environment.Remove(name);
            }

            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(6)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("the build stage's RUN took over 6 minutes: " + command);
            }

            log.Append(output.Result).Append(error.Result);
            return process.ExitCode;
        }
    }
}
