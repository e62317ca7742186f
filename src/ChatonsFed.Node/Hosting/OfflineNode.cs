using ChatonsFed.Federation.Http;
using ChatonsFed.Hosting;
using ChatonsFed.Node.Features;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Node.Hosting;

/// <summary>
/// The node's features over its files, while no host runs it, with an outbound client under the node's address policy
/// (an endorsement fetches its subject); disposing it closes the store, the keys and the client.
/// </summary>
public sealed class OfflineNode : IDisposable
{
    private readonly DataFolderLock _writer;
    private readonly OutboundClients _http;

    internal OfflineNode(NodeOutbox outbox, string keysFolder, TimeProvider time, DataFolderLock writer, OutboundClients http, ActivityPubClient client)
    {
        _writer = writer;
        _http = http;
        Outbox = outbox;
        Profile = new ProfileService(outbox);
        Services = new ServiceCatalogue(outbox);
        Attestation = new AttestationService(outbox);
        KeyRotation = new KeyRotation(outbox, keysFolder, time);
        Leaving = new Leaving(outbox);
        Blocks = new BlockList(outbox.Store, time);
        Membership = new MembershipService(outbox, new IssuedEndorsements(outbox), new SubjectFinder(client));
    }

    public NodeStore Store => Outbox.Store;

    public ProfileService Profile { get; }

    public ServiceCatalogue Services { get; }

    public AttestationService Attestation { get; }

    public KeyRotation KeyRotation { get; }

    public Leaving Leaving { get; }

    public BlockList Blocks { get; }

    /// <summary>Endorse, revoke, list; an endorsement fetches its subject under the node's address policy.</summary>
    public MembershipService Membership { get; }

    /// <summary>What the features publish through; for the node's own tests.</summary>
    internal NodeOutbox Outbox { get; }

    public void Dispose()
    {
        Outbox.Dispose();
        Outbox.Store.Dispose();
        _http.Dispose();
        _writer.Dispose();
    }
}
