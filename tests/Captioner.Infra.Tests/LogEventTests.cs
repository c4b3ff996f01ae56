using System.Text.RegularExpressions;
using Captioner.TestSupport;

namespace Captioner.Infra.Tests;

/// <summary>
/// Log events are declared in one <c>Logs</c> class per assembly (CA1848 keeps direct <c>logger.Log...</c> calls out of the
/// build), and an event id names one event across the whole app, so an alert on an id means one thing.
/// </summary>
public sealed partial class LogEventTests
{
    [Fact]
    public void Log_events_are_declared_only_in_each_assemblys_Logs_class_with_ids_no_other_event_has()
    {
        var sources = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var declaring = sources.Where(path => File.ReadAllText(path).Contains("[LoggerMessage(", StringComparison.Ordinal)).ToList();
        var ids = declaring.SelectMany(path => EventId().Matches(File.ReadAllText(path)).Select(match => (Id: int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), File: Path.GetFileName(path)))).ToList();

        Assert.All(declaring, path => Assert.Equal("Logs.cs", Path.GetFileName(path)));
        Assert.True(declaring.Count >= 4, "expected a Logs class in Core, Hosting, Training and the local host");
        Assert.Empty(ids.GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Equal(ids.Count, declaring.Sum(path => Regex.Count(File.ReadAllText(path), @"\[LoggerMessage\(")));
    }

    [GeneratedRegex(@"\[LoggerMessage\(EventId = (\d+),")]
    private static partial Regex EventId();
}
