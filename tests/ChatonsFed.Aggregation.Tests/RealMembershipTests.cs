using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Tracking;
using ChatonsFed.Node.Hosting;
using Xunit.Abstractions;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>
/// Verifiable membership end to end with real parts only: five chaton nodes, each on a loopback address of its own,
/// endorse and revoke with 'chatonsfed membership'; two aggregators on two other addresses compute admission from the
/// same trust roots (one given by its handle, one by its actor URL) and quorum. One follows the chatons and learns
/// from what they deliver, with no poll; the other does not follow them and learns at its polls. Both agree, byte for
/// byte.
/// </summary>
public sealed class RealMembershipTests(ITestOutputHelper output)
{
    /// <summary>The polling aggregator's interval: short, so that the test sees a revocation come with the next poll.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(3);

    /// <summary>What a poll of five nodes may take on a loaded two-core machine, on top of the interval.</summary>
    private const double PollMargin = 15;

    /// <summary>How long a delivery may take to make its way from a node to the aggregator.</summary>
    private const double DeliveryWait = 20;

    [Fact]
    public async Task Five_real_nodes_endorse_and_revoke_and_two_aggregators_on_their_own_hosts_agree_on_who_is_admitted()
    {
        await using var chatons = await ChatonNodes.StartAsync([("alouette", "Alouette"), ("blaireau", "Blaireau"), ("castor", "Castor"), ("dauphin", "Dauphin"), ("fouine", "Fouine")]);
        var (alouette, blaireau, castor, dauphin, fouine) = (chatons[0], chatons[1], chatons[2], chatons[3], chatons[4]);
        // Alouette, a trust root, by its handle (WebFinger at each poll); Blaireau by its actor URL.
        string[] roots = [alouette.Acct, blaireau.ActorId];

        // The first aggregator follows the chatons and polls once an hour: after its poll at start, all it learns is delivered.
        await using var following = await chatons.StartAggregatorAsync(7, roots, quorum: 2);
        await RealNodeTests.WaitForFollowsAsync(following, [.. chatons.Nodes.Select(n => n.Node)]);
        var firstPoll = following.Directory.LastCrawlAt;
        Assert.NotNull(firstPoll);
        await WaitForAdmissionsAsync(following, DeliveryWait, (alouette, "admitted", 0), (blaireau, "admitted", 0), (castor, "candidate", 0), (dauphin, "candidate", 0), (fouine, "candidate", 0));

        // Endorsements through the running nodes, the subject named as a fediverse client writes it, by acct: or by actor URL.
        var alouetteToCastor = await alouette.EndorseAsync(castor.Mention);
        Assert.StartsWith($"Endorsed {castor.ActorId} (through the running node): {alouette.Node.PublicUrl}/membership/issued/", alouetteToCastor.Output, StringComparison.Ordinal);
        var blaireauToCastor = await blaireau.EndorseAsync(castor.Acct, "--valid-days", "200", "--criteria", "all", "--note", "Candidature examinée sur le forum du collectif.");
        var alouetteToDauphin = await alouette.EndorseAsync(dauphin.ActorId);
        await alouette.EndorseAsync(fouine.Mention);
        var blaireauToFouine = await blaireau.EndorseAsync(fouine.Mention);

        await WaitForAdmissionsAsync(following, DeliveryWait, (castor, "admitted", 2), (dauphin, "candidate", 1), (fouine, "admitted", 2));
        Assert.Equal(firstPoll, following.Directory.LastCrawlAt);

        // The subject's node holds what was issued about it: each Add reached it too.
        await TestHost.WaitForAsync(async () => (await TestHost.CliAsync("membership", "list", "--data", castor.Node.Folder)).Contains("Held (2):", StringComparison.Ordinal), DeliveryWait, "Castor holds both credentials");

        // The second aggregator does not follow the chatons: it learns at its polls only.
        await using var polling = await chatons.StartAggregatorAsync(8, roots, quorum: 2, s =>
        {
            s["PollInterval"] = PollInterval.ToString();
            s["FollowChatons"] = false;
        });
        await WaitForAdmissionsAsync(polling, PollInterval.TotalSeconds + PollMargin, (alouette, "admitted", 0), (castor, "admitted", 2), (dauphin, "candidate", 1), (fouine, "admitted", 2));

        // Blaireau revokes its endorsement of Fouine with the command line.
        var revoked = await RealNodeTests.CliAsync("membership", "revoke", blaireauToFouine.Id, "--data", blaireau.Node.Folder);
        Assert.StartsWith($"Revoked {blaireauToFouine.Id} (through the running node); ", revoked.Output, StringComparison.Ordinal);
        var clock = Stopwatch.StartNew();

        // Pushed: the Update of Blaireau's list reaches the following aggregator, which reads the list again at once.
        await WaitForAdmissionsAsync(following, DeliveryWait, (fouine, "revoked", 1));
        Assert.Equal(firstPoll, following.Directory.LastCrawlAt);
        output.WriteLine($"Revocation delivered and counted by the following aggregator in {clock.Elapsed.TotalSeconds:0.00} s");
        // Pulled: the other, which Blaireau does not deliver to, sees it at its next poll, within one interval (and the
        // time the poll takes).
        Assert.Equal(FollowState.None, polling.Directory.Tracked(blaireau.ActorId)!.Follow);
        Assert.DoesNotContain(blaireau.Node.Running!.NodeStore.Followers.FindAll(), f => f.Id.StartsWith(polling.PublicUrl + "/", StringComparison.Ordinal));
        await WaitForAdmissionsAsync(polling, PollInterval.TotalSeconds + PollMargin, (fouine, "revoked", 1));
        output.WriteLine($"Revocation counted by the polling aggregator (interval {PollInterval.TotalSeconds} s) in {clock.Elapsed.TotalSeconds:0.00} s");

        // The entries: Castor admitted by the two roots until the earlier of their credentials ends.
        var castorAdmission = await AdmissionAsync(following, castor);
        Assert.Equal(("admitted", false, 2, 2), (castorAdmission["status"]!.GetValue<string>(), castorAdmission["root"]!.GetValue<bool>(),
            castorAdmission["endorsements"]!.GetValue<int>(), castorAdmission["quorum"]!.GetValue<int>()));
        Assert.Equal([alouette.ActorId, blaireau.ActorId], Strings(castorAdmission["endorsedBy"]));
        Assert.Equal(blaireauToCastor.ValidUntil, castorAdmission["until"]!.GetValue<DateTimeOffset>());
        var credentials = castorAdmission["credentials"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.Equal([alouette.ActorId, blaireau.ActorId], credentials.Select(c => c["issuer"]!.GetValue<string>()));
        Assert.Equal([alouetteToCastor.Id, blaireauToCastor.Id], credentials.Select(c => c["id"]!.GetValue<string>()));
        Assert.Equal([alouetteToCastor.ValidUntil, blaireauToCastor.ValidUntil], credentials.Select(c => c["validUntil"]!.GetValue<DateTimeOffset>()));
        Assert.All(credentials, c => Assert.Equal(("valid", true, true), (c["state"]!.GetValue<string>(), c["counted"]!.GetValue<bool>(), c["currentAttestation"]!.GetValue<bool>())));

        var dauphinAdmission = await AdmissionAsync(following, dauphin);
        Assert.Equal(("candidate", false, 1), (dauphinAdmission["status"]!.GetValue<string>(), dauphinAdmission["root"]!.GetValue<bool>(), dauphinAdmission["endorsements"]!.GetValue<int>()));
        Assert.Equal([alouette.ActorId], Strings(dauphinAdmission["endorsedBy"]));
        Assert.Null(dauphinAdmission["until"]);
        Assert.Equal(alouetteToDauphin.Id, dauphinAdmission["credentials"]!.AsArray().Single()!["id"]!.GetValue<string>());

        var fouineAdmission = await AdmissionAsync(following, fouine);
        Assert.Equal([alouette.ActorId], Strings(fouineAdmission["endorsedBy"]));
        Assert.Null(fouineAdmission["until"]);
        var revokedCredential = fouineAdmission["credentials"]!.AsArray().Single(c => c!["issuer"]!.GetValue<string>() == blaireau.ActorId)!;
        Assert.Equal((blaireauToFouine.Id, "revoked", false), (revokedCredential["id"]!.GetValue<string>(), revokedCredential["state"]!.GetValue<string>(), revokedCredential["counted"]!.GetValue<bool>()));

        foreach (var root in new[] { alouette, blaireau })
        {
            var admission = await AdmissionAsync(following, root);
            Assert.Equal(("admitted", true, 0), (admission["status"]!.GetValue<string>(), admission["root"]!.GetValue<bool>(), admission["endorsements"]!.GetValue<int>()));
            Assert.True(admission.ContainsKey("until") && admission["until"] is null, $"{root.Name}: a root's admission has no end");
        }

        // The search filter, on both aggregators.
        foreach (var aggregator in new[] { following, polling })
        {
            Assert.Equal(Ids(alouette, blaireau, castor), await SearchAsync(aggregator, "admission=admitted"));
            Assert.Equal(Ids(dauphin), await SearchAsync(aggregator, "admission=candidate"));
            Assert.Equal(Ids(fouine), await SearchAsync(aggregator, "admission=revoked"));
            Assert.Empty(await SearchAsync(aggregator, "admission=lapsed"));
            Assert.Equal(Ids(alouette, blaireau, castor, dauphin, fouine), await SearchAsync(aggregator, "admission=any"));
        }

        // The exports carry this aggregator's view; both aggregators export the same bytes.
        var exports = await RealNodeTests.ExportsAsync(following);
        RealNodeTests.AssertSameExports(exports, await RealNodeTests.ExportsAsync(polling), "the following and the polling aggregators");
        AssertExportedAdmissions(exports, (alouette, "admitted", 0), (blaireau, "admitted", 0), (castor, "admitted", 2), (dauphin, "candidate", 1), (fouine, "revoked", 1));

        // The cascade: Castor vouches for Dauphin, which is then admitted; when Blaireau revokes its endorsement of
        // Castor, Castor's admission is revoked, and Dauphin, which Castor held at the quorum, lapses (spec section 6).
        var castorToDauphin = await castor.EndorseAsync(dauphin.Mention);
        await WaitForAdmissionsAsync(following, DeliveryWait, (dauphin, "admitted", 2));
        await WaitForAdmissionsAsync(polling, PollInterval.TotalSeconds + PollMargin, (dauphin, "admitted", 2));
        await RealNodeTests.CliAsync("membership", "revoke", blaireauToCastor.Id, "--data", blaireau.Node.Folder);
        await WaitForAdmissionsAsync(following, DeliveryWait, (castor, "revoked", 1), (dauphin, "lapsed", 1));
        await WaitForAdmissionsAsync(polling, PollInterval.TotalSeconds + PollMargin, (castor, "revoked", 1), (dauphin, "lapsed", 1));
        Assert.Equal(firstPoll, following.Directory.LastCrawlAt);

        dauphinAdmission = await AdmissionAsync(following, dauphin);
        Assert.Equal([alouette.ActorId], Strings(dauphinAdmission["endorsedBy"]));
        var fromCastor = dauphinAdmission["credentials"]!.AsArray().Single(c => c!["issuer"]!.GetValue<string>() == castor.ActorId)!;
        Assert.Equal((castorToDauphin.Id, "valid", false), (fromCastor["id"]!.GetValue<string>(), fromCastor["state"]!.GetValue<string>(), fromCastor["counted"]!.GetValue<bool>()));
        foreach (var aggregator in new[] { following, polling })
        {
            Assert.Equal(Ids(alouette, blaireau), await SearchAsync(aggregator, "admission=admitted"));
            Assert.Empty(await SearchAsync(aggregator, "admission=candidate"));
            Assert.Equal(Ids(dauphin), await SearchAsync(aggregator, "admission=lapsed"));
            Assert.Equal(Ids(castor, fouine), await SearchAsync(aggregator, "admission=revoked"));
            var status = await RealNodeTests.CliAsync("directory", "status", "--data", aggregator.Folder);
            Assert.Contains($"Membership: trust roots {alouette.Acct}, {blaireau.ActorId}; quorum 2: 2 admitted, 0 candidate(s), 1 lapsed, 2 revoked", status.Output, StringComparison.Ordinal);
        }

        exports = await RealNodeTests.ExportsAsync(following);
        RealNodeTests.AssertSameExports(exports, await RealNodeTests.ExportsAsync(polling), "the following and the polling aggregators, after the cascade");
        AssertExportedAdmissions(exports, (alouette, "admitted", 0), (blaireau, "admitted", 0), (castor, "revoked", 1), (dauphin, "lapsed", 1), (fouine, "revoked", 1));

        // What was delivered is what the nodes publish: the directory rebuilt from them alone is the same, byte for byte.
        var rebuild = await RealNodeTests.CliAsync("directory", "rebuild", "--data", following.Folder);
        Assert.Contains("Rebuilt: 5 listed of 5 found", rebuild.Output, StringComparison.Ordinal);
        RealNodeTests.AssertSameExports(exports, await RealNodeTests.ExportsAsync(following), "after 'directory rebuild'");
    }

    /// <summary>The GeoJSON properties and the CSV's last two columns give each chaton's status and endorsements.</summary>
    private static void AssertExportedAdmissions(byte[][] exports, params (ChatonNode Chaton, string Status, int Endorsements)[] expected)
    {
        var features = JsonNode.Parse(exports[0])!["features"]!.AsArray();
        var rows = Encoding.UTF8.GetString(exports[1]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",admission_status,admission_endorsements", rows[0], StringComparison.Ordinal);
        Assert.Equal(expected.Length, features.Count);
        Assert.Equal(expected.Length, rows.Length - 1);
        foreach (var (chaton, status, endorsements) in expected)
        {
            var properties = features.Single(f => f!["id"]!.GetValue<string>() == chaton.ActorId)!["properties"]!;
            Assert.Equal((status, endorsements), (properties["admission_status"]!.GetValue<string>(), properties["admission_endorsements"]!.GetValue<int>()));
            var row = rows.Single(r => r.StartsWith(chaton.ActorId + ",", StringComparison.Ordinal));
            Assert.EndsWith($",{status},{endorsements}", row, StringComparison.Ordinal);
        }
    }

    private static async Task<JsonObject> AdmissionAsync(TestAggregator aggregator, ChatonNode chaton)
    {
        var entry = await aggregator.EntryAsync(chaton.ActorId);
        Assert.True(entry is not null, $"{chaton.Name} is not listed by {aggregator.PublicUrl}");
        return entry["admission"]!.AsObject();
    }

    private static async Task<(string Status, int Endorsements)> StatusAsync(TestAggregator aggregator, ChatonNode chaton)
    {
        var entry = await aggregator.EntryAsync(chaton.ActorId);
        return entry?["admission"] is JsonObject admission
            ? (admission["status"]!.GetValue<string>(), admission["endorsements"]!.GetValue<int>())
            : ("not listed", 0);
    }

    /// <summary>Waits until each chaton has its status and endorsements at <paramref name="aggregator"/>, for at most <paramref name="seconds"/>.</summary>
    private static async Task WaitForAdmissionsAsync(TestAggregator aggregator, double seconds, params (ChatonNode Chaton, string Status, int Endorsements)[] expected)
    {
        try
        {
            await TestHost.WaitForAsync(async () =>
            {
                foreach (var (chaton, status, endorsements) in expected)
                {
                    if (await StatusAsync(aggregator, chaton) != (status, endorsements))
                    {
                        return false;
                    }
                }

                return true;
            }, seconds, string.Join(", ", expected.Select(e => $"{e.Chaton.Name} {e.Status} ({e.Endorsements})")) + " at " + aggregator.PublicUrl);
        }
        catch (TimeoutException e)
        {
            var now = await Task.WhenAll(expected.Select(async x => $"{x.Chaton.Name} {await StatusAsync(aggregator, x.Chaton)}"));
            throw new TimeoutException($"{e.Message}; now: {string.Join(", ", now)}", e);
        }
    }

    private static async Task<List<string>> SearchAsync(TestAggregator aggregator, string query) =>
        [.. (await aggregator.GetJsonAsync("/api/directory/search?limit=100&" + query))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    private static List<string> Ids(params ChatonNode[] chatons) => [.. chatons.Select(c => c.ActorId).Order(StringComparer.Ordinal)];

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(i => i!.GetValue<string>())];
}
