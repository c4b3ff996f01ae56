using System.Globalization;

namespace Captioner.Benchmarks;

/// <summary>
/// CPU seconds a process has used (user + system), read from <c>/proc/PID/stat</c>: what a worker pays for, whatever
/// the wall clock on a machine whose cores it shares with the storage emulator.
/// </summary>
internal static class ProcessCpu
{
    // Linux's USER_HZ: clock ticks per second in /proc (100 on every distribution this runs on).
    private const double TicksPerSecond = 100;

    public static double Seconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are fields 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    public static double Self() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}
