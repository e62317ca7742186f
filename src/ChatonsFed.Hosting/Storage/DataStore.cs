using ChatonsFed.Federation.Delivery;
using LiteDB;

namespace ChatonsFed.Hosting.Storage;

/// <summary>
/// The data folder's LiteDB file (chatonsfed.db), shared by every role: the tables all roles use are here, and each
/// role opens its own with <see cref="Table{TRecord}"/>. One instance per process. Every access goes through one
/// re-entrant gate (see <see cref="StoreTable{T}"/>): LiteDB's own locking does not make concurrent reads safe. Callers that read,
/// change and write back several records as one step also hold <see cref="WriteLock"/> (never across network I/O).
/// </summary>
public sealed class DataStore : IDisposable
{
    private readonly LiteDatabase _database;
    private readonly string _path;
    private readonly Lock _gate = new();

    private DataStore(LiteDatabase database, string path)
    {
        _database = database;
        _path = path;
        ProcessedActivities = Table<ProcessedActivityRecord>("processed_activities");
        RemoteActors = Table<RemoteActorRecord>("remote_actors", c => c.EnsureIndex(a => a.LastUsed));
        SignatureFlavours = Table<SignatureFlavourRecord>("signature_flavours");
        DeliveryJobs = Table<DeliveryJob>("delivery_jobs", c => c.EnsureIndex(j => j.NextAttemptAt), () => DeliveriesQueued?.Invoke());
        AdminCredentials = Table<AdminCredentialRecord>("admin_credentials");
        RemoteKeys = Table<RemoteKeyRecord>("remote_keys", c => c.EnsureIndex(k => k.LastUsed));
    }

    /// <summary>Raised after delivery jobs are added (inside a transaction, before it commits: readers wait on the gate).</summary>
    public event Action? DeliveriesQueued;

    /// <summary>Held by whoever reads, changes and writes back several records as one step.</summary>
    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    public StoreTable<ProcessedActivityRecord> ProcessedActivities { get; }
    public StoreTable<RemoteActorRecord> RemoteActors { get; }
    public StoreTable<SignatureFlavourRecord> SignatureFlavours { get; }
    public StoreTable<DeliveryJob> DeliveryJobs { get; }
    public StoreTable<AdminCredentialRecord> AdminCredentials { get; }
    public StoreTable<RemoteKeyRecord> RemoteKeys { get; }

    /// <summary>
    /// A typed collection of the file, opened on first use under the store's gate; <paramref name="inserted"/> runs
    /// after records are added, <paramref name="changed"/> after any record is added, replaced or removed (inside a
    /// transaction: before it commits). Each role opens its own tables once, when its store is made.
    /// </summary>
    public StoreTable<TRecord> Table<TRecord>(string name, Action<ILiteCollection<TRecord>>? prepare = null, Action? inserted = null, Action? changed = null) =>
        new(_gate, () =>
        {
            var collection = _database.GetCollection<TRecord>(name);
            prepare?.Invoke(collection);
            return collection;
        }, inserted, changed);

    /// <summary>
    /// Opens the database file, which must exist and be whole (see <see cref="StoreFile"/>): a damaged one fails with
    /// <see cref="DamagedStoreException"/> and is left as it is; fails with <see cref="IOException"/> when another
    /// process holds it.
    /// </summary>
    public static DataStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (StoreFile.Problem(path) is { } problem)
        {
            throw StoreFile.Damaged(path, problem);
        }

        return OpenFile(path, check: true);
    }

    /// <summary>Creates the database file of a new data folder; refuses to replace one.</summary>
    public static DataStore Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            throw new IOException($"{path} already exists; a store is never replaced");
        }

        return OpenFile(path, check: false);
    }

    private static DataStore OpenFile(string path, bool check)
    {
        var mapper = new BsonMapper();
        // Instants as Unix milliseconds: LiteDB's own DateTime mapping would come back in local time.
        mapper.RegisterType<DateTimeOffset>(
            value => new BsonValue(value.ToUnixTimeMilliseconds()),
            bson => DateTimeOffset.FromUnixTimeMilliseconds(bson.AsInt64));
        LiteDatabase? database = null;
        try
        {
            if (check)
            {
                // Read-only first: on a damaged page LiteDB marks the file for its own rebuild, a write; the file is
                // left as it is for the operator to restore.
                using var reader = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, ReadOnly = true }, mapper);
                StoreFile.ReadEachCollection(reader);
            }

            database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }, mapper);
            return new DataStore(database, path);
        }
        catch (Exception ex) when (StoreFile.IsDamage(ex))
        {
            database?.Dispose();
            throw StoreFile.Damaged(path, $"cannot be read ({OneLine(ex.Message)})", ex);
        }
        catch (IOException ex)
        {
            database?.Dispose();
            throw new IOException($"{path} is in use by another process (is the node running?): {ex.Message}", ex);
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

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

    /// <summary>
    /// Rewrites the file without its free pages (LiteDB's rebuild), holding the gate throughout: every other access
    /// waits. LiteDB keeps the old file as a <c>-backup</c> copy beside it; that copy is removed once the rebuild has
    /// succeeded. Returns the bytes the file shrank by.
    /// </summary>
    public long Compact()
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(_path))!;
        var stem = Path.GetFileNameWithoutExtension(_path);
        lock (_gate)
        {
            var before = BackupFiles(folder, stem);
            var saved = _database.Rebuild();
            foreach (var made in BackupFiles(folder, stem).Except(before, StringComparer.Ordinal))
            {
                File.Delete(made);
            }

            return saved;
        }
    }

    private static HashSet<string> BackupFiles(string folder, string stem) =>
        [.. System.IO.Directory.EnumerateFiles(folder, stem + "-*backup*")];

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
