using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Tests;

namespace ChatonsFed.Cli.Tests;

public class KeyAndProofCommandsTests
{
    private static string Example(string name) => RepositoryFiles.ExampleChaton(name);

    [Fact]
    public async Task Keygen_writes_both_key_pairs_with_private_files_readable_by_the_owner_only()
    {
        using var dir = new TempFolder();
        var result = await CliRunner.RunAsync("keygen", "--out", dir.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var name in new[] { "ed25519-private.pem", "ed25519-public.pem", "rsa-private.pem", "rsa-public.pem" })
        {
            Assert.True(File.Exists(dir.File(name)), $"{name} missing; {result}");
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("ed25519-private.pem")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("rsa-private.pem")));
        }

        Assert.Contains("z6Mk", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keygen_refuses_to_overwrite_existing_keys()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync("keygen", "--out", dir.Path)).ExitCode);
        var before = await File.ReadAllTextAsync(dir.File("ed25519-private.pem"));

        var again = await CliRunner.RunAsync("keygen", "--out", dir.Path);

        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already", again.Error, StringComparison.Ordinal);
        Assert.Single(again.Error.Trim().Split('\n'));
        Assert.Equal(before, await File.ReadAllTextAsync(dir.File("ed25519-private.pem")));
    }

    [Theory]
    [InlineData("actor.json")]
    [InlineData("attestation.json")]
    [InlineData("service-1.json")]
    [InlineData("service-2.json")]
    [InlineData("service-3.json")]
    [InlineData("service-4.json")]
    [InlineData("service-5.json")]
    public async Task Verify_accepts_documents_signed_by_another_implementation(string name)
    {
        var result = await CliRunner.RunAsync("verify", Example(name), "--actor", Example("actor.json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("valid", result.Output.Trim());
    }

    [Fact]
    public async Task Verify_of_an_actor_needs_no_separate_actor_file()
    {
        var result = await CliRunner.RunAsync("verify", Example("actor.json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("valid", result.Output.Trim());
    }

    [Fact]
    public async Task Verify_rejects_a_tampered_document_with_a_reason()
    {
        using var dir = new TempFolder();
        var doc = JsonNode.Parse(await File.ReadAllTextAsync(Example("service-1.json")))!.AsObject();
        doc["name"] = doc["name"]!.GetValue<string>() + "!";
        await File.WriteAllTextAsync(dir.File("tampered.json"), doc.ToJsonString());

        var result = await CliRunner.RunAsync("verify", dir.File("tampered.json"), "--actor", Example("actor.json"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("invalid: ", result.Output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_then_verify_round_trips_and_any_change_is_caught()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync("keygen", "--out", dir.Path)).ExitCode);
        var keys = await CliRunner.RunAsync("keygen", "--out", dir.File("other"));
        Assert.Equal(0, keys.ExitCode);

        // An actor document that lists the generated key, signed by that key.
        var multibase = ReadMultibase(dir.File("ed25519-public.pem"));
        var actor = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1", "https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"),
            ["id"] = "https://node.example/actor",
            ["type"] = "Organization",
            ["name"] = "Chaton d'essai",
            ["assertionMethod"] = new JsonArray(new JsonObject
            {
                ["id"] = "https://node.example/actor#ed25519-key",
                ["type"] = "Multikey",
                ["controller"] = "https://node.example/actor",
                ["publicKeyMultibase"] = multibase,
            }),
        };
        await File.WriteAllTextAsync(dir.File("actor.json"), actor.ToJsonString());
        var signed = await CliRunner.RunAsync("sign", "--key", dir.File("ed25519-private.pem"), "--method", "https://node.example/actor#ed25519-key", dir.File("actor.json"));
        Assert.True(signed.ExitCode == 0, signed.ToString());
        await File.WriteAllTextAsync(dir.File("signed.json"), signed.Output);

        var ok = await CliRunner.RunAsync("verify", dir.File("signed.json"));
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal("valid", ok.Output.Trim());

        var tampered = JsonNode.Parse(signed.Output)!.AsObject();
        tampered["name"] = "Autre nom";
        await File.WriteAllTextAsync(dir.File("tampered.json"), tampered.ToJsonString());
        var bad = await CliRunner.RunAsync("verify", dir.File("tampered.json"));
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith("invalid: ", bad.Output, StringComparison.Ordinal);

        // Signed by a key the actor does not list.
        var foreign = await CliRunner.RunAsync("sign", "--key", Path.Combine(dir.File("other"), "ed25519-private.pem"), "--method", "https://node.example/actor#ed25519-key", dir.File("actor.json"));
        await File.WriteAllTextAsync(dir.File("foreign.json"), foreign.Output);
        var wrongKey = await CliRunner.RunAsync("verify", dir.File("foreign.json"));
        Assert.Equal(1, wrongKey.ExitCode);
    }

    [Fact]
    public async Task Verify_of_an_unsigned_collection_says_it_has_no_proof()
    {
        var result = await CliRunner.RunAsync("verify", Example("followers.json"), "--actor", Example("actor.json"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("invalid: the object has no proof", result.Output.Trim());
    }

    [Fact]
    public async Task Missing_file_is_one_line_on_stderr_and_a_non_zero_exit()
    {
        var result = await CliRunner.RunAsync("verify", "/nonexistent/doc.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains("/nonexistent/doc.json", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_json_is_refused_clearly()
    {
        using var dir = new TempFolder();
        await File.WriteAllTextAsync(dir.File("junk.json"), "{ not json");

        var result = await CliRunner.RunAsync("verify", dir.File("junk.json"));

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains("JSON", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_with_a_missing_option_names_it()
    {
        var result = await CliRunner.RunAsync("sign", "doc.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--key", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Sign_with_a_key_that_is_not_a_key_is_refused_clearly()
    {
        using var dir = new TempFolder();
        await File.WriteAllTextAsync(dir.File("key.pem"), "hello");
        await File.WriteAllTextAsync(dir.File("doc.json"), "{\"id\":\"https://a.example/x\"}");

        var result = await CliRunner.RunAsync("sign", "--key", dir.File("key.pem"), "--method", "https://a.example/actor#k", dir.File("doc.json"));

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("keygen")]
    [InlineData("sign")]
    [InlineData("verify")]
    public async Task Every_command_has_help(string command)
    {
        var result = await CliRunner.RunAsync(command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_command_is_one_line_and_exit_2()
    {
        var result = await CliRunner.RunAsync("frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    private static string ReadMultibase(string publicPemPath)
    {
        // keygen also writes the multibase form next to the PEM file.
        var path = Path.ChangeExtension(publicPemPath, ".multibase");
        return File.ReadAllText(path).Trim();
    }
}
