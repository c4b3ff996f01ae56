using Captioner.Core.Pipeline;
using Captioner.Core.Storage;

namespace Captioner.Core.Tests.Pipeline;

public class SourceContainersTests
{
    private static readonly StorageNames Names = new();

    [Fact]
    public void By_default_images_are_read_only_from_the_uploads_container()
    {
        var sources = new SourceContainers(new PipelineOptions().SourceContainers, Names);

        Assert.Null(sources.Problem("images"));
        Assert.Null(sources.SettingProblem());
        foreach (var other in new[] { "captions", "models", "training", "thumbnails", "local-host", "azure-webjobs-secrets", "azure-webjobs-hosts", "archive", null })
        {
            Assert.Contains("Images are read only from 'images'", sources.Problem(other), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Listed_containers_are_sources_and_unlisted_ones_are_not()
    {
        var sources = new SourceContainers(" images, archive ,archive", Names);

        Assert.Equal(["images", "archive"], sources.Names);
        Assert.Null(sources.Problem("archive"));
        Assert.NotNull(sources.Problem("Archive"));
        Assert.NotNull(sources.Problem("archive2"));
    }

    [Theory]
    [InlineData("archive", "must include 'images'")]
    [InlineData("images,captions", "'captions' holds the app's or the Functions host's own data")]
    [InlineData("images,models", "'models' holds")]
    [InlineData("images,training", "'training' holds")]
    [InlineData("images,azure-webjobs-secrets", "'azure-webjobs-secrets' holds")]
    [InlineData("images,Bad_Name", "'Bad_Name' is not a container name")]
    public void A_setting_that_names_the_apps_own_containers_or_leaves_out_uploads_stops_the_host(string setting, string reason)
    {
        Assert.Contains(reason, new SourceContainers(setting, Names).SettingProblem(), StringComparison.Ordinal);
        Assert.Contains(reason, string.Join(" ", new PipelineOptionsValidator(Names).Validate(null, new PipelineOptions { SourceContainers = setting }).Failures ?? []), StringComparison.Ordinal);
    }
}
