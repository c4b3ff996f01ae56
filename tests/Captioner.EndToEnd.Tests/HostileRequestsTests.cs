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
        { "POST", "/api/bulk", """{"container": "nosuch"}""", 404, "There is no container 'nosuch'." },
        { "POST", "/api/bulk", """{"container": "images", "prefix": "a\u0000b"}""", 400, "The prefix contains a control character." },
        { "POST", "/api/bulk", """{"container": "images", "prefix": "a/../b"}""", 400, "'..' segment" },
        { "POST", "/api/bulk", "{\"container\": \"images\", \"prefix\": \"" + new string('p', 2000) + "\"}", 400, "blob names are at most 1,024" },
        { "POST", "/api/bulk", """{"container": "images", "decoding": {"mode": "fancy"}}""", 400, "Unknown decoding mode 'fancy'" },
        { "POST", "/api/bulk", """{"container": "images", "decoding": {"mode": "beam", "beam": -1}}""", 400, "Beam width must be 1..32." },
        { "POST", "/api/bulk", """{"container": "images", "decoding": {"maxWords": 99999999999}}""", 400, "not valid JSON" },
        { "POST", "/api/bulk", "{\"container\": \"images\", \"prefix\": \"" + new string('p', 20_000) + "\"}", 413, "at most 16,384 bytes" },
        { "GET", "/api/bulk/no-such-job", null, 404, "There is no bulk job 'no-such-job'." },
        { "GET", "/api/bulk/a%2F..%2Fb", null, 400, "A job id is" },
        { "GET", "/api/bulk/x%3Fy%23z", null, 400, "A job id is" },
        { "POST", "/api/training", "{", 400, "" },
        { "POST", "/api/training", "{\"captions\": \"" + new string('c', 70_000) + "\"}", 413, "at most 65,536 bytes" },
        { "GET", "/api/training/no-such-job", null, 404, "There is no training job 'no-such-job'." },
        { "GET", "/api/training/bad%20id", null, 400, "A job id is" },
        { "POST", "/api/training/no-such-job/terminate", null, 404, "There is no training job 'no-such-job'." },
        { "POST", "/api/training/..%2F..%2Fx/terminate", null, 400, "A job id is" },
        { "DELETE", "/api/bulk", null, 405, "" },
        { "PUT", "/api/training/x", null, 405, "" },
        { "GET", "/api/nothing-here", null, 404, "" },
    };

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
