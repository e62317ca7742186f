using System.Globalization;
using System.Text;

namespace ChatonsFed.ChatonsInfos;

/// <summary>
/// Writes a ChatonsInfos file as the collective's generators do: <c># [Section]</c> comments, <c>key = value</c>
/// lines, LF line ends, UTF-8 without BOM. A line break in a value is written <c>\n</c> and a backslash <c>\\</c>;
/// a value that starts and ends with the same quote is wrapped in the other one, so that readers keep it whole.
/// Empty values are left out.
/// </summary>
public sealed class PropertiesWriter
{
    private readonly StringBuilder _text = new();

    public PropertiesWriter Section(string title)
    {
        if (_text.Length > 0)
        {
            _text.Append('\n');
        }

        _text.Append("# [").Append(title).Append("]\n");
        return this;
    }

    public PropertiesWriter Add(string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return this;
        }

        _text.Append(key).Append(" = ").Append(Escape(value.Trim())).Append('\n');
        return this;
    }

    public PropertiesWriter Add(string key, Uri? value) => Add(key, value?.AbsoluteUri);

    public PropertiesWriter Add(string key, double? value) =>
        Add(key, value?.ToString("0.######", CultureInfo.InvariantCulture));

    public PropertiesWriter Add(string key, DateOnly? value) =>
        Add(key, value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public override string ToString() => _text.ToString();

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(_text.ToString());

    internal static string Escape(string value)
    {
        var escaped = value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\r\n", "\\n", StringComparison.Ordinal)
            .Replace("\r", "\\n", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);
        if (escaped.Any(c => char.IsControl(c) && c != '\t'))
        {
            escaped = new string([.. escaped.Where(c => !char.IsControl(c) || c == '\t')]);
        }

        return escaped.Length >= 2 && escaped[0] is '\'' or '"' && escaped[^1] == escaped[0]
            ? (escaped[0] == '"' ? "'" + escaped + "'" : "\"" + escaped + "\"")
            : escaped;
    }
}
