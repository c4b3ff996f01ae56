namespace Captioner.Cli.Terminal;

/// <summary>A one-line progress bar on stderr; on a redirected stderr (a log file) a line per tenth instead.</summary>
internal sealed class ProgressBar
{
    private const int Width = 30;
    private int _lastTenth = -1;
    private string _label = string.Empty;

    public void Start(string label)
    {
        Finish();
        _label = label;
        _lastTenth = -1;
    }

    public void Report(int done, int total, string detail)
    {
        var fraction = total == 0 ? 1.0 : Math.Clamp((double)done / total, 0, 1);
        if (System.Console.IsErrorRedirected)
        {
            var tenth = (int)(fraction * 10);
            if (tenth != _lastTenth)
            {
                _lastTenth = tenth;
                System.Console.Error.WriteLine(FormattableString.Invariant($"{_label} {fraction:P0} {detail}"));
            }

            return;
        }

        var filled = (int)(fraction * Width);
        System.Console.Error.Write(FormattableString.Invariant($"\r{_label} [{new string('#', filled)}{new string('.', Width - filled)}] {fraction,4:P0} {detail}   "));
        _lastTenth = 0;
    }

    public void Finish()
    {
        if (!System.Console.IsErrorRedirected && _lastTenth >= 0)
        {
            System.Console.Error.WriteLine();
        }

        _lastTenth = -1;
    }
}
