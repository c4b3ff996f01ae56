using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Captioner.Core.Corrections;
using Captioner.TestSupport;

namespace Captioner.EndToEnd.Tests;

/// <summary>People's corrections through the local host and the CLI: stored per photo content, listed, exported as a dataset.</summary>
[Collection(RunningStackGroup.Name)]
public sealed class CorrectionsTests(RunningStack stack)
{
    private static readonly string Samples = Path.Combine(RepositoryPaths.SharedData, "samples");

    [Fact]
    public async Task A_correction_belongs_to_the_photo_it_was_made_on_is_exported_as_a_dataset_and_a_replaced_photo_does_not_inherit_it()
    {
        var name = "corrections/cat.png";
        var cat = File.ReadAllBytes(Path.Combine(Samples, "chelsea.png"));
        var etag = await stack.UploadAsync(name, cat);
        var result = (await stack.WaitForResultsAsync(new Dictionary<string, string> { [name] = etag }, TimeSpan.FromSeconds(90)))[name];

        using (var saved = await PutAsync(name, $$"""{"caption": "  a  tabby cat licks its nose ", "etag": {{JsonValue.Create(result.ETag)!.ToJsonString()}}}"""))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }

        var stored = JsonNode.Parse(await stack.Http.GetStringAsync(new Uri($"/api/corrections/{name}", UriKind.Relative)))!;
        Assert.Equal("a tabby cat licks its nose", (string?)stored["caption"]);
        Assert.Equal(result.Caption ?? result.BestGuess, (string?)stored["modelCaption"]);
        Assert.Equal(result.ETag, (string?)stored["etag"]);

        // Exported as train reads it: the photo's bytes as captioned under container/name, and a captions line.
        var folder = Directory.CreateTempSubdirectory("captioner-corrections-").FullName;
        try
        {
            var (exit, output, error) = CliRunner.Run("corrections", "export", "--out", Path.Combine(folder, "captions.tsv"), "--images", Path.Combine(folder, "images"), "--connection", stack.ConnectionString);
            Assert.True(exit == 0, error);
            Assert.Contains($"images/{name}\ta tabby cat licks its nose", File.ReadAllLines(Path.Combine(folder, "captions.tsv")));
            Assert.Equal(cat, File.ReadAllBytes(Path.Combine(folder, "images", "images", name)));
            Assert.Contains("exported", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        // Another photo under the same name: the correction was about the old one, so it is stale, and one typed for the old one is refused.
        var newEtag = await stack.UploadAsync(name, File.ReadAllBytes(Path.Combine(Samples, "coffee.png")));
        await stack.WaitForResultsAsync(new Dictionary<string, string> { [name] = newEtag }, TimeSpan.FromSeconds(90));
        using (var gone = await stack.Http.GetAsync(new Uri($"/api/corrections/{name}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        var listed = CorrectionListing.Deserialize(await stack.Http.GetByteArrayAsync(new Uri("/api/corrections", UriKind.Relative)));
        Assert.False(Assert.Single(listed, l => l.Correction.Image == name).Current);
        using var late = await PutAsync(name, $$"""{"confirmed": true, "etag": {{JsonValue.Create(result.ETag)!.ToJsonString()}}}""");
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("was replaced since this caption was shown", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> PutAsync(string name, string body) =>
        stack.Http.PutAsync(new Uri($"/api/corrections/{name}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
}
