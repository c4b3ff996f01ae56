namespace Captioner.Hosting;

/// <summary>A setting the host cannot start with; the message names the setting and says what is wrong.</summary>
public sealed class InvalidSettingsException : Exception
{
    public InvalidSettingsException()
    {
    }

    public InvalidSettingsException(string message)
        : base(message)
    {
    }

    public InvalidSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
