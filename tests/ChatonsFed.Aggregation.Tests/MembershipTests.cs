using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>
/// Verifiable membership on a real aggregator (LiteDB, its own host): chatons and trust roots on hosts of their own
/// (127.0.0.N) serve signed credentials, collections and status lists; the aggregator reads them at its polls and from
/// its inbox, and says who is admitted.
/// </summary>
public sealed class MembershipTests
{
    [Fact]
    public async Task Two_endorsements_from_roots_admit_one_leaves_a_candidate_and_two_issuers_on_one_host_count_once()
    {
        await using var rootHost = await MemberHost.StartAsync(2);
        await using var collectiveHost = await MemberHost.StartAsync(3);
        await using var aHost = await MemberHost.StartAsync(4);
        await using var bHost = await MemberHost.StartAsync(5);
        await using var mutu = await MemberHost.StartAsync(6);
        await using var dHost = await MemberHost.StartAsync(7);
        var root = rootHost.Add("fondateur", "Fondateur");
        var collective = collectiveHost.Add("collectif", "Collectif", chaton: false);
        var a = aHost.Add("a", "Chaton A");
        var b = bHost.Add("b", "Chaton B");
        var c1 = mutu.Add("c1", "Mutu 1", "/c/1");
        var c2 = mutu.Add("c2", "Mutu 2", "/c/2");
        var d = dHost.Add("d", "Chaton D");
        var fromRoot = root.Endorse(a);
        var fromCollective = collective.Endorse(a, days: 200);
        root.Endorse(b);
        foreach (var member in new[] { c1, c2 })
        {
            root.Endorse(member);
            collective.Endorse(member);
        }

        c1.Endorse(d);
        c2.Endorse(d);

        // One root by handle (WebFinger), the other by actor URL; the collective's actor is no chaton.
        await using var aggregator = await AggregatorAsync([root, a, b, c1, c2, d], [root.AcctUri, collective.ActorId]);
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);

