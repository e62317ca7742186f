using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Merging;
using ChatonsFed.Aggregator.Search;
using ChatonsFed.Aggregator.Verification;
using LiteDB;

namespace ChatonsFed.Aggregator.Storage;

/// <summary>
/// The aggregator's directory: a LiteDB file holding every listed chaton's verified documents exactly as received,
/// with the fields read from them, and the search index kept in step with every change. The store is a cache of what
/// the chatons publish: <see cref="Clear"/> it and it can be filled again from the nodes or from a bundle.
/// Every method is safe to call from several threads; changes are made one at a time.
/// </summary>
public sealed partial class DirectoryStore : IDisposable
{
    private const string ChatonsCollection = "chatons";
    private const string BlobsCollection = "blobs";
    private const string TombstonesCollection = "tombstones";
    private const string DiagnosticsCollection = "diagnostics";

    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly DirectoryStoreOptions _options;
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<ChatonVerification, PreparedWrite> _prepared = [];
    private ILiteCollection<ChatonRecord> _chatons = null!;
    private ILiteCollection<BlobRecord> _blobs = null!;
    private ILiteCollection<TombstoneRecord> _tombstones = null!;
    private DiagnosticsLog _diagnostics = null!;
    private LiteDatabase _database;
    private RebuildFile? _rebuild;
    private bool _batching;

    private DirectoryStore(string path, LiteDatabase database, TimeProvider time, DirectoryStoreOptions options)
    {
        _path = path;
        _database = database;
        _time = time;
        _options = options;
        Index = new DirectoryIndex(options.Categories, options.Criteria);
        OpenCollections();
        LoadIndex();
    }

    /// <summary>The search index over the listed chatons, rebuilt when the store opens.</summary>
    public DirectoryIndex Index { get; }

    /// <summary>The number of listed chatons.</summary>
    public int Count => Index.Count;

    /// <summary>Whether a rebuild is under way (<see cref="BeginRebuild"/> without its <see cref="EndRebuild"/> yet): the listings are then partial.</summary>
    public bool Rebuilding
    {
        get
        {
            lock (_gate)
            {
                return _rebuild is not null;
            }
        }
    }

