using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Membership;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Node.Tests;

/// <summary>
/// Verifiable membership between real nodes, each a 'chatonsfed init' folder served by the node host on its own loopback
/// address: a chaton endorses another (command line or admin API), the credential is served, verifies, reaches its
/// subject, which fetches, verifies and lists it; revocation, refusals, the owner's list and key rotation.
/// </summary>
public sealed class MembershipTests
{
    private const string Issuer = "127.0.0.2";
    private const string Subject = "127.0.0.3";

    [Fact]
    public async Task An_endorsement_from_the_command_line_is_served_signed_announced_and_held_by_its_subject()
    {
        await using var lynx = await StartAsync(Issuer, "lynx", "Lynx Net");
        await using var marmotte = await StartAsync(Subject, "marmotte", "La Marmotte");
        await using var follower = await PeerServer.StartAsync("127.0.0.4");
        using (var follow = await follower.PostAsync(lynx.Http, new Uri(lynx.Running!.Address, "/actor/inbox"), follower.Activity("follow-1", "Follow", ActorId(lynx)), HttpSignatureFlavour.Rfc9421))
        {
            Assert.Equal(HttpStatusCode.Accepted, follow.StatusCode);
        }

        await follower.WaitForAsync(a => a["type"]?.GetValue<string>() == "Accept");

        var endorse = await CliRunner.RunAsync("membership", "endorse", Acct(marmotte, "marmotte"), "--data", lynx.Folder,
            "--criteria", "hoster.control,open.free-software", "--note", "Candidature examinée sur le forum du collectif.");

        Assert.True(endorse.ExitCode == 0, endorse.ToString());
        var id = CredentialIdIn(endorse.Output);
        Assert.StartsWith(lynx.PublicUrl + "/membership/issued/", id, StringComparison.Ordinal);
        Assert.Contains($"Endorsed {ActorId(marmotte)} (through the running node): {id}", endorse.Output, StringComparison.Ordinal);
        Assert.Contains($"valid until {TimeProvider.System.GetUtcNow().AddDays(365):yyyy-MM-dd}T", endorse.Output, StringComparison.Ordinal);

        // Served as signed: it verifies against the actor and the revocation list the issuer serves.
        var now = TimeProvider.System.GetUtcNow();
        var actor = await lynx.GetJsonAsync("/actor");
        Assert.Equal(lynx.PublicUrl + "/membership/issued", actor["issuedEndorsements"]!.GetValue<string>());
        Assert.Equal(lynx.PublicUrl + "/membership/endorsements", actor["endorsements"]!.GetValue<string>());
        var (served, mediaType) = await GetAsync(lynx, id, "application/activity+json");
        Assert.Equal("application/ld+json", mediaType);
        Assert.Equal("application/vc", (await GetAsync(lynx, id, "application/vc")).MediaType);
        var list = await StatusListAsync(lynx, actor, now);
        Assert.Equal(0, list.CountSet());
        var verdict = CredentialVerifier.Verify(served, CredentialSource.Direct, actor, url => url == lynx.PublicUrl + "/membership/status" ? list : null, now);
        Assert.True(verdict.Accepted, $"{verdict.Failure}: {verdict.Detail}");
        var credential = verdict.Credential!;
        Assert.Equal((ActorId(lynx), ActorId(marmotte)), (credential.Issuer, credential.Subject));
        Assert.Equal(["hoster.control", "open.free-software"], credential.Criteria.Select(c => c.Id));
        Assert.Equal("Candidature examinée sur le forum du collectif.", credential.Note);
        Assert.Equal(TimeSpan.FromDays(365), credential.ValidUntil - credential.ValidFrom);
        var attestation = await marmotte.GetJsonAsync("/attestation");
        Assert.Equal((marmotte.PublicUrl + "/attestation", AttestationDigest.Compute(attestation)), (credential.AttestationId, credential.AttestationDigest));
        Assert.Equal(attestation["charter"]!["version"]!.GetValue<string>(), credential.CharterVersion);

        // Listed by its issuer, and announced by an Add to the followers (and to the subject).
        var issued = await lynx.GetJsonAsync("/membership/issued");
        Assert.Equal(1, issued["totalItems"]!.GetValue<int>());
        Assert.Equal(id, issued["orderedItems"]![0]!["id"]!.GetValue<string>());
        var add = await follower.WaitForAsync(a => a["type"]?.GetValue<string>() == "Add");
        Assert.Equal((id, lynx.PublicUrl + "/membership/issued"), (add["object"]!.GetValue<string>(), add["target"]!.GetValue<string>()));
        Assert.Equal(["https://www.w3.org/ns/activitystreams#Public", ActorId(marmotte)], add["to"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(lynx.PublicUrl + "/actor/followers", add["cc"]![0]!.GetValue<string>());

        // The subject fetched it, verified it and lists it.
        var held = await WaitForHeldAsync(marmotte, 1);
        var copy = held["orderedItems"]![0]!.AsObject();
        Assert.Equal(id, copy["id"]!.GetValue<string>());
        var heldVerdict = CredentialVerifier.Verify(copy, CredentialSource.HeldBy(ActorId(marmotte)), actor, _ => list, now);
        Assert.True(heldVerdict.Accepted, $"{heldVerdict.Failure}: {heldVerdict.Detail}");

        var issuerList = await CliRunner.RunAsync("membership", "list", "--data", lynx.Folder);
        Assert.Contains("Issued (1):", issuerList.Output, StringComparison.Ordinal);
        Assert.Contains($"  {id}\t{ActorId(marmotte)}\t{credential.ValidUntil:yyyy-MM-dd'T'HH:mm:ss'Z'}\tvalid", issuerList.Output, StringComparison.Ordinal);
        Assert.Contains("Held (0):", issuerList.Output, StringComparison.Ordinal);
        var subjectList = await CliRunner.RunAsync("membership", "list", "--data", marmotte.Folder);
        Assert.Contains("Issued (0):", subjectList.Output, StringComparison.Ordinal);
        Assert.Contains($"Held (1):\n  {id}\t{ActorId(lynx)}\t{credential.ValidUntil:yyyy-MM-dd'T'HH:mm:ss'Z'}\tvalid", subjectList.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revocation_through_the_admin_API_sets_the_bit_keeps_the_credential_and_its_subject_marks_it_revoked()
    {
        await using var lynx = await StartAsync(Issuer, "lynx", "Lynx Net");
        await using var marmotte = await StartAsync(Subject, "marmotte", "La Marmotte");
        using var endorse = await AdminAsync(lynx, HttpMethod.Post, "membership/endorse", new { subject = ActorId(marmotte), validDays = 30, criteria = "all" });
        Assert.Equal(HttpStatusCode.OK, endorse.StatusCode);
        var result = JsonNode.Parse(await endorse.Content.ReadAsStringAsync())!;
        var id = result["id"]!.GetValue<string>();
        Assert.Equal(TimeSpan.FromDays(30), result["validUntil"]!.GetValue<DateTimeOffset>() - result["validFrom"]!.GetValue<DateTimeOffset>());
        await WaitForHeldAsync(marmotte, 1);
        var (served, _) = await GetAsync(lynx, id, "application/ld+json");
        var credential = CredentialVerifier.Parse(served, CredentialSource.Direct).Credential!;
        Assert.Equal(NodeCriteria(), credential.Criteria.Select(c => c.Id));
        Assert.All(credential.Criteria, c => Assert.True(c.Met));

        var revoke = await CliRunner.RunAsync("membership", "revoke", id, "--data", lynx.Folder);

        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        Assert.Contains($"Revoked {id} (through the running node)", revoke.Output, StringComparison.Ordinal);
        var actor = await lynx.GetJsonAsync("/actor");
        var list = await StatusListAsync(lynx, actor, TimeProvider.System.GetUtcNow());
        Assert.Equal(1, list.CountSet());
        Assert.True(list.IsSet(credential.StatusListIndex));
        Assert.Equal(served, (await GetAsync(lynx, id, "application/ld+json")).Body);
        Assert.Equal(id, (await lynx.GetJsonAsync("/membership/issued"))["orderedItems"]![0]!["id"]!.GetValue<string>());
        await TestHost.WaitForAsync(async () => (await HeldStatesAsync(marmotte)).SequenceEqual([(id, "revoked")]), 20, "the subject marks the credential revoked");
        Assert.Equal(1, (await marmotte.GetJsonAsync("/membership/endorsements"))["totalItems"]!.GetValue<int>());
        Assert.Contains($"  {id}\t{ActorId(marmotte)}\t{credential.ValidUntil:yyyy-MM-dd'T'HH:mm:ss'Z'}\trevoked", (await CliRunner.RunAsync("membership", "list", "--data", lynx.Folder)).Output, StringComparison.Ordinal);

        // Twice: nothing changes, and the command says so.
        var listBefore = await lynx.GetBytesAsync("/membership/status");
        var again = await CliRunner.RunAsync("membership", "revoke", id, "--data", lynx.Folder);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"{id} was already revoked on ", again.Output, StringComparison.Ordinal);
        Assert.Contains("nothing changed", again.Output, StringComparison.Ordinal);
        Assert.Equal(listBefore, await lynx.GetBytesAsync("/membership/status"));
        using var twice = await AdminAsync(lynx, HttpMethod.Post, "membership/revoke", new { id });
        Assert.True(JsonNode.Parse(await twice.Content.ReadAsStringAsync())!["alreadyRevoked"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Every_refused_endorsement_or_revocation_is_one_line_and_exit_2_and_the_admin_API_answers_a_problem_document()
    {
        await using var lynx = await StartAsync(Issuer, "lynx", "Lynx Net");
        await using var marmotte = await StartAsync(Subject, "marmotte", "La Marmotte");
        await using var person = await PeerServer.StartAsync("127.0.0.4");
        await using var hibou = await StartBehindTamperingProxyAsync("127.0.0.5");
        var marmotteHost = new Uri(marmotte.PublicUrl).Authority;

        (string[] Arguments, string Reason)[] refusals =
        [
            (["membership", "endorse", ActorId(lynx)], "is this chaton itself"),
            (["membership", "endorse", $"@lynx@{new Uri(lynx.PublicUrl).Authority}"], "is this chaton itself"),
            (["membership", "endorse", "acct:nobody@127.0.0.9:9"], "the subject acct:nobody@127.0.0.9:9 cannot be found"),
            (["membership", "endorse", $"acct:nobody@{marmotteHost}"], "cannot be found: WebFinger for acct:nobody@"),
            (["membership", "endorse", person.ActorId], $"{person.ActorId} is not a chaton: its actor is a Person, not an Organization"),
            (["membership", "endorse", ActorId(hibou.Node)], $"{ActorId(hibou.Node)} has no verified charter attestation: its proof does not verify"),
            (["membership", "endorse", ActorId(marmotte), "--valid-days", "0"], "--valid-days 0 is out of range"),
            (["membership", "endorse", ActorId(marmotte), "--valid-days", "401"], "--valid-days 401 is out of range"),
            (["membership", "endorse", ActorId(marmotte), "--criteria", "hoster.control,no.such-thing"], "--criteria 'no.such-thing' is not in the charter criteria list"),
            (["membership", "revoke", lynx.PublicUrl + "/membership/issued/0123456789abcdef01234567"], "is not a credential this chaton issued"),
            (["membership", "revoke", marmotte.PublicUrl + "/membership/issued/0123456789abcdef01234567"], "is not a credential this chaton issued"),
        ];

        foreach (var (arguments, reason) in refusals)
        {
            var run = await CliRunner.RunAsync([.. arguments, "--data", lynx.Folder]);
            Assert.True(run.ExitCode == 2, $"{string.Join(' ', arguments)}: {run}");
            Assert.Equal(string.Empty, run.Output);
            var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("chatonsfed: ", line, StringComparison.Ordinal);
            Assert.Contains(reason, line, StringComparison.Ordinal);
        }

        Assert.Equal(0, (await lynx.GetJsonAsync("/membership/issued"))["totalItems"]!.GetValue<int>());
        Assert.True(hibou.Tampered > 0);

        // The same refusals through the admin API: 400 with a problem document saying why.
        foreach (var (body, reason) in new (object Body, string Reason)[]
        {
            (new { subject = ActorId(marmotte), validDays = 401 }, "validDays 401 is out of range"),
            (new { subject = person.ActorId }, "is not a chaton"),
            (new { subject = ActorId(marmotte), criteria = "Nope!" }, "is not a criterion id"),
            (new { validDays = 10 }, "the subject is missing"),
        })
        {
            using var refused = await AdminAsync(lynx, HttpMethod.Post, "membership/endorse", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains(reason, JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        using var unknown = await AdminAsync(lynx, HttpMethod.Post, "membership/revoke", new { id = "https://elsewhere.example/membership/issued/1" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("is not a credential this chaton issued", JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endorsement_made_offline_waits_in_the_delivery_queue_and_reaches_its_subject_when_the_node_runs()
    {
        await using var lynx = await StartAsync(Issuer, "lynx", "Lynx Net");
        await using var marmotte = await StartAsync(Subject, "marmotte", "La Marmotte");
        await lynx.StopAsync();

        var endorse = await CliRunner.RunAsync("membership", "endorse", $"@marmotte@{new Uri(marmotte.PublicUrl).Authority}", "--data", lynx.Folder, "--valid-days", "400");
        Assert.True(endorse.ExitCode == 0, endorse.ToString());
        Assert.Contains("(offline)", endorse.Output, StringComparison.Ordinal);
        Assert.Contains("1 delivery queued", endorse.Output, StringComparison.Ordinal);
        var id = CredentialIdIn(endorse.Output);
        var list = await CliRunner.RunAsync("membership", "list", "--data", lynx.Folder);
        Assert.Contains($"  {id}\t{ActorId(marmotte)}\t", list.Output, StringComparison.Ordinal);

        await lynx.StartOnPublicUrlAsync();
        var held = await WaitForHeldAsync(marmotte, 1);
        Assert.Equal(id, held["orderedItems"]![0]!["id"]!.GetValue<string>());
        Assert.Equal([(id, "valid")], await HeldStatesAsync(marmotte));
    }

    [Fact]
    public async Task A_key_rotation_signs_the_credentials_and_the_list_again_and_the_subject_takes_the_new_copy()
    {
        await using var lynx = await StartAsync(Issuer, "lynx", "Lynx Net");
        await using var marmotte = await StartAsync(Subject, "marmotte", "La Marmotte");
        var id = CredentialIdIn((await CliRunner.RunAsync("membership", "endorse", ActorId(marmotte), "--data", lynx.Folder)).Output);
        var firstCopy = (await WaitForHeldAsync(marmotte, 1))["orderedItems"]![0]!.ToJsonString();
        var oldActor = await lynx.GetJsonAsync("/actor");
        var (before, _) = await GetAsync(lynx, id, "application/ld+json");
        var listBefore = await lynx.GetBytesAsync("/membership/status");

        var rotate = await CliRunner.RunAsync("keys", "rotate", "--data", lynx.Folder);

        Assert.True(rotate.ExitCode == 0, rotate.ToString());
        Assert.Contains("2 activities published", rotate.Output, StringComparison.Ordinal);
        var now = TimeProvider.System.GetUtcNow();
        var actor = await lynx.GetJsonAsync("/actor");
        Assert.NotEqual(oldActor["assertionMethod"]!.ToJsonString(), actor["assertionMethod"]!.ToJsonString());
        var (after, _) = await GetAsync(lynx, id, "application/ld+json");
        Assert.NotEqual(before, after);
        var list = await StatusListAsync(lynx, actor, now);
        Assert.NotEqual(listBefore, await lynx.GetBytesAsync("/membership/status"));
        Assert.True(CredentialVerifier.Verify(after, CredentialSource.Direct, actor, _ => list, now).Accepted);
        Assert.Equal(CredentialFailure.InvalidProof, CredentialVerifier.Verify(before, CredentialSource.Direct, actor, _ => list, now).Failure);
        var unsignedBefore = JsonNode.Parse(before)!.AsObject();
        var unsignedAfter = JsonNode.Parse(after)!.AsObject();
        unsignedBefore.Remove("proof");
        unsignedAfter.Remove("proof");
        Assert.True(JsonNode.DeepEquals(unsignedBefore, unsignedAfter), "the content stays the same");

        // The Add sent again gives the subject the copy that verifies against the new key.
        await TestHost.WaitForAsync(async () => (await marmotte.GetJsonAsync("/membership/endorsements"))["orderedItems"]![0]!.ToJsonString() != firstCopy, 20, "the subject holds the copy signed again");
        var copy = (await marmotte.GetJsonAsync("/membership/endorsements"))["orderedItems"]![0]!.AsObject();
        Assert.True(CredentialVerifier.Verify(copy, CredentialSource.HeldBy(ActorId(marmotte)), actor, _ => list, now).Accepted);
        Assert.Equal([(id, "valid")], await HeldStatesAsync(marmotte));
    }

    [Fact]
    public async Task An_Add_not_from_the_credential_issuer_or_not_aimed_at_its_issued_endorsements_changes_nothing()
    {
        await using var lynx = await StartAsync(Issuer, "lynx", "Lynx Net");
        await using var marmotte = await StartAsync(Subject, "marmotte", "La Marmotte");
        await using var peer = await PeerServer.StartAsync("127.0.0.4");
        var id = CredentialIdIn((await CliRunner.RunAsync("membership", "endorse", ActorId(marmotte), "--data", lynx.Folder)).Output);
        await WaitForHeldAsync(marmotte, 1);

        var inbox = new Uri(marmotte.Running!.Address, "/actor/inbox");
        JsonObject[] adds =
        [
            // Another actor's credential, announced by the peer.
            Add(peer.Activity("add-1", "Add", id), lynx.PublicUrl + "/membership/issued"),
            // An object on the peer's own origin, but the peer lists no issued endorsements.
            Add(peer.Activity("add-2", "Add", peer.ActorId + "/notes/1"), peer.ActorId + "/collection"),
        ];
        foreach (var add in adds)
        {
            using var response = await peer.PostAsync(marmotte.Http, inbox, add, HttpSignatureFlavour.Rfc9421);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Contains("Add noted", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal([(id, "valid")], await HeldStatesAsync(marmotte));
    }

    [Fact]
    public async Task A_credential_changed_on_its_way_from_the_issuer_is_not_held()
    {
        await using var lynx = await StartBehindTamperingProxyAsync(Issuer, "/membership/issued", "lynx", "Lynx Net");
        await using var marmotte = await StartAsync(Subject, "marmotte", "La Marmotte");
        var log = CapturedLog.AttachTo(marmotte.Running!);

        var endorse = await CliRunner.RunAsync("membership", "endorse", ActorId(marmotte), "--data", lynx.Node.Folder);

        Assert.True(endorse.ExitCode == 0, endorse.ToString());
        var id = CredentialIdIn(endorse.Output);
        await TestHost.WaitForAsync(() => Task.FromResult(log.OfEvent(2001).Any(l => l.Contains($"credential {id} not taken: InvalidProof", StringComparison.Ordinal))), 20,
            "the subject refuses the changed credential");
        Assert.True(lynx.Tampered > 0);
        Assert.Empty(await HeldStatesAsync(marmotte));
        Assert.Equal(0, (await marmotte.GetJsonAsync("/membership/endorsements"))["totalItems"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_subject_holds_at_most_ten_credentials_from_one_issuer_keeping_those_that_end_last()
    {
        await using var lynx = await StartAsync(Issuer, "lynx", "Lynx Net");
        await using var marmotte = await StartAsync(Subject, "marmotte", "La Marmotte");
        var issued = new List<(int Days, string Id)>();
        for (var days = 1; days <= 11; days++)
        {
            using var response = await AdminAsync(lynx, HttpMethod.Post, "membership/endorse", new { subject = ActorId(marmotte), validDays = days });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            issued.Add((days, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>()));
        }

        // Whatever order the eleven Adds arrive in, the credential that ends first gives way.
        var kept = issued.Where(i => i.Days > 1).Select(i => i.Id).Order(StringComparer.Ordinal).ToList();
        await TestHost.WaitForAsync(async () => (await HeldStatesAsync(marmotte)).Select(h => h.Id).Order(StringComparer.Ordinal).SequenceEqual(kept), 30,
            "the ten credentials that end last held");
        Assert.Equal(11, (await lynx.GetJsonAsync("/membership/issued"))["totalItems"]!.GetValue<int>());
        Assert.Equal(10, (await marmotte.GetJsonAsync("/membership/endorsements"))["totalItems"]!.GetValue<int>());
    }

    private static JsonObject Add(JsonObject activity, string target)
    {
        activity["target"] = target;
        return activity;
    }

    internal static async Task<TestNode> StartAsync(string host, string handle, string name)
    {
        var node = await TestNode.InitAsync($"http://{host}:{TestHost.FreePort()}", start: false, handle, name);
        await node.StartOnPublicUrlAsync();
        return node;
    }

    internal static string ActorId(TestNode node) => node.PublicUrl + "/actor";

    private static string Acct(TestNode node, string handle) => $"acct:{handle}@{new Uri(node.PublicUrl).Authority}";

    private static string CredentialIdIn(string output) =>
        output.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Single(w => w.Contains("/membership/issued/", StringComparison.Ordinal)).Trim();

    private static IEnumerable<string> NodeCriteria() => ChatonsFed.Node.Documents.NodeDocumentBuilder.Criteria.Criteria.Select(c => c.Id);

    internal static async Task<(byte[] Body, string? MediaType)> GetAsync(TestNode node, string url, string accept)
    {
        using var response = await node.Http.SendAsync(node.Get(new Uri(url).AbsolutePath, accept));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    internal static async Task<StatusListBits> StatusListAsync(TestNode node, JsonObject actor, DateTimeOffset now)
    {
        var verdict = StatusListDocument.Verify(await node.GetBytesAsync("/membership/status"), node.PublicUrl + "/membership/status", ActorId(node), actor, now);
        Assert.True(verdict.Accepted, $"{verdict.Failure}: {verdict.Detail}");
        return verdict.Bits!;
    }

    internal static async Task<JsonObject> WaitForHeldAsync(TestNode node, int count)
    {
        JsonObject held = null!;
        await TestHost.WaitForAsync(async () =>
        {
            held = await node.GetJsonAsync("/membership/endorsements");
            return held["totalItems"]!.GetValue<int>() == count;
        }, 20, $"{node.PublicUrl} holds {count} credential(s)");
        return held;
    }

    private static async Task<List<(string Id, string State)>> HeldStatesAsync(TestNode node)
    {
        using var response = await AdminAsync(node, HttpMethod.Get, "membership", null);
        var overview = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return [.. overview["held"]!.AsArray().Select(e => (e!["id"]!.GetValue<string>(), e["state"]!.GetValue<string>()))];
    }

    private static async Task<HttpResponseMessage> AdminAsync(TestNode node, HttpMethod method, string path, object? body)
    {
        using var request = node.Admin(method, path, node.OwnerToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await node.Http.SendAsync(request);
    }

    /// <summary>
    /// A chaton whose public URL is a proxy that changes what the documents under <paramref name="tampered"/> say (their
    /// proofs then fail); the node itself listens elsewhere on 127.0.0.1, and sends its activities directly.
    /// </summary>
    internal static async Task<TamperedChaton> StartBehindTamperingProxyAsync(string host, string tampered = "/attestation", string handle = "hibou", string name = "Hibou")
    {
        var port = TestHost.FreePort();
        var node = await TestNode.InitAsync($"http://{host}:{port}", start: false, handle, name);
        await node.StartAsync();
        var chaton = new TamperedChaton(node, tampered);
        chaton.Proxy = await LoopbackServer.StartAsync(chaton.ForwardAsync, host, port);
        return chaton;
    }

    internal sealed class TamperedChaton(TestNode node, string tampered) : IAsyncDisposable
    {
        private int _tampered;

        public TestNode Node { get; } = node;

        public LoopbackServer Proxy { get; set; } = null!;

        public int Tampered => Volatile.Read(ref _tampered);

        public async Task ForwardAsync(HttpContext context)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, context.Request.Path + context.Request.QueryString);
            request.Headers.TryAddWithoutValidation("Accept", context.Request.Headers.Accept.ToString());
            using var response = await Node.Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (context.Request.Path.StartsWithSegments(tampered, StringComparison.Ordinal) && response.IsSuccessStatusCode)
            {
                var document = JsonNode.Parse(body)!;
                document["validUntil"] = "2099-01-01T00:00:00Z";
                document["name"] = "Contrefait";
                body = document.ToJsonString();
                Interlocked.Increment(ref _tampered);
            }

            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            await context.Response.WriteAsync(body, Encoding.UTF8);
        }

        public async ValueTask DisposeAsync()
        {
            await Proxy.DisposeAsync();
            await Node.DisposeAsync();
        }
    }
}
