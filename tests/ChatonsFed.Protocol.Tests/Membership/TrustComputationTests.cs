using ChatonsFed.Protocol.Membership;

namespace ChatonsFed.Protocol.Tests.Membership;

/// <summary>The trust example of tests/vectors/membership.json, the until rule, cascades and determinism.</summary>
public class TrustComputationTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_vector_example_gives_every_chatons_status_root_count_and_counted_issuers()
    {
        var trust = MembershipVectors.File["trust"]!;
        var (roots, quorum, chatons, edges) = VectorInput();

        var result = TrustComputation.Compute(roots, quorum, chatons, edges);

        var expected = trust["expected"]!.AsObject();
        Assert.Equal(expected.Select(e => e.Key).Order(StringComparer.Ordinal), result.Admissions.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, node) in expected)
        {
            var admission = result.Admissions[id];
            Assert.Equal(node!["status"]!.GetValue<string>(), TrustComputation.WireNames.Of(admission.Status));
            Assert.Equal(node["root"]?.GetValue<bool>() ?? false, admission.Root);
            Assert.Equal(node["count"]!.GetValue<int>(), admission.Endorsements);
            Assert.Equal(node["counted"]!.AsArray().Select(c => c!.GetValue<string>()), admission.EndorsedBy);
            Assert.Equal(quorum, admission.Quorum);
        }
    }

    [Fact]
    public void In_the_vector_example_the_counted_credentials_are_the_valid_ones_from_admitted_issuers_on_other_hosts()
    {
        var (roots, quorum, chatons, edges) = VectorInput();

        var result = TrustComputation.Compute(roots, quorum, chatons, edges);

        string[] notCounted =
        [
            Id("https://mutu.example/c1/actor", "https://mutu.example/c2/actor"), // the subject's own host
            Id("https://a.example/actor", "https://e.example/actor"), // revoked
            Id("https://a.example/actor", "https://f.example/actor"), // expired
            Id("https://e.example/actor", "https://g.example/actor"), // e is not admitted
        ];
        Assert.Equal(edges.Select(e => e.CredentialId).Except(notCounted).Order(StringComparer.Ordinal),
            result.CountedCredentialIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Until_is_the_kth_latest_of_the_latest_validUntil_per_counted_host()
    {
        var roots = new[] { "https://r1.test/actor", "https://r2.test/actor", "https://r3.test/actor" };
        const string s = "https://s.test/actor";
        var edges = new[]
        {
            Edge(roots[0], s, Now.AddDays(100)),
            Edge(roots[1], s, Now.AddDays(50)),
            Edge(roots[1], s, Now.AddDays(200), "later"),
            Edge(roots[2], s, Now.AddDays(30)),
            Edge(roots[2], s, Now.AddDays(300), "revoked", CredentialState.Revoked),
        };

        var two = TrustComputation.Compute(roots, 2, [s], edges).Admissions[s];
        var three = TrustComputation.Compute(roots, 3, [s], edges).Admissions[s];
        var four = TrustComputation.Compute(roots, 4, [s], edges).Admissions[s];

        // Latest per host: r1 +100, r2 +200, r3 +30 (its revoked credential does not count).
        Assert.Equal(Now.AddDays(100), two.Until);
        Assert.Equal(Now.AddDays(30), three.Until);
        Assert.Equal(AdmissionStatus.Admitted, three.Status);
        Assert.Null(four.Until);
        Assert.Equal(AdmissionStatus.Candidate, four.Status);
        Assert.Equal(3, four.Endorsements);
        Assert.All(roots, r => Assert.Null(TrustComputation.Compute(roots, 2, [s], edges).Admissions[r].Until));
    }

    [Fact]
    public void An_issuer_that_leaves_the_admitted_set_drops_those_it_carried_down_the_chain()
    {
        string[] roots = ["https://r1.test/actor", "https://r2.test/actor"];
        const string a = "https://a.test/actor", b = "https://b.test/actor", c = "https://c.test/actor", d = "https://d.test/actor";
        string[] chatons = [a, b, c, d];
        var edges = new List<TrustEdge>
        {
            Edge(roots[0], a, Now.AddDays(10)),
            Edge(roots[1], a, Now.AddDays(10)),
            Edge(roots[0], b, Now.AddDays(10)),
            Edge(a, b, Now.AddDays(10)),
            Edge(a, c, Now.AddDays(10)),
            Edge(b, c, Now.AddDays(10)),
            Edge(c, d, Now.AddDays(10)),
            Edge(roots[1], d, Now.AddDays(10)),
        };

        var before = TrustComputation.Compute(roots, 2, chatons, edges);
        Assert.All(chatons, x => Assert.Equal(AdmissionStatus.Admitted, before.Admissions[x].Status));

        // r2 revokes what it gave a: a falls, and with it b, c and d, which it carried.
        edges[1] = edges[1] with { State = CredentialState.Revoked };
        var after = TrustComputation.Compute(roots, 2, chatons, edges);

        Assert.Equal(AdmissionStatus.Revoked, after.Admissions[a].Status);
        Assert.Equal(AdmissionStatus.Lapsed, after.Admissions[b].Status);
        Assert.Equal(AdmissionStatus.Lapsed, after.Admissions[c].Status);
        Assert.Equal(AdmissionStatus.Lapsed, after.Admissions[d].Status);
        Assert.Equal(1, after.Admissions[b].Endorsements);
        Assert.Equal([roots[0]], after.Admissions[b].EndorsedBy);
        Assert.Equal(0, after.Admissions[c].Endorsements);
        Assert.DoesNotContain(edges[4].CredentialId, after.CountedCredentialIds);
        Assert.Contains(edges[4].CredentialId, before.CountedCredentialIds);
    }

    [Fact]
    public void A_ring_without_roots_never_gets_in()
    {
        string[] ring = ["https://x.test/actor", "https://y.test/actor", "https://z.test/actor"];
        var edges = new List<TrustEdge>();
        foreach (var issuer in ring)
        {
            foreach (var subject in ring)
            {
                if (issuer != subject)
                {
                    edges.Add(Edge(issuer, subject, Now.AddDays(10)));
                }
            }
        }

        var result = TrustComputation.Compute(["https://root.test/actor"], 2, ring, edges);

        Assert.All(ring, x => Assert.Equal(AdmissionStatus.Candidate, result.Admissions[x].Status));
        Assert.All(ring, x => Assert.Equal(0, result.Admissions[x].Endorsements));
        Assert.Empty(result.CountedCredentialIds);
    }

    [Fact]
    public void A_host_counts_once_port_and_case_ignored_and_never_for_its_own_chatons()
    {
        string[] roots = ["https://R.test:8443/one", "https://r.test/two", "https://q.test/actor"];
        const string s = "https://s.test/actor", t = "https://R.TEST:9000/three";

        var result = TrustComputation.Compute(roots, 2, [s, t],
            [Edge(roots[0], s, Now.AddDays(1)), Edge(roots[1], s, Now.AddDays(2)), Edge(roots[0], t, Now.AddDays(1)), Edge(roots[2], t, Now.AddDays(1))]);

        Assert.Equal("r.test", TrustComputation.HostOf("https://R.test:8443/one"));
        Assert.Equal(1, result.Admissions[s].Endorsements);
        Assert.Equal(["https://R.test:8443/one"], result.Admissions[s].EndorsedBy);
        Assert.Equal(AdmissionStatus.Candidate, result.Admissions[s].Status);
        Assert.Equal(1, result.Admissions[t].Endorsements);
        Assert.Equal(["https://q.test/actor"], result.Admissions[t].EndorsedBy);
    }

    [Fact]
    public void Roots_are_admitted_whatever_is_said_of_them_and_need_not_be_listed()
    {
        string[] roots = ["https://r1.test/actor", "https://r2.test/actor"];
        const string a = "https://a.test/actor";

        var result = TrustComputation.Compute(roots, 1, [a, roots[0]],
            [Edge(roots[1], roots[0], Now.AddDays(1), state: CredentialState.Revoked), Edge(roots[0], a, Now.AddDays(1))]);

        Assert.Equal(3, result.Admissions.Count);
        Assert.All(roots, r => Assert.Equal(new Admission(AdmissionStatus.Admitted, true, 0, 1, [], null), result.Admissions[r] with { EndorsedBy = [] }));
        Assert.Equal(AdmissionStatus.Admitted, result.Admissions[a].Status);
        Assert.False(result.Admissions[a].Root);
    }

    [Fact]
    public void Subjects_that_are_not_listed_are_neither_admitted_nor_counted_as_issuers()
    {
        const string root = "https://r.test/actor", unlisted = "https://u.test/actor", s = "https://s.test/actor";

        var result = TrustComputation.Compute([root], 1, [s], [Edge(root, unlisted, Now.AddDays(1)), Edge(unlisted, s, Now.AddDays(1))]);

        Assert.False(result.Admissions.ContainsKey(unlisted));
        Assert.Equal(AdmissionStatus.Candidate, result.Admissions[s].Status);
    }

    [Fact]
    public void States_other_than_valid_expired_and_revoked_count_for_nothing_even_in_the_widened_set()
    {
        const string root = "https://r.test/actor", s = "https://s.test/actor";

        foreach (var state in new[] { CredentialState.NotYetValid, CredentialState.StatusUnavailable })
        {
            var result = TrustComputation.Compute([root], 1, [s], [Edge(root, s, Now.AddDays(1), state: state)]);
            Assert.Equal(AdmissionStatus.Candidate, result.Admissions[s].Status);
        }

        Assert.Equal(AdmissionStatus.Lapsed,
            TrustComputation.Compute([root], 1, [s], [Edge(root, s, Now.AddDays(1), state: CredentialState.Expired)]).Admissions[s].Status);
        Assert.Throws<ArgumentOutOfRangeException>(() => TrustComputation.Compute([root], 0, [s], []));
    }

    [Fact]
    public void The_same_inputs_in_any_order_give_the_same_result()
    {
        var (roots, quorum, chatons, edges) = VectorInput();
        var reference = TrustComputation.Compute(roots, quorum, chatons, edges);
        var random = new Random(20260601);

        for (var round = 0; round < 20; round++)
        {
            var result = TrustComputation.Compute(
                Shuffle(roots, random), quorum, Shuffle(chatons, random), Shuffle(edges, random));

            Assert.Equal(reference.Admissions.Keys, result.Admissions.Keys);
            foreach (var (id, admission) in reference.Admissions)
            {
                Assert.Equal(admission.Status, result.Admissions[id].Status);
                Assert.Equal(admission.Endorsements, result.Admissions[id].Endorsements);
                Assert.Equal(admission.EndorsedBy, result.Admissions[id].EndorsedBy);
                Assert.Equal(admission.Until, result.Admissions[id].Until);
            }

            Assert.True(reference.CountedCredentialIds.SetEquals(result.CountedCredentialIds));
        }
    }

    [Fact]
    public void Admissions_are_listed_in_ordinal_order_of_actor_id()
    {
        var (roots, quorum, chatons, edges) = VectorInput();

        var result = TrustComputation.Compute(roots, quorum, chatons, edges);

        Assert.Equal(result.Admissions.Keys.Order(StringComparer.Ordinal), result.Admissions.Keys);
    }

    [Fact]
    public void Wire_names_round_trip()
    {
        foreach (var status in Enum.GetValues<AdmissionStatus>())
        {
            Assert.True(TrustComputation.WireNames.TryParse(TrustComputation.WireNames.Of(status), out var parsed));
            Assert.Equal(status, parsed);
        }

        Assert.False(TrustComputation.WireNames.TryParse("Admitted", out _));
        foreach (var state in Enum.GetValues<CredentialState>())
        {
            Assert.True(CredentialStates.TryParse(CredentialStates.WireName(state), out var parsed));
            Assert.Equal(state, parsed);
        }

        Assert.Equal("notYetValid", CredentialStates.WireName(CredentialState.NotYetValid));
        Assert.False(CredentialStates.TryParse("Valid", out _));
        Assert.False(CredentialStates.TryParse(null, out _));
    }

    private static (string[] Roots, int Quorum, string[] Chatons, TrustEdge[] Edges) VectorInput()
    {
        var trust = MembershipVectors.File["trust"]!;
        Assert.Equal(Now, MembershipVectors.Instant(trust["now"]!.GetValue<string>()));
        var edges = trust["credentials"]!.AsArray().Select(c =>
        {
            Assert.True(CredentialStates.TryParse(c!["state"]!.GetValue<string>(), out var state));
            return Edge(c["issuer"]!.GetValue<string>(), c["subject"]!.GetValue<string>(), Now.AddDays(100), state: state);
        }).ToArray();
        return (
            trust["roots"]!.AsArray().Select(r => r!.GetValue<string>()).ToArray(),
            trust["quorum"]!.GetValue<int>(),
            trust["chatons"]!.AsArray().Select(r => r!.GetValue<string>()).ToArray(),
            edges);
    }

    private static TrustEdge Edge(string issuer, string subject, DateTimeOffset validUntil, string suffix = "", CredentialState state = CredentialState.Valid) =>
        new(Id(issuer, subject) + suffix, issuer, subject, state, validUntil);

    private static string Id(string issuer, string subject) =>
        issuer.Replace("/actor", string.Empty, StringComparison.Ordinal) + "/membership/issued/" + Uri.EscapeDataString(subject);

    private static T[] Shuffle<T>(IEnumerable<T> items, Random random)
    {
        var array = items.ToArray();
        random.Shuffle(array);
        return array;
    }
}
