using System.Text;
using System.Text.Json;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Tracking;
using ChatonsFed.Aggregator.Trust;
using ChatonsFed.Directory.Node;
using ChatonsFed.Federation.Delivery;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Protocol.Membership;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Aggregator.News;

/// <summary>
/// The directory's news: after each crawl, poll, follow, bootstrap or inbox change, the directory as it is now is
/// compared with what was announced (<see cref="AggregatorTables.Announced"/>, in chatonsfed.db), and each difference
/// becomes an event (a chaton listed, a service added or removed, an admission gained or lost, a chaton gone). A chaton's
/// events become one note, posted by the aggregator's actor: kept in the outbox and the Atom feed, and queued for its
/// followers and the chaton named. A round with more than <see cref="AggregatorNotesOptions.DigestAbove"/> events, or the
/// first round of an aggregator that never announced anything, is one digest note instead. A chaton named by a note
/// less than an hour ago is left for a later round: its events are folded into the next note about it.
/// </summary>
public sealed partial class DirectoryNews
{
    /// <summary>How many notes are kept; older ones leave the outbox and the feed.</summary>
    public const int NotesKept = 1000;

    /// <summary>The shortest time between two notes about one chaton.</summary>
    public static readonly TimeSpan NoteInterval = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly AggregatorTables _tables;
    private readonly DirectoryStore _store;
    private readonly AdmissionBook _admission;
    private readonly NoteWriter _writer;
    private readonly AggregatorUrls _urls;
    private readonly AggregatorOptions _options;
    private readonly ServiceCategoryCatalog _categories;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public DirectoryNews(AggregatorTables tables, DirectoryStore store, AdmissionBook admission, NoteWriter writer, AggregatorUrls urls, AggregatorOptions options,
        ServiceCategoryCatalog categories, TimeProvider time, ILogger<DirectoryNews> logger)
    {
        ArgumentNullException.ThrowIfNull(urls);
        ArgumentNullException.ThrowIfNull(options);
        _tables = tables;
        _store = store;
        _admission = admission;
        _writer = writer;
        _urls = urls;
        _options = options;
        _categories = categories;
        _time = time;
        _logger = logger;
        Enabled = options.Notes.IsEnabled(urls.BaseUrl);
    }

    /// <summary>Whether notes are posted (<c>Notes:Enabled</c>, else whether the public URL is on a public host).</summary>
    public bool Enabled { get; }

    /// <summary>
    /// Compares the directory with what was announced and posts the notes of the differences. <paramref name="only"/>
    /// limits the comparison to those chatons (null: every chaton); <paramref name="departed"/> are chatons whose actor was
    /// deleted or that the freshness rules removed: only those are announced as gone. Does nothing while a rebuild is
    /// under way (its end announces) or when notes are off. Returns the notes posted.
    /// </summary>
    public IReadOnlyList<NoteRecord> Announce(IReadOnlyCollection<string>? only = null, IReadOnlyCollection<string>? departed = null)
    {
        if (!Enabled)
        {
            return [];
        }

        lock (_gate)
        {
            if (_store.Rebuilding)
            {
                return [];
            }

            return AnnounceLocked(only, departed ?? []);
        }
    }

