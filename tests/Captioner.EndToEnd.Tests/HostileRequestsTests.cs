using System.Net;
using System.Text;
using System.Text.Json;

namespace Captioner.EndToEnd.Tests;

/// <summary>
/// Hostile requests to every endpoint of the local host: each gets a 4xx with a one-line reason as problem details,
/// and the host keeps serving. (The Functions app runs the same parser and checks; it cannot be started here.)
/// </summary>
[Collection(RunningStackGroup.Name)]
public sealed class HostileRequestsTests(RunningStack stack)
{
    public static TheoryData<string, string, string?, int, string> Cases => new()
    {
        { "POST", "/api/bulk", "{", 400, "not valid JSON" },
        { "POST", "/api/bulk", "[]", 400, "not valid JSON" },
        { "POST", "/api/bulk", "", 400, "not valid JSON" },
        { "POST", "/api/bulk", "{}", 400, "must name a container" },
        { "POST", "/api/bulk", """{"container": 5}""", 400, "not valid JSON" },
        { "POST", "/api/bulk", """{"container": "images", "force": "yes"}""", 400, "not valid JSON" },
        { "POST", "/api/bulk", """{"container": "../etc"}""", 400, "'../etc' is not a container name" },
        { "POST", "/api/bulk", """{"container": "Images"}""", 400, "'Images' is not a container name" },
        { "POST", "/api/bulk", """{"container": "nosuch"}""", 400, "Images are read only from 'images', 'archive' (setting Captioner:SourceContainers), not from 'nosuch'." },
        { "POST", "/api/bulk", """{"container": "captions", "force": true}""", 400, "not from 'captions'" },
        { "POST", "/api/bulk", """{"container": "local-host"}""", 400, "not from 'local-host'" },
        { "POST", "/api/bulk", """{"container": "azure-webjobs-secrets"}""", 400, "not from 'azure-webjobs-secrets'" },
        { "POST", "/api/bulk", """{"container": "images", "prefix": "a\u0000b"}""", 400, "Bad prefix: An image name cannot contain control characters." },
        { "POST", "/api/bulk", """{"container": "images", "prefix": "a/../b"}""", 400, "'..' segment" },
        { "POST", "/api/bulk", "{\"container\": \"images\", \"prefix\": \"" + new string('p', 2000) + "\"}", 400, "A prefix is at most 1,019 characters" },
        { "POST", "/api/bulk", """{"container": "images", "decoding": {"mode": "fancy"}}""", 400, "Unknown decoding mode 'fancy'" },
        { "POST", "/api/bulk", """{"container": "images", "decoding": {"mode": "beam", "beam": -1}}""", 400, "Beam width must be 1..32." },
        { "POST", "/api/bulk", """{"container": "images", "decoding": {"maxWords": 99999999999}}""", 400, "not valid JSON" },
        { "POST", "/api/bulk", """{"container": "images", "decoding": {"beginWith": "a <script>"}}""", 400, "may hold only letters, digits and spaces, not '<'" },
        { "POST", "/api/bulk", """{"container": "images", "name": "a.jpg", "prefix": "a"}""", 400, "not both" },
        { "POST", "/api/bulk", """{"container": "images", "name": "a/../b.jpg"}""", 400, "Bad name: " },
        { "POST", "/api/bulk", "{\"container\": \"images\", \"prefix\": \"" + new string('p', 20_000) + "\"}", 413, "at most 16,384 bytes" },
        { "GET", "/api/bulk/no-such-job", null, 404, "There is no bulk job 'no-such-job'." },
        { "GET", "/api/bulk/a%2F..%2Fb", null, 400, "A job id is" },
        { "GET", "/api/bulk/x%3Fy%23z", null, 400, "A job id is" },
        { "POST", "/api/training", "{", 400, "" },
        { "POST", "/api/training", """{"container": "local-host", "captions": "c.tsv"}""", 400, "'container' must be 'training'" },
        { "POST", "/api/training", """{"captions": "../local-host/checkpoint.json"}""", 400, "'captions': An image name cannot start or end with '/' or have empty, '.' or '..' segments." },
        { "POST", "/api/training", """{"captions": "c.tsv", "imagesPrefix": "a/../../x/"}""", 400, "'imagesPrefix'" },
        { "POST", "/api/training", """{"captions": "c.tsv", "devSplit": "dev\u0001.txt"}""", 400, "'devSplit': An image name cannot contain control characters." },
        { "POST", "/api/training", """{"captions": "c.tsv", "options": {"hiddenSize": 2000000000}}""", 400, "options: 'hiddenSize' must be 1 to 4096 (got 2000000000)." },
        { "POST", "/api/training", """{"captions": "c.tsv", "options": {"batchSize": 2000000000}}""", 400, "options: 'batchSize' must be 1 to 4096" },
        { "POST", "/api/training", """{"captions": "c.tsv", "options": {"threads": 100000}}""", 400, "options: 'threads' must be 0 to 256" },
        { "POST", "/api/training", """{"captions": "c.tsv", "options": {"learningRate": -1}}""", 400, "options: 'learningRate' must be a number in (0, 1] (got -1)." },
        { "POST", "/api/training", """{"captions": "c.tsv", "options": {"dropout": 1.5}}""", 400, "options: 'dropout' must be in [0, 1)" },
        { "POST", "/api/training", """{"captions": "c.tsv", "format": "xml"}""", 400, "'format': Unknown captions format 'xml'" },
        { "POST", "/api/training", "{\"captions\": \"" + new string('c', 70_000) + "\"}", 413, "at most 65,536 bytes" },
        { "GET", "/api/training/no-such-job", null, 404, "There is no training job 'no-such-job'." },
        { "GET", "/api/training/bad%20id", null, 400, "A job id is" },
        { "POST", "/api/training/no-such-job/terminate", null, 404, "There is no training job 'no-such-job'." },
        { "POST", "/api/training/..%2F..%2Fx/terminate", null, 400, "A job id is" },
        { "DELETE", "/api/bulk", null, 405, "" },
        { "PUT", "/api/training/x", null, 405, "" },
        { "GET", "/api/nothing-here", null, 404, "" },
        { "GET", "/api/images/checkpoint.json?container=local-host", null, 400, "not from 'local-host'" },
        { "GET", "/api/images/host.json?container=azure-webjobs-secrets", null, 400, "not from 'azure-webjobs-secrets'" },
        { "GET", "/api/thumbnails/current.json?container=models", null, 400, "not from 'models'" },
        { "GET", "/api/results/x.jpg?container=training", null, 400, "not from 'training'" },
        { "GET", "/api/images/a%5Cb.jpg", null, 400, "cannot contain '\\'" },
        { "PUT", "/api/images/photo.", "{}", 400, "An image name cannot end with '.'." },
        { "PUT", "/api/images/.containers/archive/x.jpg", "{}", 400, "reserved for the results of other containers" },
        { "PUT", "/api/images/uploads/x.json", "{}", 415, "'uploads/x.json' is not a JPEG, PNG, WebP, GIF or BMP image." },
    };

