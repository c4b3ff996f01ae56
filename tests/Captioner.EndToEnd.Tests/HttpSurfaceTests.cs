using System.Text;
using System.Text.Json;
using Captioner.Core.Pipeline;
using Captioner.EndToEnd.Tests.Http;
using Captioner.TestSupport;

namespace Captioner.EndToEnd.Tests;

/// <summary>
/// The same requests to both hosts' HTTP surfaces, the local host over HTTP and the Functions app's functions in
/// process, get the same answers: status codes, <c>Location</c> on 202, problem details on errors.
/// </summary>
[Collection(RunningStackGroup.Name)]
public sealed class HttpSurfaceTests(RunningStack stack, FunctionsAppFixture functionsApp) : IClassFixture<FunctionsAppFixture>
{
    private static readonly byte[] Photo = File.ReadAllBytes(Path.Combine(RepositoryPaths.SharedData, "samples", "coffee.png"));
    private readonly IHttpSurface[] _hosts = [new LocalHostSurface(stack.Http), functionsApp.Surface(stack.ConnectionString)];

    public static TheoryData<string, string, string?, int, string> Cases => new()
    {
        { "GET", "/", null, 200, "text/html" },
        { "GET", "/page/app.js", null, 200, "text/javascript" },
        { "GET", "/page/app.css", null, 200, "text/css" },
        { "GET", "/page/other.js", null, 404, "There is no page file 'other.js'." },
        { "POST", "/api/bulk", """{"container": "images", "prefix": "nothing-here/"}""", 202, "/api/bulk/" },
        { "POST", "/api/bulk", """{"container": "images", "prefix": "nothing-here/", "decoding": {"mode": "greedy"}}""", 202, "/api/bulk/" },
        { "POST", "/api/bulk", "{", 400, "not valid JSON" },
        { "POST", "/api/bulk", """{"container": "nosuch"}""", 400, "not from 'nosuch'" },
        { "POST", "/api/bulk", "text:{\"container\": \"images\"}", 415, "The body must be JSON" },
        { "POST", "/api/training", """{"captions": "c.tsv", "options": {"learningRate": -1}}""", 400, "options: 'learningRate' must be a number in (0, 1] (got -1)." },
        { "POST", "/api/training", """{"container": "azure-webjobs-secrets", "captions": "c.tsv"}""", 400, "'container' must be 'training'" },
        { "POST", "/api/bulk", "{\"container\": \"images\", \"prefix\": \"" + new string('p', 20_000) + "\"}", 413, "at most 16,384 bytes" },
        { "GET", "/api/bulk/no-such-job", null, 404, "There is no bulk job 'no-such-job'." },
        { "GET", "/api/bulk/bad%20id", null, 400, "A job id is" },
        { "POST", "/api/training", "{", 400, "not valid JSON" },
        { "GET", "/api/training/no-such-job", null, 404, "There is no training job 'no-such-job'." },
        { "POST", "/api/training/no-such-job/terminate", null, 404, "There is no training job 'no-such-job'." },
        { "GET", "/api/results", null, 200, "application/json" },
        { "GET", "/api/results?limit=-1", null, 400, "offset and limit" },
        { "GET", "/api/results/no/such.png", null, 404, "There is no result for 'no/such.png' yet." },
        { "PUT", "/api/images/surface/photo.png", "photo", 202, "/api/results/surface/photo.png" },
        { "PUT", "/api/images/surface/empty.png", "", 400, "'surface/empty.png' is empty." },
        { "PUT", "/api/images/surface/huge.png", "huge", 413, "An image is at most 20,971,520 bytes." },
        { "GET", "/api/images/no/such.png", null, 404, "There is no image 'no/such.png'." },
        { "GET", "/api/images/x.png?container=models", null, 400, "not from 'models'" },
        { "GET", "/api/thumbnails/x.png?container=azure-webjobs-secrets", null, 400, "not from 'azure-webjobs-secrets'" },
        { "GET", "/api/results/x.png?container=captions", null, 400, "not from 'captions'" },
        { "PUT", "/api/images/surface/x.svg", "svg", 415, "'surface/x.svg' is not a JPEG, PNG, WebP, GIF or BMP image." },
        { "PUT", "/api/images/surface/photo.", "photo", 400, "An image name cannot end with '.'." },
        { "GET", "/api/thumbnails/no/such.png", null, 404, "There is no image 'no/such.png'." },
        { "GET", "/api/models", null, 200, "application/json" },
        { "PUT", "/api/models/current", """{"version": "no-such-version"}""", 404, "There is no model version 'no-such-version'." },
        { "PUT", "/api/models/current", """{"model": 1}""", 400, "The body must be" },
        { "GET", "/api/corrections", null, 200, "application/json" },
        { "GET", "/api/corrections/no/such.png", null, 404, "No one has corrected the caption of 'no/such.png' as it is now." },
        { "PUT", "/api/corrections/no/such.png", """{"caption": "a dog", "etag": "x"}""", 404, "There is no result for 'no/such.png' yet" },
        { "PUT", "/api/corrections/x.png", "{", 400, "The body must be JSON" },
        { "PUT", "/api/corrections/x.png", """{"caption": "a <b>dog</b>", "etag": "x"}""", 400, "A caption may hold only letters a-z, digits, spaces and . , ' - (character 3 is '<')." },
        { "PUT", "/api/corrections/x.png", """{"caption": "a dog"}""", 400, "'etag' (the result's) is required" },
        { "PUT", "/api/corrections/x.png?container=models", """{"caption": "a dog", "etag": "x"}""", 400, "not from 'models'" },
        { "PUT", "/api/corrections/x.png.", """{"caption": "a dog", "etag": "x"}""", 400, "An image name cannot end with '.'." },
        { "PUT", "/api/corrections/x.png", "{\"caption\": \"" + new string('a', 5000) + "\", \"etag\": \"x\"}", 413, "at most 4096 bytes" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Both_hosts_answer_a_request_with_the_same_status_location_and_problem_details(string method, string path, string? body, int status, string expected)
    {
        foreach (var host in _hosts)
        {
            var (content, contentType) = body switch
            {
                null => ((byte[]?)null, (string?)null),
                "photo" => (Photo, "image/png"),
                "huge" => (new byte[(20 * 1024 * 1024) + 1], "image/png"),
                "svg" => (Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"), "image/svg+xml"),
                _ when body.StartsWith("text:", StringComparison.Ordinal) => (Encoding.UTF8.GetBytes(body[5..]), "text/plain"),
                _ => (Encoding.UTF8.GetBytes(body), "application/json"),
            };

            var response = await host.SendAsync(method, path, content, contentType);

            Assert.True(status == response.Status, $"{host.Name}: {method} {path} answered {response.Status}, not {status}: {response.Text}");
            if (status >= 400)
            {
                Assert.Equal("application/problem+json", response.ContentType);
                var problem = JsonDocument.Parse(response.Text).RootElement;
                Assert.Equal(status, problem.GetProperty("status").GetInt32());
                Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
            else if (status == 202)
            {
                // Location is absolute, on the host the request came to, and the body names the same URL.
                Assert.NotNull(response.Location);
                var location = new Uri(response.Location);
                Assert.True(location.IsAbsoluteUri);
                Assert.StartsWith(expected, location.AbsolutePath, StringComparison.Ordinal);
                Assert.Contains(response.Location, response.Text, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(expected, response.ContentType);
            }
        }
    }

    [Fact]
    public async Task Both_hosts_serve_a_thumbnail_and_the_image_with_cache_headers()
    {
        await stack.UploadAsync("surface/thumb.png", Photo);
        foreach (var host in _hosts)
        {
            var thumbnail = await host.SendAsync("GET", "/api/thumbnails/surface/thumb.png", null, null);
            var image = await host.SendAsync("GET", "/api/images/surface/thumb.png", null, null);

            Assert.Equal((200, "image/jpeg"), (thumbnail.Status, thumbnail.ContentType));
            Assert.True(thumbnail.Body.Length < Photo.Length, $"{host.Name}: the thumbnail is {thumbnail.Body.Length} bytes, the photo {Photo.Length}");
            Assert.Equal("private, max-age=60", thumbnail.CacheControl);
            Assert.Equal((200, "image/png"), (image.Status, image.ContentType));
            Assert.Equal(Photo, image.Body);
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/page/app.js")]
    [InlineData("/page/app.css")]
    public async Task Both_hosts_serve_the_page_and_its_assets_with_its_security_headers_and_no_key_written_into_them(string path)
    {
        foreach (var host in _hosts)
        {
            var answer = await host.SendAsync("GET", path + "?code=k%2By", null, null);

            Assert.Equal(200, answer.Status);
            Assert.Equal(
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
                answer.Header("Content-Security-Policy"));
            Assert.Equal("no-referrer", answer.Header("Referrer-Policy"));
            Assert.Equal("nosniff", answer.Header("X-Content-Type-Options"));
            Assert.DoesNotContain("k%2By", answer.Text, StringComparison.Ordinal);
            if (path == "/")
            {
                Assert.Contains("<script src=\"page/app.js\"></script>", answer.Text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Both_hosts_list_results_newest_first_and_search_them_by_caption_words()
    {
        foreach (var (image, caption) in new[] { ("search/older.png", "a purple giraffe is surfing"), ("search/newer.png", "a purple cat sleeps") })
        {
            await stack.Results.WriteAsync(new CaptionResult { Image = image, Container = "images", Status = CaptionResult.Succeeded, Caption = caption, ETag = "\"test\"" }, replace: true);

            // Last-modified times have whole seconds.
            await Task.Delay(1100);
        }

        foreach (var host in _hosts)
        {
            var newest = JsonDocument.Parse((await host.SendAsync("GET", "/api/results?limit=60", null, null)).Text).RootElement;
            var purple = JsonDocument.Parse((await host.SendAsync("GET", "/api/results?q=PURPLE", null, null)).Text).RootElement;
            var giraffe = JsonDocument.Parse((await host.SendAsync("GET", "/api/results?q=giraffe%20purple", null, null)).Text).RootElement;

            // Other tests' results may arrive meanwhile: the order of these two is what counts.
            Assert.Equal(["search/newer.png", "search/older.png"], Images(newest).Where(i => i.StartsWith("search/", StringComparison.Ordinal)));
            Assert.Equal(["search/newer.png", "search/older.png"], Images(purple));
            Assert.Equal(["search/older.png"], Images(giraffe));
            Assert.Equal(1, giraffe.GetProperty("total").GetInt32());
        }

        static List<string> Images(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("image").GetString()!)];
    }

    [Fact]
    public async Task A_started_bulk_job_is_found_at_its_location_on_both_hosts()
    {
        foreach (var host in _hosts)
        {
            var started = await host.SendAsync("POST", "/api/bulk", Encoding.UTF8.GetBytes("""{"container": "images", "prefix": "nothing-here/"}"""), "application/json");
            var status = await host.SendAsync("GET", new Uri(started.Location!).PathAndQuery, null, null);

            Assert.Equal(202, started.Status);
            Assert.Equal(200, status.Status);
            Assert.Equal(JsonDocument.Parse(started.Text).RootElement.GetProperty("id").GetString(), JsonDocument.Parse(status.Text).RootElement.GetProperty("id").GetString());
        }
    }
}
