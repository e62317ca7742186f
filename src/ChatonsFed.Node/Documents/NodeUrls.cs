using ChatonsFed.Protocol.Membership;

namespace ChatonsFed.Node.Documents;

/// <summary>Where each of the node's documents lives, under its public base URL.</summary>
public sealed class NodeUrls(string baseUrl)
{
    public const string ActorPath = "/actor";
    public const string ServicesPath = "/services";
    public const string AttestationPath = "/attestation";
    public const string InboxPath = "/actor/inbox";
    public const string SharedInboxPath = "/inbox";
    public const string OutboxPath = "/actor/outbox";
    public const string FollowersPath = "/actor/followers";
    public const string FollowingPath = "/actor/following";
    public const string EndorsementsPath = MembershipCollections.HeldPath;
    public const string IssuedPath = MembershipCollections.IssuedPath;
    public const string StatusListPath = MembershipCollections.StatusPath;

    public string BaseUrl { get; } = baseUrl.TrimEnd('/');

    public string Actor => BaseUrl + ActorPath;
    public string Ed25519KeyId => Actor + "#ed25519-key";
    public string RsaKeyId => Actor + "#main-key";
    public string Inbox => BaseUrl + InboxPath;
    public string SharedInbox => BaseUrl + SharedInboxPath;
    public string Outbox => BaseUrl + OutboxPath;
    public string Followers => BaseUrl + FollowersPath;
    public string Following => BaseUrl + FollowingPath;
    public string Services => BaseUrl + ServicesPath;
    public string Attestation => BaseUrl + AttestationPath;

    public string Endorsements => BaseUrl + EndorsementsPath;
    public string IssuedEndorsements => BaseUrl + IssuedPath;
    public string StatusList => BaseUrl + StatusListPath;

    public static string ServicePath(string slug) => $"{ServicesPath}/{slug}";

    /// <summary>The URL, and id, of the issued credential <paramref name="slug"/>.</summary>
    public string Credential(string slug) => $"{BaseUrl}{IssuedPath}/{slug}";

    public string Service(string slug) => BaseUrl + ServicePath(slug);

    public string Activity(Guid id) => $"{BaseUrl}/activities/{id:N}";

    public string Note(Guid id) => $"{BaseUrl}/notes/{id:N}";
}
