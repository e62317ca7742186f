using ChatonsFed.Aggregator.News;
using ChatonsFed.Hosting.Storage;

namespace ChatonsFed.Aggregator.Tracking;

/// <summary>
/// The aggregator's tables in the data folder's LiteDB file, under the collection names they always had: what it
/// tracks and where it reads from. They live there, not in directory.db, because they must survive a rebuild.
/// </summary>
public sealed class AggregatorTables
{
    public AggregatorTables(DataStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        TrackedActors = store.Table<TrackedActorRecord>("aggregator_actors");
        Seeds = store.Table<SeedRecord>("aggregator_seeds");
        ChatonsInfosFederations = store.Table<SeedRecord>("aggregator_chatonsinfos");
        ChatonsInfosReads = store.Table<ChatonsInfosReadRecord>("aggregator_chatonsinfos_reads");
        Announced = store.Table<AnnouncedChatonRecord>("aggregator_announced");
        Notes = store.Table<NoteRecord>("aggregator_notes", c => c.EnsureIndex(n => n.Sequence));
        Followers = store.Table<AggregatorFollowerRecord>("aggregator_followers");
    }

    /// <summary>The file itself and the tables every role uses (the delivery queue of the aggregator's Follows).</summary>
    public DataStore Store { get; }

    /// <summary>The chaton actors the aggregator tracks.</summary>
    public StoreTable<TrackedActorRecord> TrackedActors { get; }

    /// <summary>Seeds added at run time.</summary>
    public StoreTable<SeedRecord> Seeds { get; }

    /// <summary>ChatonsInfos federation files added at run time as sources.</summary>
    public StoreTable<SeedRecord> ChatonsInfosFederations { get; }

    /// <summary>What each ChatonsInfos federation file gave at its last read: the unsigned entries, kept apart from the directory.</summary>
    public StoreTable<ChatonsInfosReadRecord> ChatonsInfosReads { get; }

    /// <summary>What was announced of each chaton, the memory the notes are worked out against.</summary>
    public StoreTable<AnnouncedChatonRecord> Announced { get; }

    /// <summary>The notes posted, the last <see cref="News.DirectoryNews.NotesKept"/> of them.</summary>
    public StoreTable<NoteRecord> Notes { get; }

    /// <summary>The actors that follow the aggregator.</summary>
    public StoreTable<AggregatorFollowerRecord> Followers { get; }
}
