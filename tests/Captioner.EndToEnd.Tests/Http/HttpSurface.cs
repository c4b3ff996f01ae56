namespace Captioner.EndToEnd.Tests.Http;

/// <summary>One host's HTTP surface, driven the same way whichever host it is.</summary>
public interface IHttpSurface
{
    string Name { get; }

    Task<SurfaceResponse> SendAsync(string method, string pathAndQuery, byte[]? body, string? contentType);
}

/// <summary>What a test looks at in an answer.</summary>
public sealed record SurfaceResponse(int Status, string? ContentType, string? Location, string? CacheControl, byte[] Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>A response header by name (any case), or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}
