namespace ChatonsFed.Protocol.Membership;

/// <summary>A chaton's admission status (wire names: admitted, candidate, lapsed, revoked).</summary>
public enum AdmissionStatus
{
    Admitted,
    Candidate,
    Lapsed,
    Revoked,
}

/// <summary>
/// One authentic credential as the trust computation sees it: its state now and the instant it stops counting,
/// <see cref="MembershipCredential.CountsUntil"/> (the earlier of <c>validUntil</c> and <c>validFrom</c> + 400 days).
/// </summary>
public sealed record TrustEdge(string CredentialId, string Issuer, string Subject, CredentialState State, DateTimeOffset ValidUntil);

/// <summary>
/// A chaton's admission. <see cref="Endorsements"/>: its score within the admitted set (distinct issuer hosts);
/// <see cref="EndorsedBy"/>: for each counted host the first issuer by ordinal id, sorted; <see cref="Until"/>: when
/// the credentials that keep it at the quorum start to run out (null for roots and below the quorum).
/// </summary>
public sealed record Admission(AdmissionStatus Status, bool Root, int Endorsements, int Quorum,
    IReadOnlyList<string> EndorsedBy, DateTimeOffset? Until);

/// <summary>Every listed chaton's and every root's admission, and the ids of the credentials that count within the admitted set.</summary>
public sealed record TrustResult(IReadOnlyDictionary<string, Admission> Admissions, IReadOnlySet<string> CountedCredentialIds);

/// <summary>
/// The admitted set of spec/membership.md §6: a least fixpoint grown from the trust roots, in which a chaton enters
/// once credentials from k distinct hosts, other than its own and issued by members, are valid. Pure and deterministic:
/// the same roots, quorum, chatons and credentials in any order give the same result.
/// </summary>
public static class TrustComputation
{
    public static class WireNames
    {
        public const string Admitted = "admitted";
        public const string Candidate = "candidate";
        public const string Lapsed = "lapsed";
        public const string Revoked = "revoked";

        public static string Of(AdmissionStatus status) => status switch
        {
            AdmissionStatus.Admitted => Admitted,
            AdmissionStatus.Candidate => Candidate,
            AdmissionStatus.Lapsed => Lapsed,
            AdmissionStatus.Revoked => Revoked,
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not an admission status"),
        };

        public static bool TryParse(string? text, out AdmissionStatus status)
        {
            foreach (var candidate in Enum.GetValues<AdmissionStatus>())
            {
                if (string.Equals(Of(candidate), text, StringComparison.Ordinal))
                {
                    status = candidate;
                    return true;
                }
            }

            status = default;
            return false;
        }
    }

