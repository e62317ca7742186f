namespace ChatonsFed.Cli.Tests;

/// <summary>
/// 'chatonsfed membership endorse|revoke|list' on a data folder while no node runs (the files directly): what the
/// command line reads, what it refuses before any request, and the list of a new node.
/// </summary>
public sealed class MembershipCommandsTests
{
    [Theory]
    [InlineData("membership")]
    [InlineData("membership endorse")]
    [InlineData("membership revoke")]
    [InlineData("membership list")]
    public async Task Every_membership_command_has_help(string command)
    {
        var result = await CliRunner.RunAsync([.. command.Split(' '), "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_help_of_endorse_names_its_options()
    {
        var result = await CliRunner.RunAsync("membership", "endorse", "--help");

        foreach (var option in new[] { "ACTOR-URL-OR-ACCT", "--data", "--valid-days", "--criteria", "--note" })
        {
            Assert.Contains(option, result.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--data", "membership", "endorse", "acct:marmotte@marmotte.example")]
    [InlineData("--valid-days", "membership", "endorse", "acct:marmotte@marmotte.example", "--data", "{folder}", "--valid-days", "a year")]
    [InlineData("Required argument missing for command: 'revoke'", "membership", "revoke", "--data", "{folder}")]
    [InlineData("Required argument missing for command: 'endorse'", "membership", "endorse", "--data", "{folder}")]
    public async Task A_command_line_that_cannot_be_read_is_one_line_naming_what_is_wrong_and_exit_2(string named, params string[] arguments)
    {
        using var folder = new TempFolder();
        var result = await CliRunner.RunAsync([.. arguments.Select(a => a.Replace("{folder}", folder.Path, StringComparison.Ordinal))]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains(named, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_node_lists_nothing_issued_and_nothing_held()
    {
        using var folder = new TempFolder();
        var data = await InitAsync(folder);

        var result = await CliRunner.RunAsync("membership", "list", "--data", data);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Issued (0):\nHeld (0):\n", result.Output.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("is this chaton itself", "membership", "endorse", "@lynx@chaton.test")]
    [InlineData("is this chaton itself", "membership", "endorse", "acct:lynx@chaton.test")]
    [InlineData("is this chaton itself", "membership", "endorse", "https://chaton.test/actor")]
    [InlineData("--valid-days 0 is out of range: a credential is valid 1 to 400 days", "membership", "endorse", "acct:marmotte@marmotte.example", "--valid-days", "0")]
    [InlineData("--valid-days 401 is out of range", "membership", "endorse", "acct:marmotte@marmotte.example", "--valid-days", "401")]
    [InlineData("--criteria 'no.such-criterion' is not in the charter criteria list", "membership", "endorse", "acct:marmotte@marmotte.example", "--criteria", "open.free-software,no.such-criterion")]
    [InlineData("'Open Source' is not a criterion id", "membership", "endorse", "acct:marmotte@marmotte.example", "--criteria", "Open Source")]
    [InlineData("the subject is missing", "membership", "endorse", " ")]
    [InlineData("is not a credential this chaton issued", "membership", "revoke", "https://chaton.test/membership/issued/00112233445566778899aabb")]
    [InlineData("the credential id is missing", "membership", "revoke", "")]
    public async Task Offline_refusals_are_one_line_exit_2_and_change_nothing(string reason, params string[] arguments)
    {
        using var folder = new TempFolder();
        var data = await InitAsync(folder);

        var result = await CliRunner.RunAsync([.. arguments, "--data", data]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(string.Empty, result.Output);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith("chatonsfed: ", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Equal("Issued (0):\nHeld (0):\n", (await CliRunner.RunAsync("membership", "list", "--data", data)).Output.ReplaceLineEndings("\n"));
    }

    private static async Task<string> InitAsync(TempFolder folder)
    {
        var data = folder.File("node");
        var init = await CliRunner.RunAsync("init", "--data", data, "--url", "https://chaton.test", "--handle", "lynx", "--name", "Lynx Net");
        Assert.True(init.ExitCode == 0, init.ToString());
        return data;
    }
}
