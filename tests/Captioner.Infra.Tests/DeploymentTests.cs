using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Captioner.TestSupport;

namespace Captioner.Infra.Tests;

/// <summary>What `azd up` uses besides the templates: azure.yaml, the parameters file, the image's Dockerfile and the postprovision hook.</summary>
public class DeploymentTests
{
    private static string Dockerfile => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Captioner.Functions", "Dockerfile"));

    [Fact]
    public void Azd_deploys_the_functions_image_as_two_services_to_the_apps_tagged_with_their_names()
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "azure.yaml"));
        var services = Regex.Matches(yaml, @"^  (\w+):\n(?:    .*\n|  #.*\n)*", RegexOptions.Multiline)
            .Where(m => m.Index > yaml.IndexOf("services:", StringComparison.Ordinal) && m.Index < yaml.IndexOf("hooks:", StringComparison.Ordinal))
            .ToDictionary(m => m.Groups[1].Value, m => m.Value, StringComparer.Ordinal);

        Assert.Equal(["captioner", "trainer"], services.Keys.Order(StringComparer.Ordinal));
        foreach (var service in services.Values)
        {
            Assert.Contains("project: src/Captioner.Functions\n", service, StringComparison.Ordinal);
            Assert.Contains("host: containerapp\n", service, StringComparison.Ordinal);
            Assert.Contains("path: Dockerfile\n", service, StringComparison.Ordinal);
            Assert.Contains("context: ../..\n", service, StringComparison.Ordinal);
        }

        Assert.Equal("captioner", (string?)Templates.ModuleParameter("captioningApp", "serviceName"));
        Assert.Equal("trainer", (string?)Templates.ModuleParameter("trainingApp", "serviceName"));
        Assert.Contains("run: ./infra/hooks/postprovision.sh", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_file_sets_only_parameters_of_main_and_every_one_it_requires()
    {
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(Templates.Infra, "main.parameters.json")))!["parameters"]!.AsObject();
        var declared = Templates.Main["parameters"]!.AsObject();

        Assert.All(file, p => Assert.True(declared.ContainsKey(p.Key), p.Key + " is not a parameter of main.bicep"));
        Assert.All(declared.Where(p => p.Value!["defaultValue"] is null), p => Assert.True(file.ContainsKey(p.Key), p.Key + " has no default and no value in main.parameters.json"));
        Assert.Equal("${SERVICE_CAPTIONER_RESOURCE_EXISTS=false}", (string?)file["captionerExists"]!["value"]);
        Assert.Equal("${SERVICE_TRAINER_RESOURCE_EXISTS=false}", (string?)file["trainerExists"]!["value"]);
    }

    [Fact]
    public void Image_is_the_dotnet_isolated_10_Functions_image_with_a_linux_x64_publish()
    {
        Assert.Contains("ARG FUNCTIONS_IMAGE=mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0\n", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("FROM ${FUNCTIONS_IMAGE}\n", Dockerfile, StringComparison.Ordinal);
        Assert.Matches(@"dotnet publish src/Captioner.Functions/Captioner.Functions.csproj -c Release -r linux-x64 ", Dockerfile);
        Assert.Contains("COPY --from=build /app /home/site/wwwroot", Dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_runs_as_a_non_root_user_on_the_port_the_apps_target()
    {
        var user = Regex.Matches(Dockerfile, @"^USER (\S+)$", RegexOptions.Multiline).Last().Groups[1].Value;
        var port = (int)Templates.ModuleVariable("captioningApp", "functionsPort")!;

        Assert.DoesNotContain(user, new[] { "root", "0", "0:0" });
        Assert.Contains($"ASPNETCORE_URLS=http://+:{port}", Dockerfile, StringComparison.Ordinal);
        Assert.Contains($"EXPOSE {port}\n", Dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_carries_the_CUDA_13_and_cuDNN_9_libraries_ONNX_Runtime_loads()
    {
        Assert.Contains("ARG CUDA_PACKAGES=13-0\n", Dockerfile, StringComparison.Ordinal);
        foreach (var package in new[] { "cuda-cudart-$CUDA_PACKAGES", "libcublas-$CUDA_PACKAGES", "libcurand-$CUDA_PACKAGES", "libcudnn9-cuda-13" })
        {
            Assert.Contains(package, Dockerfile, StringComparison.Ordinal);
        }

        // The libraries the encoder probes before choosing CUDA (src/Captioner.Core/Features/ExecutionProviderChoice.cs),
        // but the driver (libcuda.so.1), which the GPU host mounts into the container.
        var probe = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Captioner.Core", "Features", "ExecutionProviderChoice.cs"));
        Assert.All(Regex.Matches(probe, @"""(lib\w+\.so\.\d+)""").Select(m => m.Groups[1].Value).Where(library => library != "libcuda.so.1"), library =>
            Assert.Contains(library, new[] { "libcudart.so.13", "libcublasLt.so.13", "libcublas.so.13", "libcudnn.so.9", "libcurand.so.10" }));
    }
}
