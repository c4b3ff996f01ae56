using System.Reflection;
using Captioner.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Captioner.EndToEnd.Tests.Http;

/// <summary>
/// The Functions app's HTTP functions, called in process on a <see cref="DefaultHttpContext"/> the way the worker's
/// ASP.NET Core integration calls them: the function is found by its trigger's method and route (as functions.metadata
/// declares them), its parameters bound from the route, and its result executed on the context. The Functions host
/// itself (keys, 405 for a wrong method) cannot run here.
/// </summary>
public sealed class FunctionsAppSurface : IHttpSurface
{
    private readonly IServiceProvider _services;
    private readonly DurableTaskClient _durable;
    private readonly List<(string Method, RouteTemplate Template, MethodInfo Function)> _functions;

    public FunctionsAppSurface(string storageConnectionString, DurableTaskClient durable)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = storageConnectionString }).Build();
        var services = new ServiceCollection().AddLogging().AddCaptioner(configuration);
        _services = services.BuildServiceProvider();
        _durable = durable;
        _functions = [.. typeof(Functions.BulkApi).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => (Method: method, Trigger: method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(a => a is not null)))
            .Where(f => f.Trigger is not null)
            .SelectMany(f => f.Trigger!.Methods!.Select(m => (m.ToUpperInvariant(), TemplateParser.Parse(f.Trigger.Route!), f.Method)))
            // Literal routes before parameters, as routing prefers them (api/results before api/results/{*name}).
            .OrderBy(f => f.Item2.Parameters.Count).ThenByDescending(f => f.Item2.Segments.Count)];
    }

    public string Name => "Functions app";

    public async Task<SurfaceResponse> SendAsync(string method, string pathAndQuery, byte[]? body, string? contentType)
    {
        var (path, query) = pathAndQuery.Split('?', 2) is [var p, var q] ? (p, "?" + q) : (pathAndQuery, string.Empty);
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("captioner.example");
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Request.Body = new MemoryStream(body ?? []);
        context.Request.ContentLength = body?.Length;
        context.Request.ContentType = contentType;
        var output = new MemoryStream();
        context.Response.Body = output;

        var values = new RouteValueDictionary();
        var function = _functions.FirstOrDefault(f => f.Method == method && new TemplateMatcher(f.Template, []).TryMatch(path, values = []));
        if (function.Function is null)
        {
            throw new InvalidOperationException($"The Functions app has no function for {method} {path}.");
        }

        var arguments = function.Function.GetParameters().Select<ParameterInfo, object>(parameter =>
            parameter.ParameterType == typeof(HttpRequest) ? context.Request
            : parameter.ParameterType == typeof(DurableTaskClient) ? _durable
            : parameter.ParameterType == typeof(CancellationToken) ? CancellationToken.None
            : parameter.ParameterType == typeof(string) ? Uri.UnescapeDataString(values[parameter.Name!]?.ToString() ?? string.Empty)
            : throw new InvalidOperationException($"Cannot bind {parameter.Name} of {function.Function.Name}.")).ToArray();
        var target = function.Function.IsStatic ? null : ActivatorUtilities.CreateInstance(_services, function.Function.DeclaringType!);
        var returned = function.Function.Invoke(target, arguments);
        var result = returned is Task<IResult> task ? await task : (IResult)returned!;
        await result.ExecuteAsync(context);

        return new SurfaceResponse(
            context.Response.StatusCode,
            context.Response.ContentType?.Split(';')[0],
            context.Response.Headers.Location.FirstOrDefault(),
            context.Response.Headers.CacheControl.FirstOrDefault(),
            output.ToArray(),
            context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
    }
}
