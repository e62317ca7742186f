namespace ChatonsFed.Hosting;

/// <summary>A refused change; the message is one line naming the bad value and what is expected.</summary>
public sealed class NodeInputException : Exception
{
    public NodeInputException()
    {
    }

    public NodeInputException(string message)
        : base(message)
    {
    }

    public NodeInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