    /// <summary>Requests a browser on another site could make, and bodies that are not what they claim.</summary>
    public static TheoryData<string, string, string, string, string?, int, string> BrowserCases => new()
    {
        // Method, path, content type, body, extra header ("Name: value"), status, reason.
        { "PUT", "/api/images/uploads/x.svg", "image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.domain)</script></svg>", null, 415, "is not a JPEG, PNG, WebP, GIF or BMP image" },
        { "PUT", "/api/images/uploads/x.html", "image/png", "<html><script>alert(1)</script></html>", null, 415, "is not a JPEG, PNG, WebP, GIF or BMP image" },
        { "POST", "/api/bulk", "text/plain", """{"container": "images"}""", null, 415, "The body must be JSON" },
        { "POST", "/api/training", "application/x-www-form-urlencoded", "captions=c.tsv", null, 415, "The body must be JSON" },
        { "POST", "/api/bulk", "application/json", """{"container": "images"}""", "Origin: https://evil.example", 403, "Requests from other sites are refused (Origin: https://evil.example)." },
        { "POST", "/api/bulk", "text/plain", """{"container": "images"}""", "Origin: null", 403, "Requests from other sites are refused" },
        { "POST", "/api/training/x/terminate", "text/plain", "", "Sec-Fetch-Site: cross-site", 403, "(Sec-Fetch-Site: cross-site)" },
        { "PUT", "/api/models/current", "application/json", """{"version": "v"}""", "Sec-Fetch-Site: same-site", 403, "Requests from other sites are refused" },
        { "PUT", "/api/corrections/x.png", "text/plain", """{"caption": "a dog", "etag": "x"}""", "Origin: https://evil.example", 403, "Requests from other sites are refused (Origin: https://evil.example)." },
        { "GET", "/api/results", "application/json", "", "Host: evil.example", 400, "This host answers only to loopback names (localhost, 127.0.0.1, [::1]), not 'evil.example'." },
        { "GET", "/", "application/json", "", "Host: attacker.example:7071", 400, "not 'attacker.example'" },
    };

