namespace ChatonsFed.Protocol;

/// <summary>Input that does not follow the wire format (a bad key encoding, a malformed header). The message says what is wrong.</summary>
public sealed class ProtocolFormatException : FormatException
{
    public ProtocolFormatException()
    {
    }

    public ProtocolFormatException(string message)
        : base(message)
    {
    }

    public ProtocolFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
