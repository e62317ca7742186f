namespace ChatonsFed.Cli;

/// <summary>A failure the user can act on; its message is printed as one line, without a stack trace.</summary>
public sealed class CliException : Exception
{
    public CliException()
        : this("failed")
    {
    }

    public CliException(string message)
        : this(message, CliApplication.UsageError)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = CliApplication.UsageError;
    }

    public CliException(string message, int exitCode)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }
}