        var admissionA = await AdmissionAsync(aggregator, a);
        Assert.Equal("admitted", admissionA["status"]!.GetValue<string>());
        Assert.False(admissionA["root"]!.GetValue<bool>());
        Assert.Equal(2, admissionA["endorsements"]!.GetValue<int>());
        Assert.Equal(2, admissionA["quorum"]!.GetValue<int>());
        Assert.Equal([root.ActorId, collective.ActorId], Strings(admissionA["endorsedBy"]));
        // The earliest validUntil among the credentials that keep it at the quorum: the collective's, 200 days.
        Assert.Equal(DateTimeOffset.Parse(fromCollective["validUntil"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), admissionA["until"]!.GetValue<DateTimeOffset>());
        var credentials = admissionA["credentials"]!.AsArray();
        Assert.Equal([root.ActorId, collective.ActorId], credentials.Select(c => c!["issuer"]!.GetValue<string>()));
        Assert.Equal(fromRoot["id"]!.GetValue<string>(), credentials[0]!["id"]!.GetValue<string>());
        Assert.All(credentials, c =>
        {
            Assert.Equal("valid", c!["state"]!.GetValue<string>());
            Assert.True(c["counted"]!.GetValue<bool>());
            Assert.True(c["currentAttestation"]!.GetValue<bool>());
        });

        var rootAdmission = await AdmissionAsync(aggregator, root);
        Assert.Equal(("admitted", true, 0), (rootAdmission["status"]!.GetValue<string>(), rootAdmission["root"]!.GetValue<bool>(), rootAdmission["endorsements"]!.GetValue<int>()));
        Assert.True(rootAdmission.ContainsKey("until"));
        Assert.Null(rootAdmission["until"]);

        var admissionB = await AdmissionAsync(aggregator, b);
        Assert.Equal(("candidate", 1), (admissionB["status"]!.GetValue<string>(), admissionB["endorsements"]!.GetValue<int>()));
        Assert.Equal([root.ActorId], Strings(admissionB["endorsedBy"]));

        // Admitted through the roots, the two chatons of one host vouch for D as one host only.
        Assert.Equal("admitted", (await AdmissionAsync(aggregator, c1))["status"]!.GetValue<string>());
        Assert.Equal("admitted", (await AdmissionAsync(aggregator, c2))["status"]!.GetValue<string>());
        var admissionD = await AdmissionAsync(aggregator, d);
        Assert.Equal(("candidate", 1), (admissionD["status"]!.GetValue<string>(), admissionD["endorsements"]!.GetValue<int>()));
        Assert.Equal([c1.ActorId], Strings(admissionD["endorsedBy"]));
        Assert.Equal(2, admissionD["credentials"]!.AsArray().Count);

        // The declared membership stays as the chaton declares it; the search filters on this aggregator's view.
        Assert.Equal(new[] { a.ActorId, c1.ActorId, c2.ActorId, root.ActorId }.Order(StringComparer.Ordinal), await SearchAsync(aggregator, "admission=admitted"));
        Assert.Equal([b.ActorId, d.ActorId], await SearchAsync(aggregator, "admission=candidate"));
        Assert.Empty(await SearchAsync(aggregator, "admission=revoked"));
        Assert.Equal(6, (await SearchAsync(aggregator, "admission=any")).Count);
        using var wrong = await aggregator.Http.GetAsync("/api/directory/search?admission=member");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("\"admission 'member' must be admitted, candidate, lapsed, revoked or any\"", await wrong.Content.ReadAsStringAsync());

        var status = await RealNodeTests.CliAsync("directory", "status", "--data", aggregator.Folder);
        Assert.Contains($"Membership: trust roots {root.AcctUri}, {collective.ActorId}; quorum 2: 4 admitted, 2 candidate(s), 0 lapsed, 0 revoked", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revocation_counts_at_once_when_the_issuer_says_so_and_at_the_next_poll_when_it_does_not()
    {
        var (hosts, root1, root2, chatons) = await MembersAsync(2);
        await using var _ = hosts;
        var (a, b) = (chatons[0], chatons[1]);
        var fromRoot1ToA = root1.Endorse(a);
        root2.Endorse(a);
        root1.Endorse(b);
        var fromRoot2ToB = root2.Endorse(b);
        await using var aggregator = await AggregatorAsync([root1, root2, a, b], [root1.ActorId, root2.ActorId]);
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        Assert.Equal("admitted", await StatusAsync(aggregator, a));
        Assert.Equal("admitted", await StatusAsync(aggregator, b));

        // Pushed: the Update of the status list makes the aggregator fetch it at once; no poll.
        root1.Revoke(fromRoot1ToA);
        var (code, reason) = await root1.DeliverAsync(aggregator.Inbox, root1.UpdateStatusList());
        Assert.Equal(202, code);
        Assert.EndsWith("admission computed again", reason, StringComparison.Ordinal);
        var admissionA = await AdmissionAsync(aggregator, a);
        Assert.Equal(("revoked", 1), (admissionA["status"]!.GetValue<string>(), admissionA["endorsements"]!.GetValue<int>()));
        var revoked = admissionA["credentials"]!.AsArray().Single(c => c!["issuer"]!.GetValue<string>() == root1.ActorId)!;
        Assert.Equal(("revoked", false), (revoked["state"]!.GetValue<string>(), revoked["counted"]!.GetValue<bool>()));

        // Pulled: nobody says so; the next poll reads the list again.
        root2.Revoke(fromRoot2ToB);
        Assert.Equal("admitted", await StatusAsync(aggregator, b));
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        Assert.Equal("revoked", await StatusAsync(aggregator, b));
        Assert.Equal([a.ActorId, b.ActorId], await SearchAsync(aggregator, "admission=revoked"));
    }

    [Fact]
    public async Task A_member_lapses_when_its_credentials_expire_without_a_poll()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var (hosts, root1, root2, chatons) = await MembersAsync(1, clock);
        await using var _ = hosts;
        var a = chatons[0];
        var expiring = root1.Endorse(a, days: 3);
        root2.Endorse(a, days: 3);
        await using var aggregator = await AggregatorAsync([root1, root2, a], [root1.ActorId, root2.ActorId], time: clock);
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        var admission = await AdmissionAsync(aggregator, a);
        Assert.Equal("admitted", admission["status"]!.GetValue<string>());
        var validUntil = DateTimeOffset.Parse(expiring["validUntil"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(validUntil, admission["until"]!.GetValue<DateTimeOffset>());

        // The timer set for the next validity limit computes admission again when it passes.
        clock.Advance(validUntil - clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        admission = await AdmissionAsync(aggregator, a);
        Assert.Equal(("lapsed", 0), (admission["status"]!.GetValue<string>(), admission["endorsements"]!.GetValue<int>()));
        Assert.All(admission["credentials"]!.AsArray(), c => Assert.Equal("expired", c!["state"]!.GetValue<string>()));
        Assert.Equal([a.ActorId], await SearchAsync(aggregator, "admission=lapsed"));
    }

    [Fact]
    public async Task An_unreachable_status_list_is_trusted_seven_days_then_its_credentials_stop_counting()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var (hosts, root1, root2, chatons) = await MembersAsync(1, clock);
        await using var _ = hosts;
        var a = chatons[0];
        root1.Endorse(a);
        root2.Endorse(a);
        await using var aggregator = await AggregatorAsync([root1, root2, a], [root1.ActorId, root2.ActorId], time: clock);
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        Assert.Equal("admitted", await StatusAsync(aggregator, a));

        root1.Override(root1.StatusListUrl, 503);
        clock.Advance(TimeSpan.FromDays(6));
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        Assert.Equal("admitted", await StatusAsync(aggregator, a));
        var status = await RealNodeTests.CliAsync("directory", "status", "--data", aggregator.Folder);
        Assert.Contains($"problem: status list {root1.StatusListUrl}: ", status.Output, StringComparison.Ordinal);

        // Seven days after the list last verified, what it covers is statusUnavailable, without a poll.
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var admission = await AdmissionAsync(aggregator, a);
        Assert.Equal(("candidate", 1), (admission["status"]!.GetValue<string>(), admission["endorsements"]!.GetValue<int>()));
        var unavailable = admission["credentials"]!.AsArray().Single(c => c!["issuer"]!.GetValue<string>() == root1.ActorId)!;
        Assert.Equal(("statusUnavailable", false), (unavailable["state"]!.GetValue<string>(), unavailable["counted"]!.GetValue<bool>()));
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        Assert.Equal("candidate", await StatusAsync(aggregator, a));

        // The list answers again: it verifies, and counts again.
        root1.ClearOverride(root1.StatusListUrl);
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        Assert.Equal("admitted", await StatusAsync(aggregator, a));
    }

    [Fact]
    public async Task A_revocation_cascades_down_the_chain_and_a_removed_actor_counts_for_nobody()
    {
        var (hosts, root1, root2, chatons) = await MembersAsync(4);
        await using var _ = hosts;
        var (a, b, c, e) = (chatons[0], chatons[1], chatons[2], chatons[3]);
        var fromRoot1ToA = root1.Endorse(a);
        root2.Endorse(a);
        root1.Endorse(b);
        root2.Endorse(b);
        a.Endorse(c);
        b.Endorse(c);
        c.Endorse(e);
        root1.Endorse(e);
        await using var aggregator = await AggregatorAsync([root1, root2, a, b, c, e], [root1.ActorId, root2.ActorId]);
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        Assert.Equal(["admitted", "admitted", "admitted", "admitted"], await StatusesAsync(aggregator, a, b, c, e));

        root1.Revoke(fromRoot1ToA);
        Assert.Equal(202, (await root1.DeliverAsync(aggregator.Inbox, root1.UpdateStatusList())).Status);
        // A is revoked; C kept its quorum through A alone with B, so it lapses, and E, which C held at the quorum, with it.
        Assert.Equal(["revoked", "admitted", "lapsed", "lapsed"], await StatusesAsync(aggregator, a, b, c, e));
        Assert.Equal([b.ActorId], Strings((await AdmissionAsync(aggregator, c))["endorsedBy"]));

        // B leaves the network (a signed Delete of its actor): what it vouched for counts no more.
        var (code, _) = await b.DeliverAsync(aggregator.Inbox, b.DeleteActor());
        Assert.Equal(202, code);
        Assert.Null(await aggregator.EntryAsync(b.ActorId));
        Assert.Equal(["revoked", "candidate", "candidate"], await StatusesAsync(aggregator, a, c, e));
    }

    [Fact]
    public async Task Every_refused_credential_and_status_list_is_in_the_diagnostics_and_the_status_with_its_reason()
    {
        var (hosts, root1, root2, chatons) = await MembersAsync(2);
        await using var _ = hosts;
        var (a, other) = (chatons[0], chatons[1]);
        root2.Endorse(a);
        root1.Endorse(a);
        string Bad(Action<JsonObject>? edit = null, string? verificationMethod = null, Action<JsonObject>? afterSigning = null)
        {
            var draft = root1.Draft(a.ActorId, "sha256-" + Convert.ToBase64String(new byte[32]), a.Address.Attestation.AbsoluteUri, Now.AddDays(-1), Now.AddDays(300));
            var signed = root1.SignCredential(draft, edit, verificationMethod);
            afterSigning?.Invoke(signed);
            root1.Issue(signed);
            return draft.Id;
        }

        var expected = new Dictionary<string, string>
        {
            [Bad(afterSigning: c => c["credentialSubject"]!["note"] = "changed after signing")] = "InvalidProof",
            [Bad(verificationMethod: root1.ActorId + "#another-key")] = "KeyNotOwned",
            [Bad(c => c["credentialSubject"]!["id"] = root1.ActorId)] = "SelfEndorsement",
            [Bad(afterSigning: c => c.Remove("proof"))] = "MissingProof",
            [Bad(c => c["validUntil"] = "next year")] = "Malformed",
            [Bad(c => c["credentialSubject"]!["note"] = new string('x', 70 * 1024))] = "TooLarge",
            [Bad(c => c["type"] = new JsonArray("VerifiableCredential"))] = "WrongType",
        };

        // Another issuer's credential in root1's issuedEndorsements; a credential about another chaton in A's endorsements.
        var others = other.SignCredential(other.Draft(a.ActorId, "sha256-" + Convert.ToBase64String(new byte[32]), a.Address.Attestation.AbsoluteUri, Now, Now.AddDays(30)));
        root1.Issue(others, others);
        expected[others["id"]!.GetValue<string>()] = "WrongOwner";
        var aboutOther = root1.Endorse(other, listAtSubject: false);
        a.Hold(aboutOther);
        // A credential on another origin than its issuer's, and one served at a URL that is not its id.
        Bad(c => c["id"] = "http://127.0.0.9:9/membership/issued/elsewhere");
        expected["http://127.0.0.9:9/membership/issued/elsewhere"] = "CrossOrigin";
        var elsewhere = root1.Root + "/membership/issued/moved";
        var moved = root1.SignCredential(root1.Draft(a.ActorId, "sha256-" + Convert.ToBase64String(new byte[32]), a.Address.Attestation.AbsoluteUri, Now, Now.AddDays(30)));
        root1.Override(elsewhere, 200, moved.ToJsonString());
        root1.Issue(new JsonObject(), JsonValue.Create(elsewhere));
        expected[elsewhere] = "UnexpectedId";
        // Root2's status list, changed after it was signed.
        var tampered = root2.StatusList();
        tampered["validFrom"] = "2020-01-01T00:00:00Z";
        root2.Override(root2.StatusListUrl, 200, tampered.ToJsonString());

        await using var aggregator = await AggregatorAsync([root1, root2, a], [root1.ActorId, root2.ActorId]);
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);

        var diagnostics = await aggregator.GetJsonAsync("/api/directory/diagnostics?limit=100");
        var rejections = diagnostics["rejections"]!.AsArray().Select(r => r!.AsObject()).ToList();
        foreach (var (id, reason) in expected)
        {
            Assert.Contains(rejections, r => r["kind"]!.GetValue<string>() == "Credential" && r["documentId"]?.GetValue<string>() == id && r["reason"]!.GetValue<string>() == reason);
        }

        Assert.Contains(rejections, r => r["kind"]!.GetValue<string>() == "Credential" && r["documentId"]?.GetValue<string>() == aboutOther["id"]!.GetValue<string>() && r["reason"]!.GetValue<string>() == "WrongSubject");
        Assert.Contains(rejections, r => r["kind"]!.GetValue<string>() == "StatusList" && r["documentId"]?.GetValue<string>() == root2.StatusListUrl && r["reason"]!.GetValue<string>() == "InvalidProof");

        var status = (await RealNodeTests.CliAsync("directory", "status", "--data", aggregator.Folder)).Output;
        foreach (var (id, reason) in expected)
        {
            Assert.Contains($"Credential {id}: {reason}: ", status, StringComparison.Ordinal);
        }

        Assert.Contains($"StatusList {root2.StatusListUrl}: InvalidProof: ", status, StringComparison.Ordinal);

        // Refused credentials never count: A keeps root1's valid one alone (root2's list does not verify).
        var admission = await AdmissionAsync(aggregator, a);
        Assert.Equal(("candidate", 1), (admission["status"]!.GetValue<string>(), admission["endorsements"]!.GetValue<int>()));
        Assert.Equal(2, admission["credentials"]!.AsArray().Count);

        // A poll of the same documents logs nothing new.
        var before = rejections.Count;
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        Assert.Equal(before, (await aggregator.GetJsonAsync("/api/directory/diagnostics?limit=100"))["rejections"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_flood_of_credentials_from_one_issuer_is_bounded_and_another_chaton_is_still_listed_and_admitted_in_the_same_poll()
    {
        var (hosts, root1, root2, chatons) = await MembersAsync(2);
        await using var _ = hosts;
        var (flooder, a) = (chatons[0], chatons[1]);
        root1.Endorse(a);
        root2.Endorse(a);
        // 5,000 credentials about actors nobody lists, given by id: each would cost a fetch.
        flooder.ListIds = true;
        for (var i = 0; i < 5000; i++)
        {
            var draft = flooder.Draft($"http://127.0.0.{i % 200 + 20}:9/s/{i}/actor", "sha256-" + Convert.ToBase64String(new byte[32]), "http://127.0.0.20:9/attestation", Now.AddDays(-1), Now.AddDays(300));
            flooder.Issue(flooder.SignCredential(draft));
        }

        await using var aggregator = await AggregatorAsync([root1, root2, flooder, a], [root1.ActorId, root2.ActorId]);
        var floodHost = hosts.Hosts.Single(h => h.Url == new Uri(flooder.ActorId).GetLeftPart(UriPartial.Authority));
        var before = floodHost.Requests("/membership/issued");
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);

        Assert.Equal("admitted", await StatusAsync(aggregator, a));
        Assert.Equal("candidate", await StatusAsync(aggregator, flooder));
        // The poll read at most 1,000 items of the collection, and fetched at most its budget from the flooding host.
        var fetched = floodHost.RequestCount;
        Assert.True(fetched <= 2 * (500 + 10), $"{fetched} requests to the flooding host in two polls");
        var status = await aggregator.GetJsonAsync("/api/directory/diagnostics");
        Assert.Contains(status["admission"]!["problems"]!.AsArray(), p => p!.GetValue<string>().Contains("more than 500 membership documents to fetch in one poll", StringComparison.Ordinal));
        Assert.True(status["admission"]!["credentials"]!.GetValue<int>() <= 1000 + 2);
        Assert.True(floodHost.Requests("/membership/issued") >= before + 1);
    }

    [Fact]
    public async Task Without_a_trust_root_entries_carry_no_admission_and_an_admission_filter_gets_400()
    {
        var (hosts, root1, root2, chatons) = await MembersAsync(1);
        await using var _ = hosts;
        var a = chatons[0];
        root1.Endorse(a);
        root2.Endorse(a);
        await using var aggregator = await AggregatorAsync([root1, root2, a], []);
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);

        var entry = (await aggregator.EntryAsync(a.ActorId))!;
        Assert.False(entry.ContainsKey("admission"));
        Assert.Equal(0, root1.Host.Requests(root1.IssuedUrl));
        using var refused = await aggregator.Http.GetAsync("/api/directory/search?admission=admitted");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("computes no admission, as it has no trust root (ChatonsFed:Aggregator:Membership:TrustRoots)", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, (await SearchAsync(aggregator, "admission=any")).Count);
        using var page = await aggregator.Http.GetAsync("/?admission=admitted");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("computes no admission", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var csv = Encoding.UTF8.GetString(await aggregator.GetBytesAsync("/api/directory/export.csv")).Split("\r\n");
        Assert.EndsWith(",admission_status,admission_endorsements", csv[0], StringComparison.Ordinal);
        Assert.All(csv.Skip(1).Where(l => l.Length > 0), row => Assert.EndsWith(",,", row, StringComparison.Ordinal));
        Assert.DoesNotContain("admission_status", Encoding.UTF8.GetString(await aggregator.GetBytesAsync("/api/directory/export.geojson")), StringComparison.Ordinal);
        Assert.Contains("Membership: no trust root, admission is not computed", (await RealNodeTests.CliAsync("directory", "status", "--data", aggregator.Folder)).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_aggregators_with_the_same_documents_roots_and_quorum_export_the_same_bytes_and_a_third_computes_the_same_from_the_bundle()
    {
        var (hosts, root1, root2, chatons) = await MembersAsync(3);
        await using var _ = hosts;
        var (a, b, c) = (chatons[0], chatons[1], chatons[2]);
        root1.Endorse(a);
        root2.Endorse(a);
        root1.Endorse(b);
        var revoked = root2.Endorse(c);
        root1.Endorse(c);
        root2.Revoke(revoked);
        string[] roots = [root1.ActorId, root2.ActorId];
        await using var first = await AggregatorAsync([root1, root2, a, b, c], roots);
        await using var second = await AggregatorAsync([c, b, a, root2, root1], roots);
        await first.Directory.RefreshAsync(null, CancellationToken.None);
        await second.Directory.RefreshAsync(null, CancellationToken.None);

        var exports = await RealNodeTests.ExportsAsync(first);
        RealNodeTests.AssertSameExports(exports, await RealNodeTests.ExportsAsync(second), "two aggregators");
        var csv = Encoding.UTF8.GetString(exports[1]);
        Assert.Contains($"{a.ActorId},Chaton 1,", csv, StringComparison.Ordinal);
        Assert.Contains(",admitted,2\r\n", csv, StringComparison.Ordinal);
        Assert.Contains(",candidate,1\r\n", csv, StringComparison.Ordinal);
        Assert.Contains(",revoked,1\r\n", csv, StringComparison.Ordinal);
        var feature = JsonNode.Parse(exports[0])!["features"]!.AsArray().Single(f => f!["id"]!.GetValue<string>() == a.ActorId)!;
        Assert.Equal(("admitted", 2), (feature["properties"]!["admission_status"]!.GetValue<string>(), feature["properties"]!["admission_endorsements"]!.GetValue<int>()));
        var bundle = JsonNode.Parse(exports[2])!.AsObject();
        Assert.Equal(5, bundle["credentials"]!.AsArray().Count);
        Assert.Equal(2, bundle["statusLists"]!.AsArray().Count);
        Assert.DoesNotContain("admitted", Encoding.UTF8.GetString(exports[2]), StringComparison.Ordinal);

        // Emptied and rebuilt from the documents alone, the directory exports the same bytes.
        var rebuilt = await RealNodeTests.CliAsync("directory", "rebuild", "--data", first.Folder);
        Assert.Contains("Rebuilt: 5 listed of 5 found", rebuilt.Output, StringComparison.Ordinal);
        RealNodeTests.AssertSameExports(exports, await RealNodeTests.ExportsAsync(first), "after 'directory rebuild'");

        // A third aggregator, bootstrapped from the bundle alone (no seed, no poll), computes admission itself.
        await using var third = await AggregatorAsync([], roots);
        var report = await third.RunAsync("bootstrap", exports[2]);
        Assert.Equal(5, report["listed"]!.GetValue<int>());
        RealNodeTests.AssertSameExports(exports, await RealNodeTests.ExportsAsync(third), "an aggregator bootstrapped from the bundle");
    }

    [Fact]
    public async Task An_Add_from_the_issuer_admits_at_once_and_the_subjects_of_admitted_members_are_found_without_being_seeds()
    {
        var (hosts, root1, root2, chatons) = await MembersAsync(2);
        await using var _ = hosts;
        var (a, found) = (chatons[0], chatons[1]);
        root1.Endorse(a);
        // Found is no seed: two roots vouch for it, so the poll finds it, lists it and admits it.
        root1.Endorse(found);
        root2.Endorse(found);
        await using var aggregator = await AggregatorAsync([root1, a], [root1.ActorId, root2.ActorId]);
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        Assert.Equal("candidate", await StatusAsync(aggregator, a));
        Assert.Equal("admitted", await StatusAsync(aggregator, found));

        // Root2 endorses A and announces it: no poll needed.
        var credential = root2.Endorse(a);
        var (code, reason) = await root2.DeliverAsync(aggregator.Inbox, root2.Add(credential));
        Assert.Equal(202, code);
        Assert.Equal($"credential {credential["id"]!.GetValue<string>()} about {a.ActorId} held; admission computed again", reason);
        Assert.Equal("admitted", await StatusAsync(aggregator, a));

        // An Add aimed at another collection, or by an actor the directory does not know, changes nothing.
        var elsewhere = await root2.DeliverAsync(aggregator.Inbox, root2.Add(credential, root2.Root + "/featured"));
        Assert.Equal((202, "Add noted; its target is not the actor's issuedEndorsements, nothing to do"), elsewhere);
        await using var strangerHost = await MemberHost.StartAsync(30);
        var stranger = strangerHost.Add("inconnu", "Inconnu");
        var unknown = await stranger.DeliverAsync(aggregator.Inbox, stranger.Add(stranger.Endorse(a)));
        Assert.Equal((202, "Add noted; its actor is neither a chaton of this directory nor a trust root"), unknown);
    }

    [Fact]
    public async Task Real_nodes_endorse_a_chaton_which_is_admitted_and_a_revocation_they_announce_reaches_the_aggregator()
    {
        // Three nodes made and changed by the command line, each on a host of its own.
        string[][] changes = [["profile", "set", "--summary", "Un chaton.", "--structure-type", "ASSOCIATION", "--country", "FR"], ["attestation", "set", "--all-required-met"]];
        var nodes = new List<TestNode>();
        try
        {
            foreach (var (number, handle) in new[] { (41, "racine1"), (42, "racine2"), (43, "lynx") })
            {
                var node = await TestNode.InitAsync($"http://127.0.0.{number}:{TestHost.FreePort()}", start: false, handle, handle);
                nodes.Add(node);
                foreach (var change in changes)
                {
                    await RealNodeTests.CliAsync([.. change, "--data", node.Folder]);
                }

                await node.StartOnPublicUrlAsync();
            }

            var (root1, root2, lynx) = (nodes[0], nodes[1], nodes[2]);
            string Actor(TestNode node) => node.PublicUrl + "/actor";
            var endorsed = await RealNodeTests.CliAsync("membership", "endorse", Actor(lynx), "--data", root1.Folder);
            var credentialId = endorsed.Output.Split('\n')[0].Split(": ")[^1].Trim();
            await RealNodeTests.CliAsync("membership", "endorse", Actor(lynx), "--data", root2.Folder);

            await using var aggregator = await TestAggregator.InitAsync(nodes.Select(Actor), settings =>
                settings["Membership"] = new JsonObject { ["TrustRoots"] = new JsonArray(Actor(root1), Actor(root2)), ["Quorum"] = 2 });
            await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
            var admission = (await aggregator.EntryAsync(Actor(lynx)))!["admission"]!;
            Assert.Equal(("admitted", 2), (admission["status"]!.GetValue<string>(), admission["endorsements"]!.GetValue<int>()));
            Assert.All(admission["credentials"]!.AsArray(), c => Assert.True(c!["currentAttestation"]!.GetValue<bool>()));

            // Once the aggregator follows root1, root1's revocation reaches it as an Update of its list, without a poll.
            await TestHost.WaitForAsync(() => Task.FromResult(aggregator.Directory.Tracked(Actor(root1))?.Follow == Aggregator.Tracking.FollowState.Accepted), 30, "root1 accepted the aggregator's Follow");
            await RealNodeTests.CliAsync("membership", "revoke", credentialId, "--data", root1.Folder);
            await TestHost.WaitForAsync(async () => (await aggregator.EntryAsync(Actor(lynx)))!["admission"]!["status"]!.GetValue<string>() == "revoked", 60, "the revocation delivered to the aggregator");
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static async Task<TestAggregator> AggregatorAsync(IEnumerable<Member> seeds, IReadOnlyList<string> roots, int quorum = 2, TimeProvider? time = null) =>
        await TestAggregator.InitAsync(seeds.Select(s => s.ActorId), settings =>
        {
            settings["Membership"] = new JsonObject { ["TrustRoots"] = new JsonArray([.. roots.Select(r => (JsonNode)r)]), ["Quorum"] = quorum };
            // The tests poll themselves; with a clock they move, the poller stays out of their way.
            settings["PollInterval"] = "30.00:00:00";
            settings["FollowChatons"] = false;
        }, time: time);

    /// <summary>Two chatons that are trust roots and <paramref name="count"/> chatons, each on a host of its own.</summary>
    private static async Task<(MemberHosts Hosts, Member Root1, Member Root2, Member[] Chatons)> MembersAsync(int count, TimeProvider? time = null)
    {
        var hosts = new MemberHosts();
        var root1 = (await hosts.StartAsync(2, time)).Add("racine1", "Racine 1");
        var root2 = (await hosts.StartAsync(3, time)).Add("racine2", "Racine 2");
        var chatons = new Member[count];
        for (var i = 0; i < count; i++)
        {
            chatons[i] = (await hosts.StartAsync(4 + i, time)).Add($"chaton{i + 1}", $"Chaton {i + 1}");
        }

        return (hosts, root1, root2, chatons);
    }

    private static async Task<JsonObject> AdmissionAsync(TestAggregator aggregator, Member member)
    {
        var entry = await aggregator.EntryAsync(member.ActorId);
        Assert.True(entry is not null, $"{member.ActorId} is not listed");
        return entry["admission"]!.AsObject();
    }

    private static async Task<string> StatusAsync(TestAggregator aggregator, Member member) =>
        (await AdmissionAsync(aggregator, member))["status"]!.GetValue<string>();

    private static async Task<string[]> StatusesAsync(TestAggregator aggregator, params Member[] members) =>
        await Task.WhenAll(members.Select(m => StatusAsync(aggregator, m)));

    private static async Task<List<string>> SearchAsync(TestAggregator aggregator, string query) =>
        [.. (await aggregator.GetJsonAsync("/api/directory/search?limit=100&" + query))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(i => i!.GetValue<string>())];

    /// <summary>Member hosts started for one test, stopped together.</summary>
    internal sealed class MemberHosts : IAsyncDisposable
    {
        public List<MemberHost> Hosts { get; } = [];

        public async Task<MemberHost> StartAsync(int number, TimeProvider? time)
        {
            var host = await MemberHost.StartAsync(number, time);
            Hosts.Add(host);
            return host;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var host in Hosts)
            {
                await host.DisposeAsync();
            }
        }
    }
}
