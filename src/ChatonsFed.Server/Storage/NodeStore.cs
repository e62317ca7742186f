using ChatonsFed.Federation.Delivery;
using LiteDB;

namespace ChatonsFed.Server.Storage;

/// <summary>
/// The node's single LiteDB file. One instance per process. Every access goes through one re-entrant gate (see
/// <see cref="StoreTable{T}"/>): LiteDB's own locking does not make concurrent reads safe. Callers that read,
/// change and write back several records as one step also hold <see cref="WriteLock"/> (never across network I/O).
/// </summary>
public sealed class NodeStore : IDisposable
{
    private readonly LiteDatabase _database;
    private readonly Lock _gate = new();

    private NodeStore(LiteDatabase database)
    {
        _database = database;
        Profiles = Open<ProfileRecord>("profile");
        Services = Open<ServiceRecord>("services");
        Attestations = Open<AttestationRecord>("attestation");
        Documents = Open<DocumentRecord>("documents");
        Followers = Open<FollowerRecord>("followers");
        BlockedDomains = Open<BlockedDomainRecord>("blocked_domains");
        Outbox = Open<OutboxRecord>("outbox", c => c.EnsureIndex(o => o.ActivityId, unique: true));
        ProcessedActivities = Open<ProcessedActivityRecord>("processed_activities");
        RemoteActors = Open<RemoteActorRecord>("remote_actors");
        SignatureFlavours = Open<SignatureFlavourRecord>("signature_flavours");
        DeliveryJobs = Open<DeliveryJob>("delivery_jobs", c => c.EnsureIndex(j => j.NextAttemptAt), () => DeliveriesQueued?.Invoke());
        AdminCredentials = Open<AdminCredentialRecord>("admin_credentials");
        RemoteKeys = Open<RemoteKeyRecord>("remote_keys");
        TrackedActors = Open<TrackedActorRecord>("aggregator_actors");
        Seeds = Open<SeedRecord>("aggregator_seeds");
        ChatonsInfosFederations = Open<SeedRecord>("aggregator_chatonsinfos");
        ChatonsInfosReads = Open<ChatonsInfosReadRecord>("aggregator_chatonsinfos_reads");
    }

    /// <summary>Raised after delivery jobs are added (inside a transaction, before it commits: readers wait on the gate).</summary>
    public event Action? DeliveriesQueued;

    /// <summary>Held by whoever reads, changes and writes back several records as one step.</summary>
    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    public StoreTable<ProfileRecord> Profiles { get; }
    public StoreTable<ServiceRecord> Services { get; }
    public StoreTable<AttestationRecord> Attestations { get; }
    public StoreTable<DocumentRecord> Documents { get; }
    public StoreTable<FollowerRecord> Followers { get; }
    public StoreTable<BlockedDomainRecord> BlockedDomains { get; }
    public StoreTable<OutboxRecord> Outbox { get; }
    public StoreTable<ProcessedActivityRecord> ProcessedActivities { get; }
    public StoreTable<RemoteActorRecord> RemoteActors { get; }
    public StoreTable<SignatureFlavourRecord> SignatureFlavours { get; }
    public StoreTable<DeliveryJob> DeliveryJobs { get; }
    public StoreTable<AdminCredentialRecord> AdminCredentials { get; }
    public StoreTable<RemoteKeyRecord> RemoteKeys { get; }

    /// <summary>The chaton actors the aggregator tracks (aggregator role).</summary>
    public StoreTable<TrackedActorRecord> TrackedActors { get; }

    /// <summary>Seeds added at run time (aggregator role).</summary>
    public StoreTable<SeedRecord> Seeds { get; }

    /// <summary>ChatonsInfos federation files added at run time as sources (aggregator role).</summary>
    public StoreTable<SeedRecord> ChatonsInfosFederations { get; }

    /// <summary>What each ChatonsInfos federation file gave at its last read: the unsigned entries, kept apart from the directory.</summary>
    public StoreTable<ChatonsInfosReadRecord> ChatonsInfosReads { get; }

    private StoreTable<TRecord> Open<TRecord>(string name, Action<ILiteCollection<TRecord>>? prepare = null, Action? inserted = null) =>
        new(_gate, () =>
        {
            var collection = _database.GetCollection<TRecord>(name);
            prepare?.Invoke(collection);
            return collection;
        }, inserted);

    /// <summary>Opens (or creates) the database file; fails with <see cref="IOException"/> when another process holds it.</summary>
    public static NodeStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var mapper = new BsonMapper();
        // Instants as Unix milliseconds: LiteDB's own DateTime mapping would come back in local time.
        mapper.RegisterType<DateTimeOffset>(
            value => new BsonValue(value.ToUnixTimeMilliseconds()),
            bson => DateTimeOffset.FromUnixTimeMilliseconds(bson.AsInt64));
        var connection = new ConnectionString { Filename = path, Connection = ConnectionType.Direct };
        try
        {
            return new NodeStore(new LiteDatabase(connection, mapper));
        }
        catch (IOException ex)
        {
            throw new IOException($"{path} is in use by another process (is the node running?): {ex.Message}", ex);
        }
    }

    public ProfileRecord? Profile => Profiles.FindById(1);

    public AttestationRecord? Attestation => Attestations.FindById(1);

    public DocumentRecord? FindDocument(string path) => Documents.FindById(path);

    /// <summary>Runs <paramref name="action"/> as one LiteDB transaction, holding the gate throughout.</summary>
    public bool InTransaction(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_gate)
        {
            _database.BeginTrans();
            try
            {
                action();
                return _database.Commit();
            }
            catch
            {
                _database.Rollback();
                throw;
            }
        }
    }

    public void Checkpoint()
    {
        lock (_gate)
        {
            _database.Checkpoint();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _database.Dispose();
        }

        WriteLock.Dispose();
    }
}
