using Microsoft.Extensions.Configuration;

namespace ChatonsFed.Hosting.Configuration;

/// <summary>
/// A true/false setting read straight from the configuration, for the switches read while the host is composed (which
/// roles and endpoints to add): without the configuration binder, whose conversions load reflection and type
/// converters into every node for one boolean.
/// </summary>
public static class SettingFlag
{
    /// <summary>
    /// The value at <paramref name="key"/>: <paramref name="absent"/> when it is not set (or empty), true or false in any
    /// letter case; anything else fails with <see cref="NodeInputException"/> naming the key.
    /// </summary>
    public static bool Get(IConfiguration configuration, string key, bool absent)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return absent;
        }

        return bool.TryParse(value.Trim(), out var flag)
            ? flag
            : throw new NodeInputException($"{key} must be true or false, not \"{value}\"");
    }
}
