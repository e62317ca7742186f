using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace ChatonsFed.Node.Tests;

/// <summary>The settings read while the host is composed, checked without the configuration binder or a regular expression.</summary>
public sealed class StartupSettingsTests
{
    [Theory]
    [InlineData("lynx")]
    [InlineData("a")]
    [InlineData("_x")]
    [InlineData("9")]
    [InlineData("my-chaton.2_b")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234")]
    public void Valid_handles_pass(string handle) =>
        Assert.DoesNotContain(NodeOptionsValidator.Check(Options(handle)), error => error.Contains(":Handle", StringComparison.Ordinal));

    [Theory]
    [InlineData("")]
    [InlineData("-lynx")]
    [InlineData(".lynx")]
    [InlineData("lynx chaton")]
    [InlineData("lynx\n")]
    [InlineData("chaton@lynx")]
    [InlineData("félin")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij12345")]
    public void Invalid_handles_are_named(string handle) =>
        Assert.Contains(
            $"ChatonsFed:Handle '{handle}' is not a valid handle; use 1 to 64 letters, digits, '-', '_' or '.', e.g. my-chaton",
            NodeOptionsValidator.Check(Options(handle)));

    [Theory]
    [InlineData(null, true, true)]
    [InlineData("", false, false)]
    [InlineData("true", false, true)]
    [InlineData(" False ", true, false)]
    [InlineData("TRUE", false, true)]
    public void Flags_read_true_false_or_the_default(string? value, bool absent, bool expected)
    {
        var configuration = Configuration(value);
        Assert.Equal(expected, SettingFlag.Get(configuration, "ChatonsFed:ServeChaton", absent));
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("1")]
    public void A_flag_that_is_not_true_or_false_is_refused_with_its_key(string value)
    {
        var refused = Assert.Throws<NodeInputException>(() => SettingFlag.Get(Configuration(value), "ChatonsFed:ServeChaton", absent: true));
        Assert.Equal($"ChatonsFed:ServeChaton must be true or false, not \"{value}\"", refused.Message);
    }

    private static NodeOptions Options(string handle) => new() { PublicUrl = "https://chaton.example", Handle = handle };

    private static IConfiguration Configuration(string? value) =>
        new ConfigurationBuilder().AddInMemoryCollection(value is null ? [] : [new("ChatonsFed:ServeChaton", value)]).Build();
}
