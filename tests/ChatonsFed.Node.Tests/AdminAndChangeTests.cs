using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Directory.Node;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Node.Tests;

public sealed class AdminAndChangeTests
{
    [Fact]
    public async Task Admin_API_requires_a_valid_token()
    {
        await using var node = await TestNode.InitAsync();
        using (var none = await node.Http.SendAsync(node.Admin(HttpMethod.Get, "profile", null)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Contains("admin token is required", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var wrong = await node.Http.SendAsync(node.Admin(HttpMethod.Get, "profile", node.OwnerToken + "x")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var owner = await node.Http.SendAsync(node.Admin(HttpMethod.Get, "profile", node.OwnerToken)))
        {
            Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
            Assert.Equal("Lynx Net", JsonNode.Parse(await owner.Content.ReadAsStringAsync())!["name"]!.GetValue<string>());
        }

        using var run = await node.Http.SendAsync(node.Admin(HttpMethod.Get, "profile", node.Running!.RunToken));
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
    }

    [Fact]
    public async Task Repeated_failed_admin_authentications_get_429()
    {
        await using var node = await TestNode.InitAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            using var response = await node.Http.SendAsync(node.Admin(HttpMethod.Get, "profile", "cf_wrong" + i));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        using var evenRight = await node.Http.SendAsync(node.Admin(HttpMethod.Get, "profile", node.OwnerToken));
        Assert.Equal(HttpStatusCode.TooManyRequests, evenRight.StatusCode);
        Assert.True(evenRight.Headers.RetryAfter is not null);
    }

    [Fact]
    public async Task The_admin_token_is_stored_only_as_a_hash()
    {
        await using var node = await TestNode.InitAsync(start: false);
        var database = await File.ReadAllBytesAsync(Path.Combine(node.Folder, "chatonsfed.db"));
        Assert.DoesNotContain(node.OwnerToken, Encoding.UTF8.GetString(database), StringComparison.Ordinal);
        var settings = await File.ReadAllTextAsync(Path.Combine(node.Folder, "appsettings.json"));
        Assert.DoesNotContain(node.OwnerToken, settings, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(node.Folder, "keys", "ed25519-private.pem")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(node.Folder, "keys", "rsa-private.pem")));
        }
    }

    [Fact]
    public async Task Offline_profile_change_resigns_bumps_updated_and_queues_deliveries()
    {
        await using var node = await TestNode.InitAsync(start: false);
        AddFollower(node.Folder, "https://social.example/users/alice", "https://social.example/inbox");
        var before = ActorUpdated(node.Folder);
        await Task.Delay(1100);
        var set = await CliRunner.RunAsync("profile", "set", "--data", node.Folder, "--summary", "Chaton associatif", "--latitude", "44.93", "--longitude", "4.89",
            "--place-name", "Valence", "--structure-type", "association", "--country", "FR", "--membership-status", "ACTIVE", "--member-since", "2020-01-01",
            "--contact", "contact@lynx.example", "--website", "https://lynx.example");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains("offline", set.Output, StringComparison.Ordinal);
        Assert.Contains("2 deliveries queued", set.Output, StringComparison.Ordinal);

        using (var store = NodeStore.Open(Path.Combine(node.Folder, "chatonsfed.db")))
        {
            Assert.Equal(2, store.Outbox.Count());
            Assert.Equal(2, store.DeliveryJobs.Count());
            Assert.All(store.DeliveryJobs.FindAll(), j => Assert.Equal("https://social.example/inbox", j.Inbox));
        }

        Assert.True(ActorUpdated(node.Folder) > before);
        await node.StartAsync();
        var actor = JsonNode.Parse(await node.Http.GetStringAsync("/actor"))!.AsObject();
        Assert.Equal("FR", actor["country"]!.GetValue<string>());
        Assert.Equal("ASSOCIATION", actor["structureType"]!.GetValue<string>());
        Assert.Equal(44.93, actor["location"]!["latitude"]!.GetValue<double>());
        Assert.Equal("mailto:contact@lynx.example", actor["contact"]!.GetValue<string>());
        Assert.Equal("2020-01-01", actor["membership"]!["since"]!.GetValue<string>());
        Assert.True(ChatonsFed.Protocol.Proofs.ProofVerifier.Verify(actor, actor).IsValid);
    }

    [Theory]
    [InlineData("Messagerie instantanée", "messagerie-instantanee")]
    [InlineData("Œuvres & Bureautique ÉTÉ", "oeuvres-bureautique-ete")]
    [InlineData("Pad e\u0301crit", "pad-ecrit")]
    public async Task Service_slugs_fold_accents_to_ASCII(string name, string slug)
    {
        await using var node = await TestNode.InitAsync();
        var result = await node.Running!.ServiceCatalogue.AddAsync(new ServiceChanges
        {
            Category = "collaborative-writing",
            Name = name,
            Url = "https://pad.example",
        });
        Assert.Equal(slug, result.Slug);
    }

    [Fact]
    public async Task Changes_through_the_running_node_are_served_at_once()
    {
        await using var node = await TestNode.InitAsync();
        node.Running!.NodeStore.Followers.Insert(new FollowerRecord { Id = "https://social.example/users/bob", Inbox = "https://social.example/users/bob/inbox", SharedInbox = "https://social.example/inbox" });
        using var before = await node.Http.SendAsync(node.Get("/actor"));
        var etagBefore = before.Headers.ETag!.Tag;
        var updatedBefore = JsonNode.Parse(await before.Content.ReadAsStringAsync())!["updated"]!.GetValue<string>();

        var add = await CliRunner.RunAsync("service", "add", "--data", node.Folder, "--category", "collaborative-writing", "--name", "Pad", "--url", "https://pad.example", "--software", "Etherpad", "--software-version", "2.0", "--license", "Apache-2.0", "--registration", "free", "--capacity", "open", "--status", "ok");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains("through the running node", add.Output, StringComparison.Ordinal);
        var service = JsonNode.Parse(await node.Http.GetStringAsync("/services/pad"))!;
        Assert.Equal("Etherpad", service["software"]!["name"]!.GetValue<string>());

        var update = await CliRunner.RunAsync("service", "update", "--data", node.Folder, "pad", "--status", "degraded");
        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.Equal("degraded", JsonNode.Parse(await node.Http.GetStringAsync("/services/pad"))!["status"]!.GetValue<string>());

        await Task.Delay(1100);
        var profile = await CliRunner.RunAsync("profile", "set", "--data", node.Folder, "--name", "Lynx Network");
        Assert.True(profile.ExitCode == 0, profile.ToString());
        using var after = await node.Http.SendAsync(node.Get("/actor"));
        Assert.NotEqual(etagBefore, after.Headers.ETag!.Tag);
        var actor = JsonNode.Parse(await after.Content.ReadAsStringAsync())!;
        Assert.Equal("Lynx Network", actor["name"]!.GetValue<string>());
        Assert.True(string.CompareOrdinal(actor["updated"]!.GetValue<string>(), updatedBefore) > 0);

        var store = node.Running!.NodeStore;
        Assert.Equal(6, store.Outbox.Count());
        Assert.Equal(6, store.DeliveryJobs.Count());
        Assert.Contains(store.Outbox.FindAll(), o => o.Type == "Create" && o.Json.Contains("\"HostedService\"", StringComparison.Ordinal));

        var list = await CliRunner.RunAsync("service", "list", "--data", node.Folder);
        Assert.Contains("pad\tcollaborative-writing\tPad", list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attestation_and_key_rotation_through_the_admin_API()
    {
        await using var node = await TestNode.InitAsync();
        var oldActor = JsonNode.Parse(await node.Http.GetStringAsync("/actor"))!.AsObject();
        var rotate = await CliRunner.RunAsync("keys", "rotate", "--data", node.Folder);
        Assert.True(rotate.ExitCode == 0, rotate.ToString());
        var newActor = JsonNode.Parse(await node.Http.GetStringAsync("/actor"))!.AsObject();
        Assert.NotEqual(oldActor["publicKey"]!["publicKeyPem"]!.GetValue<string>(), newActor["publicKey"]!["publicKeyPem"]!.GetValue<string>());
        Assert.True(ChatonsFed.Protocol.Proofs.ProofVerifier.Verify(newActor, newActor).IsValid);
        var update = node.Running!.NodeStore.Outbox.FindAll().Single(o => o.Type == "Update");
        var activity = JsonNode.Parse(update.Json)!.AsObject();
        Assert.True(ChatonsFed.Protocol.Proofs.ProofVerifier.Verify(activity, oldActor).IsValid, "the Update is signed with the old key");
        var attestation = JsonNode.Parse(await node.Http.GetStringAsync("/attestation"))!.AsObject();
        Assert.True(ChatonsFed.Protocol.Proofs.ProofVerifier.Verify(attestation, newActor).IsValid);

        using var request = node.Admin(HttpMethod.Patch, "attestation", node.OwnerToken);
        request.Content = JsonContent.Create(new { met = new[] { "open.free-software" } });
        using var response = await node.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Each_new_list_of_services_is_signed_later_than_the_previous_one_and_again_at_key_rotation()
    {
        await using var node = await TestNode.InitAsync();
        var versions = new List<string> { await ServicesCollectionCreatedAsync(node) };
        string[][] changes =
        [
            ["service", "add", "--slug", "pad", "--category", "collaborative-writing", "--name", "Pad", "--url", "https://pad.example"],
            ["service", "add", "--slug", "visio", "--category", "video-conference", "--name", "Visio", "--url", "https://visio.example"],
            ["service", "remove", "pad"],
            ["keys", "rotate"],
        ];
        foreach (var change in changes)
        {
            // Within one second: the collection has no `updated`, its proof's time is its version.
            var result = await CliRunner.RunAsync([.. change, "--data", node.Folder]);
            Assert.True(result.ExitCode == 0, result.ToString());
            versions.Add(await ServicesCollectionCreatedAsync(node));
        }

        Assert.All(versions.Zip(versions.Skip(1)), pair => Assert.True(string.CompareOrdinal(pair.Second, pair.First) > 0, $"{pair.Second} is not later than {pair.First}"));
        var actor = JsonNode.Parse(await node.Http.GetStringAsync("/actor"))!.AsObject();
        var collection = JsonNode.Parse(await node.Http.GetStringAsync("/services"))!.AsObject();
        Assert.True(ChatonsFed.Protocol.Proofs.ProofVerifier.Verify(collection, actor).IsValid, "the collection is signed again with the new key");
    }

    private static async Task<string> ServicesCollectionCreatedAsync(TestNode node) =>
        JsonNode.Parse(await node.Http.GetStringAsync("/services"))!["proof"]!["created"]!.GetValue<string>();

    [Theory]
    [InlineData("profile set --country france", "--country 'france'")]
    [InlineData("profile set --latitude 95 --longitude 4", "--latitude 95")]
    [InlineData("profile set --member-since 2020-13-01", "--member-since")]
    [InlineData("profile set --structure-type CLUB", "--structure-type 'CLUB'")]
    [InlineData("service add --category video --name Visio --url not-a-url", "--url 'not-a-url'")]
    [InlineData("service add --category video --name Visio --url https://v.example --capacity huge", "--capacity 'huge'")]
    [InlineData("service update nothing --status ok", "no service 'nothing'")]
    [InlineData("attestation set --met X!", "not a criterion id")]
    public async Task Bad_values_get_one_clear_line_and_a_nonzero_exit(string command, string expected)
    {
        await using var node = await TestNode.InitAsync(start: false);
        var args = command.Split(' ').ToList();
        args.InsertRange(2, ["--data", node.Folder]);
        var result = await CliRunner.RunAsync([.. args]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Block_drops_followers_and_unblock_reports_what_it_did()
    {
        await using var node = await TestNode.InitAsync(start: false);
        AddFollower(node.Folder, "https://spam.example/users/x", "https://spam.example/inbox");
        var block = await CliRunner.RunAsync("block", "spam.example", "--data", node.Folder);
        Assert.True(block.ExitCode == 0, block.ToString());
        using (var store = NodeStore.Open(Path.Combine(node.Folder, "chatonsfed.db")))
        {
            Assert.Equal(0, store.Followers.Count());
            Assert.NotNull(store.BlockedDomains.FindById("spam.example"));
        }

        await node.StartAsync();
        Assert.True(node.Running!.BlockList.IsBlocked("https://sub.spam.example/users/y"));
        var unblock = await CliRunner.RunAsync("unblock", "spam.example", "--data", node.Folder);
        Assert.Contains("unblocked (through the running node)", unblock.Output, StringComparison.Ordinal);
        Assert.False(node.Running!.BlockList.IsBlocked("https://spam.example/users/x"));
    }

    [Fact]
    public async Task Bad_settings_stop_serve_with_one_line_each_naming_the_key()
    {
        await using var node = await TestNode.InitAsync(start: false);
        await node.ConfigureAsync(settings =>
        {
            settings["MaxBodyBytes"] = 12;
            settings["AllowPrivateNetwork"] = false;
            settings["PublicUrl"] = "http://chaton.test";
            settings["AllowedNetworks"] = new JsonArray("10.1.0.0/16", "not-a-network");
        });
        var serve = await CliRunner.RunAsync("serve", "--data", node.Folder, "--urls", "http://127.0.0.1:0");
        Assert.NotEqual(0, serve.ExitCode);
        Assert.Contains("ChatonsFed:PublicUrl", serve.Error, StringComparison.Ordinal);
        Assert.Contains("ChatonsFed:MaxBodyBytes", serve.Error, StringComparison.Ordinal);
        Assert.Contains("ChatonsFed:AllowedNetworks entry 'not-a-network'", serve.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", serve.Error, StringComparison.Ordinal);
        Assert.Equal(3, serve.Error.Trim().Split('\n').Length);
    }

    [Theory]
    [InlineData("rsa-private.pem", "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n", "not an RSA PKCS#8 private key")]
    [InlineData("ed25519-private.pem", "garbage", "PEM")]
    [InlineData("ed25519-private.pem", null, "not an Ed25519 PKCS#8 private key")]
    public async Task A_damaged_key_file_stops_serve_with_one_line_naming_it(string file, string? content, string reason)
    {
        await using var node = await TestNode.InitAsync(start: false);
        var path = Path.Combine(node.Folder, "keys", file);
        // Without content: the RSA key put in the Ed25519 key's place.
        await File.WriteAllTextAsync(path, content ?? await File.ReadAllTextAsync(Path.Combine(node.Folder, "keys", "rsa-private.pem")));
        var serve = await CliRunner.RunAsync("serve", "--data", node.Folder, "--urls", "http://127.0.0.1:0");
        Assert.NotEqual(0, serve.ExitCode);
        Assert.Contains(file, serve.Error, StringComparison.Ordinal);
        Assert.Contains(reason, serve.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", serve.Error, StringComparison.Ordinal);
        Assert.Single(serve.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Init_refuses_an_existing_folder_and_plain_http_without_the_flag()
    {
        await using var node = await TestNode.InitAsync(start: false);
        var again = await CliRunner.RunAsync("init", "--data", node.Folder, "--url", "https://chaton.test", "--handle", "lynx", "--name", "Lynx");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("never overwritten", again.Error, StringComparison.Ordinal);
        var http = await CliRunner.RunAsync("init", "--data", node.Folder + "-other", "--url", "http://127.0.0.1:8080", "--handle", "lynx", "--name", "Lynx");
        Assert.NotEqual(0, http.ExitCode);
        Assert.Contains("must use https", http.Error, StringComparison.Ordinal);
    }

    private static void AddFollower(string folder, string id, string inbox)
    {
        using var store = NodeStore.Open(Path.Combine(folder, "chatonsfed.db"));
        store.Followers.Insert(new FollowerRecord { Id = id, Inbox = inbox });
    }

    private static DateTimeOffset ActorUpdated(string folder)
    {
        using var store = NodeStore.Open(Path.Combine(folder, "chatonsfed.db"));
        return store.Profile!.Updated;
    }
}
