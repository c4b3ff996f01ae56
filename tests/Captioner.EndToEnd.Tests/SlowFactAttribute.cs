namespace Captioner.EndToEnd.Tests;

/// <summary>
/// A test that takes over ten minutes: it runs only with <c>CAPTIONER_SLOW_TESTS=1</c> and is
/// reported as skipped otherwise, so the default suite stays short.
/// </summary>
public sealed class SlowFactAttribute : FactAttribute
{
    public SlowFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CAPTIONER_SLOW_TESTS") != "1")
        {
            Skip = "takes over 10 minutes (messages a killed host held reappear after the trigger engine's 10-minute lease); set CAPTIONER_SLOW_TESTS=1";
        }
    }
}
