namespace Captioner.Core.Pipeline;

/// <summary>A bulk request names a container that does not exist.</summary>
public sealed class UnknownContainerException : Exception
{
    public UnknownContainerException()
    {
    }

    public UnknownContainerException(string message)
        : base(message)
    {
    }

    public UnknownContainerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
