using Captioner.TestSupport;

namespace Captioner.EndToEnd.Tests;

/// <summary>scripts/smoke.sh, the check a user runs after `azd up`, run as a script against the local stack.</summary>
[Collection(RunningStackGroup.Name)]
public class SmokeScriptTests(RunningStack stack)
{
    [Fact]
    public async Task Smoke_script_passes_every_check_against_the_local_stack_with_one_line_each()
    {
        var photo = Path.Combine(RepositoryPaths.SharedData, "samples", "camera.png");

        var result = await ScriptRunner.RunAsync("smoke.sh", TimeSpan.FromMinutes(4),
            "--api", stack.Http.BaseAddress!.ToString(), "--key", "smoke-test-key", "--connection", stack.ConnectionString, "--photo", photo);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Equal(["caption", "page", "training", "health", "metrics"], result.OutputLines.Select(line => line.Split(' ')[1].TrimEnd(':')));
        Assert.All(result.OutputLines, line => Assert.StartsWith("PASS ", line, StringComparison.Ordinal));
    }
}
