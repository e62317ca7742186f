namespace ChatonsFed.Hosting.Configuration;

/// <summary>Where the aggregator's actor and directory API live, under the node's public base URL.</summary>
public sealed class AggregatorUrls(string baseUrl)
{
    public const string ActorPath = "/aggregator";
    public const string InboxPath = "/aggregator/inbox";
    public const string OutboxPath = "/aggregator/outbox";
    public const string FollowersPath = "/aggregator/followers";
    public const string FollowingPath = "/aggregator/following";
    public const string DirectoryApiPath = "/api/directory";
    public const string NotesPath = "/aggregator/notes";
    public const string FeedPath = "/feed.atom";

    public string BaseUrl { get; } = baseUrl.TrimEnd('/');

    public string Actor => BaseUrl + ActorPath;

    public string RsaKeyId => Actor + "#main-key";

    public string Ed25519KeyId => Actor + "#ed25519-key";

    public string Inbox => BaseUrl + InboxPath;

    public string Outbox => BaseUrl + OutboxPath;

    public string Followers => BaseUrl + FollowersPath;

    public string Following => BaseUrl + FollowingPath;

    /// <summary>The root of the directory API (search, entries, exports), given in NodeInfo as <c>metadata.chatons.directory</c>.</summary>
    public string DirectoryApi => BaseUrl + DirectoryApiPath;

    /// <summary>The id of a note the aggregator posts, by its token.</summary>
    public string Note(string token) => BaseUrl + NotesPath + "/" + token;

    /// <summary>The id of the <c>Create</c> of a note: the note's id with <c>/activity</c>.</summary>
    public string NoteActivity(string token) => Note(token) + "/activity";

    /// <summary>The id of an <c>Accept</c> the aggregator sends to a new follower.</summary>
    public string AcceptActivity(Guid id) => $"{BaseUrl}/aggregator/accepts/{id:N}";

    /// <summary>A chaton's page on the directory website.</summary>
    public string ChatonPage(string actorId) => BaseUrl + "/chaton?id=" + Uri.EscapeDataString(actorId);

    /// <summary>The id of a <c>Follow</c> the aggregator sends.</summary>
    public string FollowActivity(Guid id) => $"{BaseUrl}/aggregator/follows/{id:N}";
}