    /// <summary>Opens (or creates) the store in the LiteDB file at <paramref name="path"/> and builds the index from it.</summary>
    /// <exception cref="IOException">Another process holds the file.</exception>
    public static DirectoryStore Open(string path, TimeProvider timeProvider, DirectoryStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var database = OpenFile(path);
        try
        {
            return new DirectoryStore(path, database, timeProvider, options ?? new DirectoryStoreOptions());
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Takes the verified documents of <paramref name="verification"/> into the directory. Each document replaces the
    /// version held unless it is older (refused as <see cref="RejectionReason.RolledBack"/>) or not newer than a recorded
    /// deletion (<see cref="RejectionReason.Deleted"/>); two copies of the same version are settled the same way
    /// whatever the order they come in. Applying the same verification twice changes nothing the second time. Every
    /// refusal, from verification or from here, goes to the diagnostics log.
    /// </summary>
    public ApplyResult Apply(ChatonVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (verification.Actor is not { } actor)
            {
                if (verification.ActorId is { } id && _chatons.FindById(id) is { } listed)
                {
                    listed.State = VerificationState.LastCheckRejected;
                    _chatons.Update(listed);
                    Index.UpdateObservation(id, ObservationOf(listed));
                }

                return Refused(verification.ActorId, verification.Rejections, now);
            }

            var actorId = actor.Id;
            var record = _chatons.FindById(actorId);
            var held = record is null ? HeldChaton.Empty(actorId) : HeldChaton.Load(record, _blobs.FindById(actorId));
            var plan = MergePolicy.Merge(held.State(DeletionsOf(verification)), verification, now);
            if (plan.Outcome == ApplyOutcome.Refused)
            {
                // The actor of a chaton not listed was refused: nothing of it can be listed.
                return Refused(actorId, plan.Refusals, now);
            }

            var validatorsChanged = false;
            foreach (var decision in plan.Decisions)
            {
                switch (decision.Action)
                {
                    case MergeAction.Take:
                        held.Put(decision.Document!, now);
                        break;
                    case MergeAction.Keep when decision.RefreshesValidators:
                        held.RefreshValidators(decision.Id, decision.Document!.Received);
                        validatorsChanged = true;
                        break;
                    case MergeAction.Delete:
                        held.Remove(decision.Id);
                        break;
                }
            }

            record ??= new ChatonRecord { Id = actorId, FirstSeen = now.UtcTicks };
            record.LastSeen = now.UtcTicks;
            record.Stale = false;
            record.State = plan.State;
            InTransaction(() =>
            {
                if (plan.ChangesDocuments)
                {
                    Write(record, held, _prepared.TryGetValue(verification, out var prepared) ? prepared : null);
                }
                else
                {
                    if (validatorsChanged)
                    {
                        record.Documents = [.. held.Ordered().Select(d => d.Meta)];
                    }

                    _chatons.Update(record);
                }

                foreach (var decision in plan.Decisions)
                {
                    if (decision.LiftsDeletion)
                    {
                        _tombstones.Delete(decision.Id);
                    }
                    else if (decision.Action == MergeAction.Delete)
                    {
                        _tombstones.Upsert(new TombstoneRecord { Id = decision.Id, ActorId = actorId, Deleted = now.UtcTicks });
                    }
                }
            });

            if (plan.ChangesDocuments)
            {
                Index.Upsert(held.ToListing(ObservationOf(record)));
            }
            else
            {
                Index.UpdateObservation(actorId, ObservationOf(record));
            }

            _diagnostics.Record(actorId, plan.Refusals, now);
            _prepared.Remove(verification);
            return new ApplyResult(actorId, plan.Outcome, plan.Refusals);
        }
    }

    /// <summary>
    /// Does ahead, on the caller's thread and without the store's lock, the part of <see cref="Apply(ChatonVerification)"/>
    /// that depends on the verified documents alone: compressing them together and writing the chaton's listing. Apply
    /// uses the result when the documents it ends up holding for the chaton are exactly these (a chaton new to the
    /// directory, or one whose every document changed), and does the work itself otherwise.
    /// </summary>
    public void Prepare(ChatonVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        if (verification.Actor is not { } actor || Index.Find(actor.Id) is not null)
        {
            // A chaton already held keeps documents of its own copy (unpacked anew by Apply), which the prepared
            // write would never match: nothing is prepared for it.
            return;
        }

        var held = HeldChaton.Empty(actor.Id);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in MergePolicy.DocumentsOf(verification))
        {
            if (!ids.Add(document.Id))
            {
                // The same id twice: Apply settles which copy is kept; nothing is prepared.
                return;
            }

            held.Put(document, default);
        }

        _prepared.AddOrUpdate(verification, PreparedWrite.Of(held));
    }

    /// <summary>
    /// Applies several verifications as <see cref="Apply(ChatonVerification)"/> does, one after the other, in one
    /// transaction: a crawl or a bundle writes many chatons at the cost of one commit.
    /// </summary>
    /// <param name="seen">Chatons that answered 304 Not Modified, marked seen in the same transaction (<see cref="MarkSeen"/>).</param>
    public IReadOnlyList<ApplyResult> ApplyAll(IReadOnlyList<ChatonVerification> verifications, IReadOnlyCollection<string>? seen = null)
    {
        ArgumentNullException.ThrowIfNull(verifications);
        lock (_gate)
        {
            _database.BeginTrans();
            _batching = true;
            try
            {
                var results = new List<ApplyResult>(verifications.Count);
                foreach (var verification in verifications)
                {
                    results.Add(Apply(verification));
                }

                foreach (var actorId in seen ?? [])
                {
                    MarkSeen(actorId);
                }

                _database.Commit();
                return results;
            }
            catch
            {
                _database.Rollback();
                throw;
            }
            finally
            {
                _batching = false;
            }
        }
    }

    /// <summary>Applies a verified <c>Delete</c>: the chaton leaves the directory, or loses one service or its attestation.</summary>
    public ApplyResult Apply(DeleteVerification deletion)
    {
        ArgumentNullException.ThrowIfNull(deletion);
        if (!deletion.IsValid)
        {
            lock (_gate)
            {
                return Refused(deletion.ActorId, [deletion.Rejection!], _time.GetUtcNow());
            }
        }

        return deletion.Kind == DocumentKind.Actor || deletion.ObjectId == deletion.ActorId
            ? Remove(deletion.ActorId!, deletion.Deleted)
            : RemoveObject(deletion.ActorId!, deletion.ObjectId!, deletion.Deleted);
    }

