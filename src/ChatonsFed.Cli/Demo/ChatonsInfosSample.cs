using System.Globalization;
using System.Reflection;

namespace ChatonsFed.Cli.Demo;

/// <summary>
/// One ChatonsInfos <c>.properties</c> file of the samples in Demo/ChatonsInfos (embedded at build
/// time): <c>key = value</c> lines, read the way generators write them, quirks included (keys in any case, single-quoted
/// values, comma decimal separators, <c>dd/mm/yyyy</c> dates). Only what the demo needs; unknown keys are ignored.
/// </summary>
internal sealed class ChatonsInfosSample
{
    private const string ResourcePrefix = "ChatonsFed.Cli.chatonsinfos.";

    private readonly Dictionary<string, string> _values;

    private ChatonsInfosSample(string fileName, Dictionary<string, string> values)
    {
        FileName = fileName;
        _values = values;
    }

    public string FileName { get; }

    /// <summary>Reads an embedded sample by its file name, e.g. <c>federation.properties</c>.</summary>
    public static ChatonsInfosSample Load(string fileName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + fileName)
            ?? throw new CliException($"the ChatonsInfos sample {fileName} is not in this build (it is embedded from src/ChatonsFed.Cli/Demo/ChatonsInfos)");
        using var reader = new StreamReader(stream);
        return Parse(fileName, reader.ReadToEnd());
    }

    public static ChatonsInfosSample Parse(string fileName, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] == '#' || equals <= 0)
            {
                continue;
            }

            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
            {
                value = value[1..^1].Trim();
            }

            if (value.Length > 0)
            {
                values[line[..equals].Trim()] = value;
            }
        }

        return new ChatonsInfosSample(fileName, values);
    }

    /// <summary>The value of <paramref name="key"/> (any case), or null.</summary>
    public string? this[string key] => _values.GetValueOrDefault(key);

    /// <summary>The first of <paramref name="keys"/> that has a value.</summary>
    public string? First(params string[] keys) => keys.Select(k => this[k]).FirstOrDefault(v => v is not null);

    /// <summary>A decimal number, with a point or a comma.</summary>
    public double? Number(string key) =>
        double.TryParse(this[key]?.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>A date as <c>yyyy-MM-dd</c>, read from <c>yyyy-MM-dd</c> or <c>dd/MM/yyyy</c>.</summary>
    public string? Date(params string[] keys)
    {
        var text = First(keys);
        return text is not null && DateOnly.TryParseExact(text, ["yyyy-MM-dd", "dd/MM/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>The <c>subs.NAME = URL</c> lines: NAME and the file name at the end of the URL, in the file's order.</summary>
    public IReadOnlyList<(string Name, string FileName)> Subs() =>
        [.. _values.Where(p => p.Key.StartsWith("subs.", StringComparison.OrdinalIgnoreCase))
            .Select(p => (p.Key["subs.".Length..].ToLowerInvariant(), p.Value[(p.Value.LastIndexOf('/') + 1)..]))];
}
