namespace ChatonsFed.Directory.Node;

/// <summary>
/// A value given for one field of a chaton's description (by its owner, or read from a file) that cannot be kept.
/// The message starts with the field's name, as the admin API spells it, and says what is expected.
/// </summary>
public sealed class InvalidFieldException : FormatException
{
    public InvalidFieldException()
    {
        Field = string.Empty;
    }

    public InvalidFieldException(string message)
        : base(message)
    {
        Field = string.Empty;
    }

    public InvalidFieldException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = string.Empty;
    }

    public InvalidFieldException(string field, string message)
        : base(message)
    {
        Field = field;
    }

    /// <summary>The field concerned (such as <c>latitude</c> or <c>memberSince</c>); empty when the message names none.</summary>
    public string Field { get; }
}
