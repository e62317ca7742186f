using ChatonsFed.Federation.Delivery;
using LiteDB;

namespace ChatonsFed.Server.Storage;

/// <summary>
/// The node's single LiteDB file. One instance per process; LiteDB serialises access internally, and
/// callers that read-modify-write hold <see cref="WriteLock"/> (never across network I/O).
/// </summary>
public sealed class NodeStore : IDisposable
{
    private readonly LiteDatabase _database;

    private NodeStore(LiteDatabase database)
    {
        _database = database;
        Profiles = database.GetCollection<ProfileRecord>("profile");
        Services = database.GetCollection<ServiceRecord>("services");
        Attestations = database.GetCollection<AttestationRecord>("attestation");
        Documents = database.GetCollection<DocumentRecord>("documents");
        Followers = database.GetCollection<FollowerRecord>("followers");
        BlockedDomains = database.GetCollection<BlockedDomainRecord>("blocked_domains");
        Outbox = database.GetCollection<OutboxRecord>("outbox");
        ProcessedActivities = database.GetCollection<ProcessedActivityRecord>("processed_activities");
        RemoteActors = database.GetCollection<RemoteActorRecord>("remote_actors");
        SignatureFlavours = database.GetCollection<SignatureFlavourRecord>("signature_flavours");
        DeliveryJobs = database.GetCollection<DeliveryJob>("delivery_jobs");
        AdminCredentials = database.GetCollection<AdminCredentialRecord>("admin_credentials");
        Outbox.EnsureIndex(o => o.ActivityId, unique: true);
        DeliveryJobs.EnsureIndex(j => j.NextAttemptAt);
        RemoteKeys = database.GetCollection<RemoteKeyRecord>("remote_keys");
        TrackedActors = database.GetCollection<TrackedActorRecord>("aggregator_actors");
        Seeds = database.GetCollection<SeedRecord>("aggregator_seeds");
    }

    /// <summary>Held by whoever reads, changes and writes back several records as one step.</summary>
    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    public ILiteCollection<ProfileRecord> Profiles { get; }
    public ILiteCollection<ServiceRecord> Services { get; }
    public ILiteCollection<AttestationRecord> Attestations { get; }
    public ILiteCollection<DocumentRecord> Documents { get; }
    public ILiteCollection<FollowerRecord> Followers { get; }
    public ILiteCollection<BlockedDomainRecord> BlockedDomains { get; }
    public ILiteCollection<OutboxRecord> Outbox { get; }
    public ILiteCollection<ProcessedActivityRecord> ProcessedActivities { get; }
    public ILiteCollection<RemoteActorRecord> RemoteActors { get; }
    public ILiteCollection<SignatureFlavourRecord> SignatureFlavours { get; }
    public ILiteCollection<DeliveryJob> DeliveryJobs { get; }
    public ILiteCollection<AdminCredentialRecord> AdminCredentials { get; }
    public ILiteCollection<RemoteKeyRecord> RemoteKeys { get; }

    /// <summary>The chaton actors the aggregator tracks (aggregator role).</summary>
    public ILiteCollection<TrackedActorRecord> TrackedActors { get; }

    /// <summary>Seeds added at run time (aggregator role).</summary>
    public ILiteCollection<SeedRecord> Seeds { get; }

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

    public bool InTransaction(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
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

    public void Checkpoint() => _database.Checkpoint();

    public void Dispose()
    {
        _database.Dispose();
        WriteLock.Dispose();
    }
}