    private List<NoteRecord> AnnounceLocked(IReadOnlyCollection<string>? only, IReadOnlyCollection<string> departed)
    {
        var now = _time.GetUtcNow();
        var first = _tables.Announced.Count() == 0;
        var memory = (only is null ? _tables.Announced.FindAll() : [.. only.Concat(departed).Distinct(StringComparer.Ordinal).Select(id => _tables.Announced.FindById(id)).OfType<AnnouncedChatonRecord>()])
            .ToDictionary(r => r.Id, StringComparer.Ordinal);
        IReadOnlyList<ChatonListing> listings = only is null ? _store.Listings : [.. only.Distinct(StringComparer.Ordinal).Select(_store.Find).OfType<ChatonListing>()];
        var admission = _admission.Enabled ? _admission.Current : null;
        var listed = listings.Select(l => l.ActorId).ToHashSet(StringComparer.Ordinal);

        var saves = new List<AnnouncedChatonRecord>();
        var rounds = new List<(ChatonNews News, AnnouncedChatonRecord Next, AnnouncedChatonRecord? Before)>();
        foreach (var listing in listings)
        {
            memory.TryGetValue(listing.ActorId, out var before);
            var (news, next) = Compare(listing, before, admission);
            if (news is not null)
            {
                rounds.Add((news, next, before));
            }
            else if (before is null || Changed(before, next))
            {
                saves.Add(next);
            }
        }

        foreach (var id in departed.Distinct(StringComparer.Ordinal))
        {
            if (memory.TryGetValue(id, out var before) && before.Listed && !listed.Contains(id))
            {
                before.Departed = true;
                var gone = new ChatonNews(id, before.Name, before.Handle, before.Place, [new NewsEvent(NewsKind.Gone)], []);
                rounds.Add((gone, Forgotten(before), before));
            }
        }

        // Departures recorded before and not yet announced (the chaton was named by a note less than an hour before), and,
        // when every chaton is compared, chatons absent whose actor has answered 404/410 for RemoveAfter or is no longer
        // tracked (a rebuild does not fill in a chaton gone, so the freshness rules never remove it).
        foreach (var before in memory.Values.Where(m => m.Listed && !listed.Contains(m.Id) && !departed.Contains(m.Id) && (m.Departed || (only is null && GoneForGood(m.Id, now)))))
        {
            before.Departed = true;
            rounds.Add((new ChatonNews(before.Id, before.Name, before.Handle, before.Place, [new NewsEvent(NewsKind.Gone)], []), Forgotten(before), before));
        }

        var ready = new List<(ChatonNews News, AnnouncedChatonRecord Next)>();
        foreach (var (news, next, before) in rounds)
        {
            if (before?.LastNote is { } last && now - last < NoteInterval)
            {
                // Folded into the next note about it: what was announced stays as it was, so the next round finds the same difference.
                if (before.Departed)
                {
                    saves.Add(before);
                }

                var kinds = string.Join(", ", news.Events.Select(e => e.Kind));
                LogDeferred(_logger, news.ActorId, kinds, last + NoteInterval);
                continue;
            }

            ready.Add((news, next));
        }

        var events = ready.Sum(r => r.News.Events.Count);
        var digest = events > _options.Notes.DigestAbove || (first && events > 1);
        var notes = new List<NoteRecord>();
        var jobs = new List<DeliveryJob>();
        var followers = ready.Count > 0 ? Recipients() : [];
        if (digest)
        {
            notes.Add(_writer.Digest([.. ready.Select(r => r.News)], now, Token()));
            saves.AddRange(ready.Select(r => r.Next));
        }
        else
        {
            foreach (var (news, next) in ready)
            {
                next.LastNote = now;
                saves.Add(next);
                notes.Add(_writer.About(news, now, Token()));
            }
        }

        foreach (var note in notes)
        {
            var recipients = note.ActorId is { } about && ready.First(r => r.News.ActorId == about).News.Events.All(e => e.Kind != NewsKind.Gone) && ChatonInbox(about) is { } inbox
                ? [.. followers, inbox]
                : followers;
            jobs.AddRange(DeliveryQueue.CreateJobs(_urls.NoteActivity(note.Id), Encoding.UTF8.GetBytes(note.CreateJson), _urls.RsaKeyId, recipients, now));
        }

        _tables.Store.InTransaction(() =>
        {
            foreach (var record in saves)
            {
                _tables.Announced.Upsert(record);
            }

            var sequence = LastSequence();
            foreach (var note in notes)
            {
                note.Sequence = ++sequence;
                _tables.Notes.Insert(note);
            }

            if (jobs.Count > 0)
            {
                _tables.Store.DeliveryJobs.InsertBulk(jobs);
            }

            Prune();
        });

        foreach (var note in notes)
        {
            var activity = _urls.NoteActivity(note.Id);
            var deliveries = jobs.Count(j => j.ActivityId == activity);
            LogPosted(_logger, note.ActorId is null ? "digest" : "note", note.TitleEn, deliveries, note.Id);
        }

        return notes;
    }

    /// <summary>The notes posted, newest first: <paramref name="skip"/> of them left out, at most <paramref name="take"/>.</summary>
    public IReadOnlyList<NoteRecord> Notes(int skip, int take) =>
        _tables.Notes.Query(q => q.OrderByDescending(n => n.Sequence).Skip(skip).Limit(take).ToList());

    /// <summary>How many notes are kept.</summary>
    public int NoteCount => _tables.Notes.Count();

    public NoteRecord? Note(string token) => _tables.Notes.FindById(token);

    private (ChatonNews? News, AnnouncedChatonRecord Next) Compare(ChatonListing listing, AnnouncedChatonRecord? before, AdmissionSnapshot? admission)
    {
        var status = admission?.For(listing.ActorId)?.Status;
        var next = new AnnouncedChatonRecord
        {
            Id = listing.ActorId,
            Name = listing.Name,
            Handle = listing.PreferredUsername,
            Place = listing.Location?.Name,
            Listed = true,
            Services = [.. listing.Services.Select(s => new AnnouncedService { Id = s.Id, Category = s.Category })],
            Admission = admission is null ? before?.Admission : status,
            LastNote = before?.LastNote,
        };
        var events = new List<NewsEvent>();
        if (before is not { Listed: true })
        {
            events.Add(new NewsEvent(NewsKind.Listed));
        }
        else
        {
            var held = before.Services.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            var now = listing.Services.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            events.AddRange(listing.Services.Where(s => !held.Contains(s.Id)).Select(s => new NewsEvent(NewsKind.ServiceAdded, s.Category ?? ServiceCategoryCatalog.OtherId)));
            events.AddRange(before.Services.Where(s => !now.Contains(s.Id)).Select(s => new NewsEvent(NewsKind.ServiceRemoved, s.Category ?? ServiceCategoryCatalog.OtherId)));
            if (admission is not null && before.Admission is { } was && status != was)
            {
                var admitted = TrustComputation.WireNames.Of(AdmissionStatus.Admitted);
                if (status == admitted)
                {
                    events.Add(new NewsEvent(NewsKind.Admitted));
                }
                else if (was == admitted)
                {
                    events.Add(new NewsEvent(NewsKind.NoLongerAdmitted));
                }
            }
        }

        if (events.Count == 0)
        {
            return (null, next);
        }

        var categories = listing.Services.Select(s => s.Category ?? ServiceCategoryCatalog.OtherId).Distinct(StringComparer.Ordinal)
            .OrderBy(c => CatalogueRank(c)).ThenBy(c => c, StringComparer.Ordinal).ToList();
        return (new ChatonNews(listing.ActorId, listing.Name, listing.PreferredUsername, listing.Location?.Name, events, categories), next);
    }

