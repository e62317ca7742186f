using ChatonsFed.Hosting;
using ChatonsFed.Node.Features;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Node.Hosting;

/// <summary>The node's features over its files, while no host runs it; disposing it closes the store and the keys.</summary>
public sealed class OfflineNode : IDisposable
{
    private readonly DataFolderLock _writer;

    internal OfflineNode(NodeOutbox outbox, string keysFolder, TimeProvider time, DataFolderLock writer)
    {
        _writer = writer;
        Outbox = outbox;
        Profile = new ProfileService(outbox);
        Services = new ServiceCatalogue(outbox);
        Attestation = new AttestationService(outbox);
        KeyRotation = new KeyRotation(outbox, keysFolder, time);
        Leaving = new Leaving(outbox);
        Blocks = new BlockList(outbox.Store, time);
    }

    public NodeStore Store => Outbox.Store;

    public ProfileService Profile { get; }

    public ServiceCatalogue Services { get; }

    public AttestationService Attestation { get; }

    public KeyRotation KeyRotation { get; }

    public Leaving Leaving { get; }

    public BlockList Blocks { get; }

    /// <summary>What the features publish through; for the node's own tests.</summary>
    internal NodeOutbox Outbox { get; }

    public void Dispose()
    {
        Outbox.Dispose();
        Outbox.Store.Dispose();
        _writer.Dispose();
    }
}
