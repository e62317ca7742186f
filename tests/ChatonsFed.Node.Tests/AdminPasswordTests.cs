using System.Net;
using System.Text;
using ChatonsFed.Cli;
using ChatonsFed.Hosting.Admin;

namespace ChatonsFed.Node.Tests;

/// <summary><c>chatonsfed admin password</c>: the web page's password, set offline or through the running node.</summary>
public sealed class AdminPasswordTests
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task A_password_set_offline_signs_in_and_is_stored_only_as_a_hash()
    {
        await using var node = await TestNode.InitAsync($"http://127.0.0.1:{TestHost.FreePort()}", start: false);
        var set = await SetPasswordAsync(node.Folder, Password + "\n");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains("offline", set.Output, StringComparison.Ordinal);
        var database = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(node.Folder, "chatonsfed.db")));
        Assert.DoesNotContain(Password, database, StringComparison.Ordinal);
        Assert.Contains("pbkdf2-sha256$600000$", database, StringComparison.Ordinal);

        await node.StartOnPublicUrlAsync();
        using (var browser = new AdminPageClient(node.Running!.Address))
        {
            await browser.SignInOrFailAsync(Password);
        }

        using var withCredential = new AdminPageClient(node.Running.Address);
        await withCredential.SignInOrFailAsync(node.OwnerToken);
    }

    [Fact]
    public async Task A_password_set_through_the_running_node_signs_in_and_ends_earlier_sessions()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var earlier = new AdminPageClient(node.Running!.Address);
        await earlier.SignInOrFailAsync(node.OwnerToken);

        var set = await SetPasswordAsync(node.Folder, Password);
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains("through the running node", set.Output, StringComparison.Ordinal);

        var (status, _, response) = await earlier.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.SeeOther, status);
        response.Dispose();

        using var browser = new AdminPageClient(node.Running.Address);
        using (var wrong = await browser.SignInAsync(Password + "!"))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        }

        await browser.SignInOrFailAsync(Password);
        var (overview, html, page) = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, overview);
        Assert.Contains("Un mot de passe est défini", html, StringComparison.Ordinal);
        page.Dispose();
    }

    [Theory]
    [InlineData("", "the password is empty; give one of at least 12 characters")]
    [InlineData("\n", "the password is empty; give one of at least 12 characters")]
    [InlineData("short pass\n", "the password has 10 characters; give one of at least 12")]
    public async Task An_empty_or_short_password_is_refused_in_one_line_with_exit_2(string input, string reason)
    {
        await using var node = await TestNode.InitAsync(start: false);
        var set = await SetPasswordAsync(node.Folder, input);
        Assert.Equal(CliApplication.UsageError, set.ExitCode);
        Assert.Equal($"chatonsfed: {reason}; nothing changed", set.Error.TrimEnd('\n'));
        using var store = Storage.NodeStore.Open(Path.Combine(node.Folder, "chatonsfed.db"));
        Assert.Null(store.AdminCredentials.FindById(1)!.PasswordHash);
    }

    [Fact]
    public async Task The_password_is_read_only_from_standard_input()
    {
        await using var node = await TestNode.InitAsync(start: false);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApplication.RunAsync(["admin", "password", "--data", node.Folder], new StringReader(Password), output, error);
        Assert.Equal(CliApplication.UsageError, code);
        Assert.Contains("--password-stdin", error.ToString(), StringComparison.Ordinal);
        Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Hashes_are_salted_and_verified_in_full()
    {
        var first = AdminPassword.Hash(Password);
        var second = AdminPassword.Hash(Password);
        Assert.NotEqual(first, second);
        Assert.True(AdminPassword.Verify(Password, first));
        Assert.False(AdminPassword.Verify(Password + " ", first));
        Assert.False(AdminPassword.Verify(Password, null));
        Assert.False(AdminPassword.Verify(Password, "pbkdf2-sha256$1$AAAA$"));
    }

    private static async Task<CliResult> SetPasswordAsync(string folder, string input)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApplication.RunAsync(["admin", "password", "--data", folder, "--password-stdin"], new StringReader(input), output, error);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