    /// <summary>The lower-cased host of an actor id, port ignored (the whole id lower-cased when it is not an absolute URL).</summary>
    public static string HostOf(string actorId)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        return Uri.TryCreate(actorId, UriKind.Absolute, out var uri) && uri.Host.Length > 0
            ? uri.Host.ToLowerInvariant()
            : actorId.ToLowerInvariant();
    }

    public static TrustResult Compute(IReadOnlyCollection<string> roots, int quorum,
        IReadOnlyCollection<string> listedChatons, IReadOnlyCollection<TrustEdge> credentials)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(listedChatons);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentOutOfRangeException.ThrowIfLessThan(quorum, 1);

        var rootSet = new HashSet<string>(roots, StringComparer.Ordinal);
        var listed = new HashSet<string>(listedChatons, StringComparer.Ordinal);
        var graph = Graph.Build(credentials);

        var admitted = Fixpoint(rootSet, listed, quorum, graph, validOnly: true);
        var widened = Fixpoint(rootSet, listed, quorum, graph, validOnly: false);

        var everyone = new List<string>(listed.Count + rootSet.Count);
        everyone.AddRange(listed);
        foreach (var root in rootSet)
        {
            if (!listed.Contains(root))
            {
                everyone.Add(root);
            }
        }

        everyone.Sort(StringComparer.Ordinal);
        var admissions = new Dictionary<string, Admission>(everyone.Count, StringComparer.Ordinal);
        var perHost = new Dictionary<string, (string FirstIssuer, DateTimeOffset Latest)>(StringComparer.Ordinal);
        foreach (var chaton in everyone)
        {
            admissions.Add(chaton, Admit(chaton, rootSet.Contains(chaton), quorum, graph, admitted, widened, perHost));
        }

        var counted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var edge in graph.Edges)
        {
            if (edge.Source.State == CredentialState.Valid && admitted.Contains(edge.Source.Issuer))
            {
                counted.Add(edge.Source.CredentialId);
            }
        }

        return new TrustResult(admissions, counted);
    }

    private static Admission Admit(string chaton, bool root, int quorum, Graph graph, HashSet<string> admitted,
        HashSet<string> widened, Dictionary<string, (string FirstIssuer, DateTimeOffset Latest)> perHost)
    {
        perHost.Clear();
        var revokedCounts = false;
        if (graph.BySubject.TryGetValue(chaton, out var incoming))
        {
            foreach (var index in incoming)
            {
                var edge = graph.Edges[index];
                var credential = edge.Source;
                if (credential.State == CredentialState.Revoked && widened.Contains(credential.Issuer))
                {
                    revokedCounts = true;
                }

                if (credential.State != CredentialState.Valid || !admitted.Contains(credential.Issuer))
                {
                    continue;
                }

                if (perHost.TryGetValue(edge.IssuerHost, out var seen))
                {
                    perHost[edge.IssuerHost] = (
                        string.CompareOrdinal(credential.Issuer, seen.FirstIssuer) < 0 ? credential.Issuer : seen.FirstIssuer,
                        credential.ValidUntil > seen.Latest ? credential.ValidUntil : seen.Latest);
                }
                else
                {
                    perHost.Add(edge.IssuerHost, (credential.Issuer, credential.ValidUntil));
                }
            }
        }

        var endorsedBy = new string[perHost.Count];
        var latest = new DateTimeOffset[perHost.Count];
        var i = 0;
        foreach (var (_, value) in perHost)
        {
            endorsedBy[i] = value.FirstIssuer;
            latest[i] = value.Latest;
            i++;
        }

        Array.Sort(endorsedBy, StringComparer.Ordinal);
        DateTimeOffset? until = null;
        if (!root && latest.Length >= quorum)
        {
            Array.Sort(latest);
            until = latest[latest.Length - quorum];
        }

        AdmissionStatus status;
        if (root || admitted.Contains(chaton))
        {
            status = AdmissionStatus.Admitted;
        }
        else if (widened.Contains(chaton))
        {
            status = revokedCounts ? AdmissionStatus.Revoked : AdmissionStatus.Lapsed;
        }
        else
        {
            status = AdmissionStatus.Candidate;
        }

        return new Admission(status, root, perHost.Count, quorum, endorsedBy, until);
    }

    /// <summary>
    /// The least fixpoint from the roots: each member, once admitted, adds its host to the subjects of its credentials,
    /// and a listed subject whose distinct hosts reach the quorum is admitted in turn. Each edge is looked at once.
    /// </summary>
    private static HashSet<string> Fixpoint(HashSet<string> roots, HashSet<string> listed, int quorum, Graph graph, bool validOnly)
    {
        var members = new HashSet<string>(roots, StringComparer.Ordinal);
        var pending = new Queue<string>(roots);
        var hostsOf = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var issuer))
        {
            if (!graph.ByIssuer.TryGetValue(issuer, out var outgoing))
            {
                continue;
            }

            foreach (var index in outgoing)
            {
                var edge = graph.Edges[index];
                var subject = edge.Source.Subject;
                if ((validOnly && edge.Source.State != CredentialState.Valid) || members.Contains(subject) || !listed.Contains(subject))
                {
                    continue;
                }

                if (!hostsOf.TryGetValue(subject, out var hosts))
                {
                    hosts = new HashSet<string>(StringComparer.Ordinal);
                    hostsOf.Add(subject, hosts);
                }

                if (hosts.Add(edge.IssuerHost) && hosts.Count >= quorum)
                {
                    members.Add(subject);
                    pending.Enqueue(subject);
                }
            }
        }

        return members;
    }

    private readonly record struct Edge(TrustEdge Source, string IssuerHost);

    /// <summary>
    /// The credentials that can ever count (valid, expired or revoked, issuer on another host than the subject),
    /// indexed by issuer and by subject.
    /// </summary>
    private sealed class Graph
    {
        public List<Edge> Edges { get; } = [];

        public Dictionary<string, List<int>> ByIssuer { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<int>> BySubject { get; } = new(StringComparer.Ordinal);

        public static Graph Build(IReadOnlyCollection<TrustEdge> credentials)
        {
            var graph = new Graph();
            var hosts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var credential in credentials)
            {
                ArgumentNullException.ThrowIfNull(credential);
                if (credential.State is not (CredentialState.Valid or CredentialState.Expired or CredentialState.Revoked))
                {
                    continue;
                }

                var issuerHost = CachedHost(hosts, credential.Issuer);
                if (string.Equals(issuerHost, CachedHost(hosts, credential.Subject), StringComparison.Ordinal))
                {
                    continue;
                }

                var index = graph.Edges.Count;
                graph.Edges.Add(new Edge(credential, issuerHost));
                Index(graph.ByIssuer, credential.Issuer, index);
                Index(graph.BySubject, credential.Subject, index);
            }

            return graph;
        }

        private static string CachedHost(Dictionary<string, string> hosts, string actorId)
        {
            if (!hosts.TryGetValue(actorId, out var host))
            {
                host = HostOf(actorId);
                hosts.Add(actorId, host);
            }

            return host;
        }

        private static void Index(Dictionary<string, List<int>> index, string key, int edge)
        {
            if (!index.TryGetValue(key, out var list))
            {
                list = [];
                index.Add(key, list);
            }

            list.Add(edge);
        }
    }
}
