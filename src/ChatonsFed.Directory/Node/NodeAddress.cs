using System.Text.RegularExpressions;

namespace ChatonsFed.Directory.Node;

/// <summary>
/// Where a node lives and the URL of each of its documents. <paramref name="BaseUrl"/> may carry a path
/// (a node served under <c>https://host/chaton/</c>); a trailing slash makes no difference.
/// </summary>
/// <param name="Handle">The user part of the WebFinger handle, also the actor's <c>preferredUsername</c>.</param>
public sealed partial record NodeAddress(Uri BaseUrl, string Handle)
{
    /// <summary>The base URL without its trailing slash: every document URL starts with it.</summary>
    public string Root => BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');

    public Uri ActorId => Under("/actor");

    public Uri Inbox => Under("/actor/inbox");

    public Uri SharedInbox => Under("/inbox");

    public Uri Outbox => Under("/actor/outbox");

    public Uri Followers => Under("/actor/followers");

    public Uri Following => Under("/actor/following");

    public Uri Services => Under("/services");

    public Uri Attestation => Under("/attestation");

    /// <summary>The membership credentials this chaton holds: <c>{base}/membership/endorsements</c>.</summary>
    public Uri Endorsements => Under("/membership/endorsements");

    /// <summary>The membership credentials this chaton issued: <c>{base}/membership/issued</c>.</summary>
    public Uri IssuedEndorsements => Under("/membership/issued");

    /// <summary>The revocation list of the credentials this chaton issued: <c>{base}/membership/status</c>.</summary>
    public Uri StatusList => Under("/membership/status");

    /// <summary>Where an issued credential lives: <c>{base}/membership/issued/{id}</c>.</summary>
    public Uri CredentialId(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Under("/membership/issued/" + Uri.EscapeDataString(id));
    }

    /// <summary>Where activities the node emits live: <c>{base}/activities/{id}</c>.</summary>
    public Uri ActivityId(string id) => Under("/activities/" + Uri.EscapeDataString(id));

    /// <summary>Where the short notes for fediverse followers live: <c>{base}/notes/{id}</c>.</summary>
    public Uri NoteId(string id) => Under("/notes/" + Uri.EscapeDataString(id));

    public Uri ServiceId(string slug)
    {
        ArgumentException.ThrowIfNullOrEmpty(slug);
        return Under("/services/" + Uri.EscapeDataString(slug));
    }

    public string MainKeyId => ActorId.AbsoluteUri + "#main-key";

    public string Ed25519KeyId => ActorId.AbsoluteUri + "#ed25519-key";

    /// <summary><c>acct:handle@host</c>, with the port when it is not the scheme's default.</summary>
    public string AcctUri => $"acct:{Handle}@{BaseUrl.Authority}";

    /// <summary>Every reason this address cannot be served; empty when it can.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (BaseUrl is null)
        {
            problems.Add("baseUrl: is required.");
        }
        else if (!BaseUrl.IsAbsoluteUri)
        {
            problems.Add($"baseUrl: \"{BaseUrl}\" must be an absolute URL.");
        }
        else
        {
            if (BaseUrl.Scheme is not ("https" or "http"))
            {
                problems.Add($"baseUrl: scheme \"{BaseUrl.Scheme}\" is not http or https.");
            }

            if (BaseUrl.Query.Length > 0)
            {
                problems.Add("baseUrl: must not have a query.");
            }

            if (BaseUrl.Fragment.Length > 0)
            {
                problems.Add("baseUrl: must not have a fragment.");
            }

            if (BaseUrl.UserInfo.Length > 0)
            {
                problems.Add("baseUrl: must not carry a user name or password.");
            }
        }

        if (Handle is null || !HandlePattern().IsMatch(Handle))
        {
            problems.Add($"handle: \"{Handle}\" must be made of a-z, 0-9, '_', '.' and '-' only.");
        }

        return problems;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem <see cref="Validate"/> finds.</summary>
    public NodeAddress EnsureValid()
    {
        var problems = Validate();
        return problems.Count == 0 ? this : throw new ArgumentException("Invalid node address: " + string.Join(" ", problems));
    }

    private Uri Under(string path) => new(Root + path, UriKind.Absolute);

    [GeneratedRegex("^[a-z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex HandlePattern();
}
