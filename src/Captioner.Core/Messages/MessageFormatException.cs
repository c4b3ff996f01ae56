namespace Captioner.Core.Messages;

/// <summary>A queue message that cannot be read: malformed, or of a version this worker does not know. Retrying cannot help.</summary>
public sealed class MessageFormatException : Exception
{
    public MessageFormatException()
    {
    }

    public MessageFormatException(string message)
        : base(message)
    {
    }

    public MessageFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
