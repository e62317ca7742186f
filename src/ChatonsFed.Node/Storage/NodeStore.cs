using ChatonsFed.Federation.Delivery;
using ChatonsFed.Hosting.Storage;

namespace ChatonsFed.Node.Storage;

/// <summary>
/// The chaton node's tables in the data folder's LiteDB file (same file and collection names as ever, so existing
/// data folders keep working), beside the tables every role shares, which it passes through from
/// <see cref="DataStore"/>: one gate and one transaction cover both.
/// </summary>
public sealed class NodeStore : IDisposable
{
    private readonly bool _ownsShared;
    private long _servedVersion;
    private int _servedChangedInTransaction;

    /// <summary>The node's tables over <paramref name="shared"/>, which the caller keeps and disposes.</summary>
    public NodeStore(DataStore shared)
        : this(shared, ownsShared: false)
    {
    }

    private NodeStore(DataStore shared, bool ownsShared)
    {
        ArgumentNullException.ThrowIfNull(shared);
        Shared = shared;
        _ownsShared = ownsShared;
        Profiles = shared.Table<ProfileRecord>("profile", changed: ServedChanged);
        Services = shared.Table<ServiceRecord>("services");
        Attestations = shared.Table<AttestationRecord>("attestation");
        Documents = shared.Table<DocumentRecord>("documents", changed: ServedChanged);
        Followers = shared.Table<FollowerRecord>("followers");
        BlockedDomains = shared.Table<BlockedDomainRecord>("blocked_domains");
        Outbox = shared.Table<OutboxRecord>("outbox", c => c.EnsureIndex(o => o.ActivityId, unique: true));
        IssuedCredentials = shared.Table<IssuedCredentialRecord>("membership_issued", c => c.EnsureIndex(r => r.CredentialId, unique: true));
        StatusLists = shared.Table<StatusListRecord>("membership_status");
        HeldCredentials = shared.Table<HeldCredentialRecord>("membership_held", c => c.EnsureIndex(r => r.Issuer));
    }

    /// <summary>
    /// Changes whenever what the public document URLs answer may have changed: after every write to the documents or
    /// the profile (whose deletion turns every document into a tombstone), and again when the transaction that made
    /// it ends, committed or rolled back. What was read after reading a version is at least as new as that version,
    /// so a copy tagged with the version it was read under may be served for as long as the version stays the same
    /// (see <see cref="Features.ServedDocuments"/>).
    /// </summary>
    public long ServedVersion => Interlocked.Read(ref _servedVersion);

    /// <summary>The file itself and the tables every role uses.</summary>
    public DataStore Shared { get; }

    public StoreTable<ProfileRecord> Profiles { get; }
    public StoreTable<ServiceRecord> Services { get; }
    public StoreTable<AttestationRecord> Attestations { get; }
    public StoreTable<DocumentRecord> Documents { get; }
    public StoreTable<FollowerRecord> Followers { get; }
    public StoreTable<BlockedDomainRecord> BlockedDomains { get; }
    public StoreTable<OutboxRecord> Outbox { get; }

    /// <summary>The membership credentials the chaton issued.</summary>
    public StoreTable<IssuedCredentialRecord> IssuedCredentials { get; }

    /// <summary>The chaton's revocation list (one record).</summary>
    public StoreTable<StatusListRecord> StatusLists { get; }

    /// <summary>The membership credentials about the chaton that it holds.</summary>
    public StoreTable<HeldCredentialRecord> HeldCredentials { get; }

    public StoreTable<ProcessedActivityRecord> ProcessedActivities => Shared.ProcessedActivities;
    public StoreTable<RemoteActorRecord> RemoteActors => Shared.RemoteActors;
    public StoreTable<RemoteKeyRecord> RemoteKeys => Shared.RemoteKeys;
    public StoreTable<DeliveryJob> DeliveryJobs => Shared.DeliveryJobs;
    public StoreTable<AdminCredentialRecord> AdminCredentials => Shared.AdminCredentials;

    /// <inheritdoc cref="DataStore.WriteLock"/>
    public SemaphoreSlim WriteLock => Shared.WriteLock;

    public ProfileRecord? Profile => Profiles.FindById(1);

    public AttestationRecord? Attestation => Attestations.FindById(1);

    public DocumentRecord? FindDocument(string path) => Documents.FindById(path);

    /// <summary>Opens the database file alone, for use without the web host; disposing closes it. See <see cref="DataStore.Open"/>.</summary>
    public static NodeStore Open(string path) => Owning(DataStore.Open(path));

    /// <summary>The node's tables over <paramref name="shared"/>, which disposing closes.</summary>
    public static NodeStore Owning(DataStore shared) => new(shared, ownsShared: true);

    /// <inheritdoc cref="DataStore.InTransaction"/>
    public bool InTransaction(Action action)
    {
        try
        {
            return Shared.InTransaction(action);
        }
        finally
        {
            // A document read inside the transaction may have been one it wrote and then rolled back.
            if (Interlocked.Exchange(ref _servedChangedInTransaction, 0) != 0)
            {
                Interlocked.Increment(ref _servedVersion);
            }
        }
    }

    private void ServedChanged()
    {
        Interlocked.Exchange(ref _servedChangedInTransaction, 1);
        Interlocked.Increment(ref _servedVersion);
    }

    public void Checkpoint() => Shared.Checkpoint();

    public void Dispose()
    {
        if (_ownsShared)
        {
            Shared.Dispose();
        }
    }
}
