using System.Text;
using Captioner.Core.Pipeline;
using Captioner.Hosting.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Captioner.EndToEnd.Tests.Http;

/// <summary>The page as <see cref="PageHandlers"/> serves it on a host with the given training app address, run in process.</summary>
public sealed record RenderedPage(string Html, IReadOnlyDictionary<string, string> Headers)
{
    public static async Task<RenderedPage> RenderAsync(string trainingApiUrl)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddOptions<PipelineOptions>().Configure(options => options.TrainingApiUrl = trainingApiUrl);
        var context = new DefaultHttpContext { RequestServices = services.BuildServiceProvider() };
        var body = new MemoryStream();
        context.Response.Body = body;

        await PageHandlers.Index(context.Request).ExecuteAsync(context);

        var headers = context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return new RenderedPage(Encoding.UTF8.GetString(body.ToArray()), headers);
    }
}
