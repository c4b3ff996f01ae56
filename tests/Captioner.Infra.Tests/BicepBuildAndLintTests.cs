namespace Captioner.Infra.Tests;

/// <summary>Every template under infra/ compiles and passes the Bicep linter with no diagnostic at all (CI runs these through scripts/test.sh).</summary>
public class BicepBuildAndLintTests
{
    public static TheoryData<string> Files => new(RelativePaths);

    private static IEnumerable<string> RelativePaths => Templates.BicepFiles.Select(f => Path.GetRelativePath(Templates.Infra, f));

    [Fact]
    public void Infra_holds_the_main_template_and_its_modules()
    {
        var files = RelativePaths.ToList();
        Assert.Contains("main.bicep", files);
        Assert.Contains(Path.Combine("app", "functions-app.bicep"), files);
        Assert.Contains(Path.Combine("app", "settings.bicep"), files);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Template_builds_to_ARM_JSON_without_warnings(string file)
    {
        var result = BicepCli.Run("build", Path.Combine(Templates.Infra, file), "--stdout");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Empty(result.Diagnostics);
        Assert.StartsWith("{", result.StandardOutput.TrimStart(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Template_passes_the_linter_without_diagnostics(string file)
    {
        var result = BicepCli.Run("lint", Path.Combine(Templates.Infra, file));

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Settings_harness_evaluates_without_warnings()
    {
        var result = BicepCli.Run("build-params", Templates.Harness, "--stdout");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Empty(result.Diagnostics);
    }
}
