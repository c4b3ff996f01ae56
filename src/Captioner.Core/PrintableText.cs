namespace Captioner.Core;

/// <summary>User input quoted back in a one-line error: cut short, control characters shown as '?'.</summary>
public static class PrintableText
{
    public static string Of(string? text, int maxLength = 80) =>
        new([.. (text ?? string.Empty).Take(maxLength).Select(c => char.IsControl(c) ? '?' : c)]);
}
