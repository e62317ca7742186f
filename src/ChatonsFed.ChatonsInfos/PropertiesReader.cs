using System.Text;

namespace ChatonsFed.ChatonsInfos;

/// <summary>A problem found in a file that did not stop it from being read; <see cref="Line"/> is 0 for the whole file.</summary>
public sealed record ChatonsInfosWarning(int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"line {Line}: {Message}" : Message;
}

/// <summary>One <c>key = value</c> line: the key in lower case, the value unquoted and unescaped.</summary>
public sealed record PropertyLine(string Key, string Value, int Line);

/// <summary>Bounds against hostile or broken files; each one reached gives a warning or an error that says so.</summary>
public sealed record ChatonsInfosLimits
{
    public static ChatonsInfosLimits Default { get; } = new();

    /// <summary>Largest file read; a larger one is refused.</summary>
    public int MaxFileBytes { get; init; } = 1024 * 1024;

    /// <summary>Longest line read, in characters; a longer one is skipped with a warning.</summary>
    public int MaxLineLength { get; init; } = 16 * 1024;

    /// <summary><c>subs.</c> lines read from one file; the following ones are skipped with a warning.</summary>
    public int MaxSubs { get; init; } = 1000;

    /// <summary>Levels of <c>subs.</c> followed from the first file: federation, organization, service is 2.</summary>
    public int MaxDepth { get; init; } = 2;

    /// <summary>Files read in all by one walk of <c>subs.</c> lines.</summary>
    public int MaxFiles { get; init; } = 5000;

    /// <summary>Warnings kept per file; the rest are counted in one last warning.</summary>
    public int MaxWarnings { get; init; } = 100;
}

/// <summary>
/// Reads the lines of a <c>.properties</c> file as the collective's generators write them: <c>key = value</c> or
/// <c>key=value</c>, <c>#</c> comments, values in single or double quotes, CRLF or LF, with or without a UTF-8 BOM.
/// Never throws: what it cannot read is a warning (a line) or an error (the file).
/// </summary>
internal sealed class PropertiesReader
{
    private readonly ChatonsInfosLimits _limits;
    private readonly List<ChatonsInfosWarning> _warnings = [];
    private int _droppedWarnings;

    private PropertiesReader(ChatonsInfosLimits limits)
    {
        _limits = limits;
    }

    public IReadOnlyList<ChatonsInfosWarning> Warnings => _droppedWarnings == 0
        ? _warnings
        : [.. _warnings, new ChatonsInfosWarning(0, $"{_droppedWarnings} more warning(s) not shown")];

    /// <summary>The lines in file order (a repeated key keeps its last value), or an error when the bytes are not a text file.</summary>
    public static (IReadOnlyList<PropertyLine> Lines, IReadOnlyList<ChatonsInfosWarning> Warnings, string? Error) Read(ReadOnlySpan<byte> bytes, ChatonsInfosLimits limits)
    {
        var reader = new PropertiesReader(limits);
        if (bytes.Length > limits.MaxFileBytes)
        {
            return ([], [], $"the file is {bytes.Length} bytes, over the limit of {limits.MaxFileBytes}");
        }

        if (bytes.IndexOf((byte)0) >= 0)
        {
            return ([], [], "not a text file: it contains NUL bytes");
        }

        var text = reader.Decode(bytes);
        var lines = reader.Lines(text);
        return (lines, reader.Warnings, null);
    }

    public void Warn(int line, string message)
    {
        if (_warnings.Count < _limits.MaxWarnings)
        {
            _warnings.Add(new ChatonsInfosWarning(line, message));
        }
        else
        {
            _droppedWarnings++;
        }
    }

    private string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // Older files were sometimes saved in ISO-8859-1; every byte is a character there.
            Warn(0, "the file is not valid UTF-8; it was read as ISO-8859-1");
            return Encoding.Latin1.GetString(bytes);
        }
    }

    private List<PropertyLine> Lines(string text)
    {
        var result = new List<PropertyLine>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var number = 0;
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.AsSpan(start).IndexOfAny('\r', '\n');
            var length = end < 0 ? text.Length - start : end;
            number++;
            ReadLine(text.AsSpan(start, length), number, result, seen);
            if (end < 0)
            {
                break;
            }

            start += length + (text[start + length] == '\r' && start + length + 1 < text.Length && text[start + length + 1] == '\n' ? 2 : 1);
        }

        return result;
    }

    private void ReadLine(ReadOnlySpan<char> raw, int number, List<PropertyLine> result, Dictionary<string, int> seen)
    {
        if (raw.Length > _limits.MaxLineLength)
        {
            Warn(number, $"line longer than {_limits.MaxLineLength} characters, skipped");
            return;
        }

        var line = raw.Trim();
        if (line.IsEmpty || line[0] == '#')
        {
            return;
        }

        var equals = line.IndexOf('=');
        if (equals < 0)
        {
            Warn(number, "no '=' on this line, skipped");
            return;
        }

        var key = line[..equals].Trim().ToString().ToLowerInvariant();
        if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            Warn(number, key.Length == 0 ? "no key before '=', skipped" : $"'{Shorten(key)}' is not a key (letters, digits, '.', '-', '_'), skipped");
            return;
        }

        var value = Unescape(Unquote(line[(equals + 1)..].Trim()));
        if (value.Any(c => char.IsControl(c) && c is not '\n' and not '\t'))
        {
            Warn(number, $"the value of {key} holds control characters, skipped");
            return;
        }

        if (seen.TryGetValue(key, out var previous))
        {
            Warn(number, $"{key} is repeated (first on line {result[previous].Line}); the last value is kept");
            result[previous] = new PropertyLine(key, value, number);
            return;
        }

        seen[key] = result.Count;
        result.Add(new PropertyLine(key, value, number));
    }

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> value) =>
        value.Length >= 2 && value[0] is '\'' or '"' && value[^1] == value[0] ? value[1..^1] : value;

    /// <summary>Java-style escapes some generators write: <c>\n</c>, <c>\t</c>, <c>\uXXXX</c>, and a backslash before any other character.</summary>
    private static string Unescape(ReadOnlySpan<char> value)
    {
        if (value.IndexOf('\\') < 0)
        {
            return value.ToString();
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\' || i == value.Length - 1)
            {
                builder.Append(value[i]);
                continue;
            }

            var next = value[++i];
            switch (next)
            {
                case 'n':
                    builder.Append('\n');
                    break;
                case 't':
                    builder.Append('\t');
                    break;
                case 'r':
                    break;
                case 'u' when i + 4 < value.Length && ushort.TryParse(value.Slice(i + 1, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var code):
                    builder.Append((char)code);
                    i += 4;
                    break;
                default:
                    builder.Append(next);
                    break;
            }
        }

        return builder.ToString();
    }

    internal static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