    [Theory]
    [MemberData(nameof(BrowserCases))]
    public async Task A_cross_site_request_or_a_disguised_body_is_refused_with_a_one_line_reason(string method, string path, string contentType, string body, string? header, int status, string reason)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method is not "GET")
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }

        if (header?.Split(": ", 2) is [var name, var value])
        {
            if (name == "Host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await stack.Http.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        Assert.Contains(reason, detail, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', detail);
        Assert.Equal(HttpStatusCode.OK, (await stack.Http.GetAsync(new Uri("/api/health", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_request_from_the_page_itself_is_served()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/bulk", UriKind.Relative)) { Content = new StringContent("""{"container": "images", "prefix": "nothing-here/"}""", Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Origin", stack.Http.BaseAddress!.GetLeftPart(UriPartial.Authority));
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");

        using var response = await stack.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_stored_image_is_served_as_the_format_its_bytes_are_with_headers_that_keep_it_inert()
    {
        // A blob whose declared type says SVG (as a storage user might write it) is still served only as what it is.
        var png = File.ReadAllBytes(Path.Combine(Captioner.TestSupport.RepositoryPaths.SharedData, "samples", "coffee.png"));
        await stack.UploadAsync("inert/photo.svg", png);
        await stack.Storage.Container("images").GetBlobClient("inert/photo.svg").SetHttpHeadersAsync(new Azure.Storage.Blobs.Models.BlobHttpHeaders { ContentType = "image/svg+xml" });
        await stack.Storage.Container("images").GetBlobClient("inert/script.jpg").UploadAsync(new BinaryData("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"), overwrite: true);

        using var image = await stack.Http.GetAsync(new Uri("/api/images/inert/photo.svg", UriKind.Relative));
        using var thumbnail = await stack.Http.GetAsync(new Uri("/api/thumbnails/inert/photo.svg", UriKind.Relative));
        using var script = await stack.Http.GetAsync(new Uri("/api/images/inert/script.jpg", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
        foreach (var response in new[] { image, thumbnail })
        {
            Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Contains("sandbox", string.Join(",", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
            Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal("photo.svg", response.Content.Headers.ContentDisposition?.FileNameStar);
        }

        Assert.Equal(HttpStatusCode.UnprocessableEntity, script.StatusCode);
        Assert.Equal("nosniff", string.Join(",", script.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task An_upload_is_stored_with_the_content_type_its_bytes_show_not_the_declared_one()
    {
        var png = File.ReadAllBytes(Path.Combine(Captioner.TestSupport.RepositoryPaths.SharedData, "samples", "coffee.png"));
        using var content = new ByteArrayContent(png);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/svg+xml");

        using var response = await stack.Http.PutAsync(new Uri("/api/images/uploads/declared-svg.png", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = await stack.Storage.Container("images").GetBlobClient("uploads/declared-svg.png").GetPropertiesAsync();
        Assert.Equal("image/png", stored.Value.ContentType);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_request_gets_a_4xx_with_a_one_line_reason_and_the_host_keeps_serving(string method, string path, string? body, int status, string reason)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await stack.Http.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        if (reason.Length > 0)
        {
            var detail = problem.GetProperty("detail").GetString()!;
            Assert.Contains(reason, detail, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', detail);
        }

        Assert.Equal(HttpStatusCode.OK, (await stack.Http.GetAsync(new Uri("/api/health", UriKind.Relative))).StatusCode);
    }
}
