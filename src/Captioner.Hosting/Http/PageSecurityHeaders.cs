namespace Captioner.Hosting.Http;

/// <summary>
/// The headers the page, its script and its style sheet are served with. The page is the one anonymous part of the
/// site (the API needs a function key, which the script keeps in session storage and sends as a header), so it
/// allows only itself: its own script and style, images from the API through <c>blob:</c> URLs, requests to its own
/// origin and the training app's, no framing, no referrer (a referrer would carry a detail link's address elsewhere).
/// </summary>
internal static class PageSecurityHeaders
{
    /// <summary>The headers for a host whose training app is at <paramref name="trainingApiUrl"/> (empty: this host serves training).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> For(string trainingApiUrl) =>
    [
        new("Content-Security-Policy", ContentSecurityPolicy(trainingApiUrl)),
        new("Referrer-Policy", "no-referrer"),
        new("X-Content-Type-Options", "nosniff"),
        new("X-Frame-Options", "DENY"),
    ];

    /// <summary>
    /// The policy. <paramref name="trainingApiUrl"/> was checked at start (an absolute http(s) URL,
    /// PipelineOptionsValidator); only its origin goes in, so no path or character of it can change the policy.
    /// </summary>
    public static string ContentSecurityPolicy(string trainingApiUrl)
    {
        var connect = trainingApiUrl.Length == 0 ? "'self'" : $"'self' {new Uri(trainingApiUrl).GetLeftPart(UriPartial.Authority)}";
        return string.Join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' blob: data:",
            $"connect-src {connect}",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'");
    }
}
