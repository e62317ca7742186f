using ChatonsFed.Node.Features;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Node.Hosting;

/// <summary>The node's features over its files, while no host runs it; disposing it closes the store and the keys.</summary>
public sealed class OfflineNode : IDisposable
{
    private readonly NodeOutbox _outbox;

    internal OfflineNode(NodeOutbox outbox, string keysFolder, TimeProvider time)
    {
        _outbox = outbox;
        Profile = new ProfileService(outbox);
        Services = new ServiceCatalogue(outbox);
        Attestation = new AttestationService(outbox);
        KeyRotation = new KeyRotation(outbox, keysFolder, time);
        Leaving = new Leaving(outbox);
        Blocks = new BlockList(outbox.Store, time);
    }

    public NodeStore Store => _outbox.Store;

    public ProfileService Profile { get; }

    public ServiceCatalogue Services { get; }

    public AttestationService Attestation { get; }

    public KeyRotation KeyRotation { get; }

    public Leaving Leaving { get; }

    public BlockList Blocks { get; }

    public void Dispose()
    {
        _outbox.Dispose();
        _outbox.Store.Dispose();
    }
}
