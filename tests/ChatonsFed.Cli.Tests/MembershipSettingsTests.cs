using System.Text.Json.Nodes;

namespace ChatonsFed.Cli.Tests;

/// <summary>An aggregator's membership settings: written by 'chatonsfed init', checked when the folder is opened.</summary>
public class MembershipSettingsTests
{
    [Fact]
    public async Task Init_writes_each_trust_root_and_the_default_quorum_into_the_settings()
    {
        using var dir = new TempFolder();
        var folder = dir.File("aggregator");

        var result = await CliRunner.RunAsync("init", "--data", folder, "--url", "https://annuaire.example", "--aggregator",
            "--trust-root", "acct:collectif@chatons.example", "--trust-root", "https://fondateur.example/actor");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Membership: trust roots acct:collectif@chatons.example, https://fondateur.example/actor; quorum 2", result.Output, StringComparison.Ordinal);
        var membership = Settings(folder)["Aggregator"]!["Membership"]!;
        Assert.Equal(["acct:collectif@chatons.example", "https://fondateur.example/actor"], membership["TrustRoots"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(2, membership["Quorum"]!.GetValue<int>());
    }

    [Fact]
    public async Task Init_without_a_trust_root_says_admission_is_not_computed()
    {
        using var dir = new TempFolder();
        var folder = dir.File("aggregator");

        var result = await CliRunner.RunAsync("init", "--data", folder, "--url", "https://annuaire.example", "--aggregator");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Membership: no trust root, admission is not computed", result.Output, StringComparison.Ordinal);
        Assert.Empty(Settings(folder)["Aggregator"]!["Membership"]!["TrustRoots"]!.AsArray());
    }

    [Theory]
    [InlineData("not a handle", "ChatonsFed:Aggregator:Membership:TrustRoots entry 'not a handle' is neither an account handle nor an http(s) actor URL")]
    [InlineData("ftp://root.example/actor", "ChatonsFed:Aggregator:Membership:TrustRoots entry 'ftp://root.example/actor' is neither an account handle nor an http(s) actor URL")]
    public async Task Init_refuses_a_trust_root_that_is_neither_a_handle_nor_a_url(string root, string message)
    {
        using var dir = new TempFolder();
        var folder = dir.File("aggregator");

        var result = await CliRunner.RunAsync("init", "--data", folder, "--url", "https://annuaire.example", "--aggregator", "--trust-root", root);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "appsettings.json")), "no settings are written from refused ones");
    }

    [Fact]
    public async Task A_trust_root_needs_the_aggregator_role()
    {
        using var dir = new TempFolder();

        var result = await CliRunner.RunAsync("init", "--data", dir.File("chaton"), "--url", "https://chaton.example", "--handle", "lynx", "--name", "Lynx",
            "--trust-root", "acct:collectif@chatons.example");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("chatonsfed: --trust-root is an aggregator's setting: add --aggregator (or --role both)", result.Error.Trim());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task A_quorum_below_one_is_refused_when_the_folder_is_opened_with_a_clear_message(int quorum)
    {
        using var dir = new TempFolder();
        var folder = dir.File("aggregator");
        Assert.Equal(0, (await CliRunner.RunAsync("init", "--data", folder, "--url", "https://annuaire.example", "--aggregator", "--trust-root", "https://root.example/actor")).ExitCode);
        var path = Path.Combine(folder, "appsettings.json");
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        settings["ChatonsFed"]!["Aggregator"]!["Membership"]!["Quorum"] = quorum;
        await File.WriteAllTextAsync(path, settings.ToJsonString());

        var result = await CliRunner.RunAsync("directory", "status", "--data", folder);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"chatonsfed: ChatonsFed:Aggregator:Membership:Quorum {quorum} must be at least 1: the number of endorsements, from admitted members on distinct hosts, that admit a chaton (default 2)", result.Error.Trim());
    }

    private static JsonNode Settings(string folder) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "appsettings.json")))!["ChatonsFed"]!;
}
