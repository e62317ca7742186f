namespace ChatonsFed.Cli.Tests;

/// <summary>What <c>chatonsfed init</c> tells the owner: where the node lives and how to reach its web page.</summary>
public sealed class InitOutputTests
{
    [Fact]
    public async Task Init_of_a_chaton_names_the_owners_web_page_and_how_to_sign_in()
    {
        using var dir = new TempFolder();
        var folder = dir.File("chaton");

        var result = await CliRunner.RunAsync("init", "--data", folder, "--url", "https://lynx.example", "--handle", "lynx", "--name", "Lynx Net");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Owner's web page: https://lynx.example/admin (sign in with this credential", result.Output, StringComparison.Ordinal);
        Assert.Contains($"'chatonsfed admin password --data {Path.GetFullPath(folder)} --password-stdin'", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_of_an_aggregator_alone_names_no_owners_web_page()
    {
        using var dir = new TempFolder();
        var result = await CliRunner.RunAsync("init", "--data", dir.File("aggregator"), "--url", "https://annuaire.example", "--aggregator");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("/admin", result.Output, StringComparison.Ordinal);
    }
}