    /// <summary>
    /// Takes the chaton out of the directory and records its deletion, so that an older copy (from a bundle, a late
    /// delivery) does not bring it back; an actor newer than <paramref name="deleted"/> (when it rejoins) does.
    /// </summary>
    /// <param name="deleted">When it was deleted (the tombstone's time); now when not known.</param>
    public ApplyResult Remove(string actorId, DateTimeOffset? deleted = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var at = deleted ?? now;
            var record = _chatons.FindById(actorId);
            var actor = record?.Documents.FirstOrDefault(d => d.Kind == DocumentKind.Actor);
            if (actor is not null && MergePolicy.Delete(actor.ToHeld(), at).Refusal is { } refusal)
            {
                return Refused(actorId, [refusal], now);
            }

            InTransaction(() =>
            {
                Bury(actorId, actorId, at);
                if (record is not null)
                {
                    _chatons.Delete(actorId);
                    _blobs.Delete(actorId);
                    _tombstones.DeleteMany(t => t.ActorId == actorId && t.Id != actorId);
                }
            });
            Index.Remove(actorId);
            return new ApplyResult(actorId, record is null ? ApplyOutcome.NotFound : ApplyOutcome.Removed, []);
        }
    }

    /// <summary>Removes one service (or the attestation, or the services collection) of a chaton and records its deletion.</summary>
    public ApplyResult RemoveObject(string actorId, string objectId, DateTimeOffset? deleted = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        ArgumentException.ThrowIfNullOrEmpty(objectId);
        if (objectId == actorId)
        {
            return Remove(actorId, deleted);
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var at = deleted ?? now;
            var record = _chatons.FindById(actorId);
            var document = record?.Documents.FirstOrDefault(d => d.Id == objectId);
            if (document is not null && MergePolicy.Delete(document.ToHeld(), at).Refusal is { } refusal)
            {
                return Refused(actorId, [refusal], now);
            }

            var held = record is not null && document is not null ? HeldChaton.Load(record, _blobs.FindById(actorId)) : null;
            held?.Remove(objectId);
            InTransaction(() =>
            {
                Bury(objectId, actorId, at);
                if (held is not null)
                {
                    Write(record!, held);
                }
            });
            if (held is not null)
            {
                Index.Upsert(held.ToListing(ObservationOf(record!)));
            }

            return new ApplyResult(actorId, document is null ? ApplyOutcome.NotFound : ApplyOutcome.Removed, []);
        }
    }

    /// <summary>Records that the chaton answered (for instance 304 Not Modified): it is seen now and no longer stale.</summary>
    public bool MarkSeen(string actorId) => Observe(actorId, record =>
    {
        record.LastSeen = _time.GetUtcNow().UtcTicks;
        record.Stale = false;
    });

    /// <summary>
    /// How old a chaton's stored <c>LastSeen</c> may grow before a sighting writes it again. A poll in which nothing
    /// changed then writes nothing; the listing's observation (what the API and the website show) is always exact.
    /// </summary>
    public static readonly TimeSpan SeenWriteInterval = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Records that the chatons <paramref name="actorIds"/> answered without change (every document 304 Not Modified),
    /// in one transaction: a chaton's record is written only when it was stale or its stored sighting is older than
    /// <see cref="SeenWriteInterval"/>. Returns how many records were written.
    /// </summary>
    public int MarkSeenAll(IReadOnlyCollection<string> actorIds)
    {
        ArgumentNullException.ThrowIfNull(actorIds);
        lock (_gate)
        {
            var now = _time.GetUtcNow().UtcTicks;
            var written = 0;
            _database.BeginTrans();
            _batching = true;
            try
            {
                foreach (var actorId in actorIds)
                {
                    if (_chatons.FindById(actorId) is not { } record)
                    {
                        continue;
                    }

                    var write = record.Stale || now - record.LastSeen >= SeenWriteInterval.Ticks;
                    record.LastSeen = now;
                    record.Stale = false;
                    if (write)
                    {
                        _chatons.Update(record);
                        written++;
                    }

                    Index.UpdateObservation(actorId, ObservationOf(record));
                }

                _database.Commit();
                return written;
            }
            catch
            {
                _database.Rollback();
                throw;
            }
            finally
            {
                _batching = false;
            }
        }
    }

    /// <summary>Flags the chaton as stale (its node does not answer); it stays listed, and searches may leave it out.</summary>
    public bool MarkStale(string actorId) => Observe(actorId, record => record.Stale = true);

    /// <summary>Flags as stale every chaton not seen for <paramref name="notSeenFor"/>; returns how many were flagged.</summary>
    public int MarkStaleNotSeenFor(TimeSpan notSeenFor)
    {
        lock (_gate)
        {
            var cutoff = (_time.GetUtcNow() - notSeenFor).UtcTicks;
            var flagged = 0;
            foreach (var record in _chatons.Find(r => r.LastSeen < cutoff && !r.Stale).ToList())
            {
                if (Index.Find(record.Id)?.Observation.LastSeen.UtcTicks >= cutoff)
                {
                    // Seen since, by a sighting not written yet (see SeenWriteInterval).
                    continue;
                }

                record.Stale = true;
                _chatons.Update(record);
                Index.UpdateObservation(record.Id, ObservationOf(record));
                flagged++;
            }

            return flagged;
        }
    }

    public ChatonListing? Find(string actorId) => Index.Find(actorId);

    /// <summary>Every listed chaton, ordered by actor id.</summary>
    public IReadOnlyList<ChatonListing> Listings => Index.Listings;

    public SearchPage Search(SearchQuery query) => Index.Search(query);

    /// <summary>The documents held for the chaton, bytes as received; <c>null</c> when it is not listed.</summary>
    public StoredChaton? GetDocuments(string actorId)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        lock (_gate)
        {
            if (_chatons.FindById(actorId) is not { } record)
            {
                return null;
            }

            var bytes = DocumentBlob.Unpack(_blobs.FindById(actorId)?.Data ?? [], [.. record.Documents.Select(d => d.Length)]);
            var documents = record.Documents.Select((d, i) => new StoredDocument(
                d.Kind,
                d.Id,
                bytes[i],
                d.Version is { } version ? new DateTimeOffset(version, TimeSpan.Zero) : null,
                d.ETag,
                d.LastModified,
                new DateTimeOffset(d.Received, TimeSpan.Zero))).ToList();
            return new StoredChaton(
                documents.Single(d => d.Kind == DocumentKind.Actor),
                [.. documents.Where(d => d.Kind == DocumentKind.Service)],
                documents.FirstOrDefault(d => d.Kind == DocumentKind.Attestation),
                documents.FirstOrDefault(d => d.Kind == DocumentKind.ServicesCollection));
        }
    }

    /// <summary>The validators of every document held for the chaton (empty when it is not listed), for conditional polling.</summary>
    public IReadOnlyList<DocumentValidators> GetValidators(string actorId)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        lock (_gate)
        {
            return _chatons.FindById(actorId) is { } record
                ? [.. record.Documents.Select(d => new DocumentValidators(d.Kind, d.Id, d.ETag, d.LastModified))]
                : [];
        }
    }

    /// <summary>The latest refusals, newest first, of one chaton or of all.</summary>
    public IReadOnlyList<DirectoryDiagnostic> GetDiagnostics(string? actorId = null, int limit = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_gate)
        {
            return _diagnostics.Latest(actorId, limit);
        }
    }

    /// <summary>Empties the store (documents, deletions, diagnostics) and the index, and rewrites the file to its smallest size.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var name in new[] { ChatonsCollection, BlobsCollection, TombstonesCollection, DiagnosticsCollection }.Concat(MembershipCollections))
            {
                _database.DropCollection(name);
            }

            _database.Rebuild();

            OpenCollections();
            Index.Clear();
            ClearMembership();
        }
    }

    /// <summary>
    /// Empties the store and the index, as <see cref="Clear"/> does, and writes what comes next into a fresh file beside
    /// the store's, without waiting for the disk at each commit; <see cref="EndRebuild"/> makes that file durable and puts
    /// it in place of the store's in one rename. Until then the file on disk keeps the directory as it was: a rebuild
    /// cut short by a crash leaves the previous directory, never a half-written one.
    /// </summary>
    /// <exception cref="InvalidOperationException">A rebuild is already under way.</exception>
    public void BeginRebuild()
    {
        lock (_gate)
        {
            if (_rebuild is not null)
            {
                throw new InvalidOperationException("A rebuild of the directory is already under way.");
            }

            _rebuild = RebuildFile.Create(_path, _database);
            _database = _rebuild.Database;
            OpenCollections();
            Index.Clear();
            ClearMembership();
        }
    }

    /// <summary>
    /// Ends a rebuild begun with <see cref="BeginRebuild"/>: the new file is checkpointed, flushed to disk and renamed
    /// over the store's, which is then opened again. The index, built as the documents came in, is kept as it is.
    /// </summary>
    public void EndRebuild()
    {
        lock (_gate)
        {
            if (_rebuild is not { } rebuild)
            {
                return;
            }

            _rebuild = null;
            try
            {
                rebuild.ReplaceStore(_path);
                _database = OpenFile(_path);
                OpenCollections();
            }
            catch
            {
                // Back to whatever the store's file holds, the index with it.
                rebuild.Dispose();
                rebuild.Previous.Dispose();
                _database = OpenFile(_path);
                OpenCollections();
                LoadIndex();
                throw;
            }
        }
    }

    /// <summary>Writes everything to the data file (LiteDB keeps recent changes in a log file beside it until then).</summary>
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
            if (_rebuild is { } rebuild)
            {
                rebuild.Dispose();
                rebuild.Previous.Dispose();
            }
            else
            {
                _database.Dispose();
            }
        }
    }

    private static ChatonObservation ObservationOf(ChatonRecord record) => new(
        new DateTimeOffset(record.FirstSeen, TimeSpan.Zero),
        new DateTimeOffset(record.LastSeen, TimeSpan.Zero),
        record.Stale,
        record.State);

    /// <summary>The deletions recorded for the documents of <paramref name="verification"/>, by id (UTC ticks); <c>null</c> when there are none.</summary>
    private Dictionary<string, long>? DeletionsOf(ChatonVerification verification)
    {
        Dictionary<string, long>? deletions = null;
        foreach (var document in MergePolicy.DocumentsOf(verification))
        {
            if (_tombstones.FindById(document.Id) is { } tombstone)
            {
                (deletions ??= new Dictionary<string, long>(StringComparer.Ordinal))[document.Id] = tombstone.Deleted;
            }
        }

        return deletions;
    }

    private void Write(ChatonRecord record, HeldChaton held, PreparedWrite? prepared = null)
    {
        var ordered = held.Ordered();
        prepared = prepared?.Matches(ordered) == true ? prepared : PreparedWrite.Of(held);
        record.Documents = [.. ordered.Select(d => d.Meta)];
        record.Listing = prepared.Listing;
        _chatons.Upsert(record);
        var data = prepared.Blob;
        _blobs.Upsert(new BlobRecord { Id = record.Id, Data = data });
    }

    private void Bury(string id, string actorId, DateTimeOffset deleted)
    {
        var existing = _tombstones.FindById(id);
        if (existing is null || existing.Deleted < deleted.UtcTicks)
        {
            _tombstones.Upsert(new TombstoneRecord { Id = id, ActorId = actorId, Deleted = deleted.UtcTicks });
        }
    }

    private bool Observe(string actorId, Action<ChatonRecord> change)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        lock (_gate)
        {
            if (_chatons.FindById(actorId) is not { } record)
            {
                return false;
            }

            change(record);
            _chatons.Update(record);
            Index.UpdateObservation(actorId, ObservationOf(record));
            return true;
        }
    }

    private ApplyResult Refused(string? actorId, IReadOnlyList<DocumentRejection> refusals, DateTimeOffset now)
    {
        _diagnostics.Record(actorId, refusals, now);
        return new ApplyResult(actorId, ApplyOutcome.Refused, refusals);
    }

    private void InTransaction(Action action)
    {
        if (_batching)
        {
            // Inside ApplyAll: its transaction covers this change.
            action();
            return;
        }

        _database.BeginTrans();
        try
        {
            action();
            _database.Commit();
        }
        catch
        {
            _database.Rollback();
            throw;
        }
    }

    private static LiteDatabase OpenFile(string path) =>
        new(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }, new BsonMapper());

    private void LoadIndex()
    {
        Index.Load(_chatons.FindAll().Select(r => ListingJson.Deserialize(r.Listing) with { Observation = ObservationOf(r) }));
        LoadMembership();
    }

    private void OpenCollections()
    {
        _chatons = _database.GetCollection<ChatonRecord>(ChatonsCollection);
        _blobs = _database.GetCollection<BlobRecord>(BlobsCollection);
        _tombstones = _database.GetCollection<TombstoneRecord>(TombstonesCollection);
        _diagnostics = new DiagnosticsLog(_database.GetCollection<DiagnosticRecord>(DiagnosticsCollection), _options.MaxDiagnostics);
        _tombstones.EnsureIndex(t => t.ActorId);
        OpenMembershipCollections();
    }
}