    private int CatalogueRank(string category)
    {
        for (var i = 0; i < _categories.Categories.Count; i++)
        {
            if (_categories.Categories[i].Id == category)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    /// <summary>Whether a chaton not listed is gone for good: its actor answered 404/410 for <c>RemoveAfter</c>, or it is no longer tracked.</summary>
    private bool GoneForGood(string actorId, DateTimeOffset now) =>
        _tables.TrackedActors.FindById(actorId) is not { } tracked || (tracked.GoneSince is { } since && now - since >= _options.RemoveAfter);

    private static bool Changed(AnnouncedChatonRecord before, AnnouncedChatonRecord next) =>
        before.Name != next.Name || before.Handle != next.Handle || before.Place != next.Place || before.Admission != next.Admission || before.Departed
        || !before.Services.Select(s => (s.Id, s.Category)).SequenceEqual(next.Services.Select(s => (s.Id, s.Category)));

    /// <summary>What is remembered of a chaton once its departure is announced: its name, and that it is not listed.</summary>
    private static AnnouncedChatonRecord Forgotten(AnnouncedChatonRecord before) => new()
    {
        Id = before.Id,
        Name = before.Name,
        Handle = before.Handle,
        Place = before.Place,
        Listed = false,
        LastNote = before.LastNote,
    };

    /// <summary>The followers' inboxes, a shared inbox where a follower gives one.</summary>
    private List<DeliveryRecipient> Recipients() =>
        [.. _tables.Followers.FindAll()
            .Select(f => Uri.TryCreate(f.Inbox, UriKind.Absolute, out var inbox)
                ? new DeliveryRecipient(inbox, Uri.TryCreate(f.SharedInbox, UriKind.Absolute, out var shared) ? shared : null)
                : null)
            .OfType<DeliveryRecipient>()];

    /// <summary>The inbox of the chaton a note mentions (its shared inbox when it gives one), read from its actor as held.</summary>
    private DeliveryRecipient? ChatonInbox(string actorId)
    {
        if (_store.GetDocuments(actorId)?.Actor.Utf8Json is not { } json)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("inbox", out var inbox) || inbox.ValueKind != JsonValueKind.String
                || !Uri.TryCreate(inbox.GetString(), UriKind.Absolute, out var inboxUrl))
            {
                return null;
            }

            Uri? shared = null;
            if (root.TryGetProperty("endpoints", out var endpoints) && endpoints.ValueKind == JsonValueKind.Object
                && endpoints.TryGetProperty("sharedInbox", out var sharedInbox) && sharedInbox.ValueKind == JsonValueKind.String)
            {
                Uri.TryCreate(sharedInbox.GetString(), UriKind.Absolute, out shared);
            }

            return new DeliveryRecipient(inboxUrl, shared);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private long LastSequence() =>
        _tables.Notes.Query(q => q.OrderByDescending(n => n.Sequence).Select(n => n.Sequence).Limit(1).ToList()) is [var last] ? last : 0;

    /// <summary>Keeps the last <see cref="NotesKept"/> notes.</summary>
    private void Prune()
    {
        var surplus = _tables.Notes.Count() - NotesKept;
        if (surplus <= 0)
        {
            return;
        }

        foreach (var id in _tables.Notes.Query(q => q.OrderBy(n => n.Sequence).Select(n => n.Id).Limit(surplus).ToList()))
        {
            _tables.Notes.Delete(id);
        }
    }

    private static string Token() => Guid.NewGuid().ToString("N");

    // Event ids 405x: the aggregator's notes.
    [LoggerMessage(EventId = 4050, EventName = "NotePosted", Level = LogLevel.Information, Message = "Posted a {Kind}: {Title} (queued for {Deliveries} inboxes): {Token}")]
    private static partial void LogPosted(ILogger logger, string kind, string title, int deliveries, string token);

    [LoggerMessage(EventId = 4051, EventName = "NoteDeferred", Level = LogLevel.Information,
        Message = "News of {Actor} ({Events}) waits: a note named it less than an hour ago; folded into the next note about it, from {NotBefore}")]
    private static partial void LogDeferred(ILogger logger, string actor, string events, DateTimeOffset notBefore);
}
