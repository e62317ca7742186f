using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Search;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Directory.Node;

namespace ChatonsFed.Aggregator.Tests;

public sealed class StoreTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly TestChaton _chaton = new(1);
    private readonly ChatonVerifier _verifier = new();

    private DirectoryStore Store => _store.Store;

    public void Dispose()
    {
        _store.Dispose();
        _chaton.Dispose();
    }

    [Fact]
    public void A_verified_chaton_is_listed_with_its_documents_verbatim_and_applying_it_again_changes_nothing()
    {
        var set = _chaton.FullSet();

        var first = Store.Apply(_verifier.Verify(set));
        var again = Store.Apply(_verifier.Verify(set));

        Assert.Equal(ApplyOutcome.Added, first.Outcome);
        Assert.Equal(ApplyOutcome.Unchanged, again.Outcome);
        var listing = Store.Find(_chaton.ActorId)!;
        Assert.Equal("Chaton 1", listing.Name);
        Assert.Equal("Hébergeur associatif numéro 1.", listing.Summary);
        Assert.Equal("ASSOCIATION", listing.StructureType);
        Assert.Equal(new PlaceListing("Valence", 44.9334, 4.8924), listing.Location);
        Assert.Equal(["collaborative-writing", "email"], listing.Services.Select(s => s.Category).Order());
        Assert.True(listing.DeclaresAllRequiredCriteria(CharterCriteriaCatalog.LoadDefault()));
        Assert.Equal(VerificationState.Verified, listing.Observation.State);

        var stored = Store.GetDocuments(_chaton.ActorId)!;
        Assert.Equal(set.Actor.Utf8Json.ToArray(), stored.Actor.Utf8Json.ToArray());
        Assert.Equal(set.Attestation!.Utf8Json.ToArray(), stored.Attestation!.Utf8Json.ToArray());
        Assert.Equal(set.Services.Select(s => s.Utf8Json.ToArray()).OrderBy(b => b.Length), stored.Services.Select(s => s.Utf8Json.ToArray()).OrderBy(b => b.Length));
        Assert.True(_verifier.Verify(stored.ToDocumentSet()).Rejections.Count == 0);
    }

    [Fact]
    public void The_index_is_rebuilt_from_the_file_when_the_store_opens_again()
    {
        Store.Apply(_verifier.Verify(_chaton.FullSet()));
        Store.MarkStale(_chaton.ActorId);

        var reopened = _store.Reopen();

        Assert.Equal(1, reopened.Count);
        var hit = Assert.Single(reopened.Search(new SearchQuery { Text = "ecriture" }).Hits);
        Assert.Equal(_chaton.ActorId, hit.Chaton.ActorId);
        Assert.True(hit.Chaton.Observation.Stale);
        Assert.NotNull(reopened.GetDocuments(_chaton.ActorId));
    }

    [Fact]
    public void An_older_service_is_refused_as_rolled_back_and_reported()
    {
        var older = _chaton.FullSet();
        _chaton.Services[0] = _chaton.Services[0] with { Capacity = Capacity.Full, Updated = TestChaton.Day(2025, 8, 1) };
        Store.Apply(_verifier.Verify(_chaton.FullSet()));

        var result = Store.Apply(_verifier.Verify(older));

        var refusal = Assert.Single(result.Refusals);
        Assert.Equal((RejectionReason.RolledBack, _chaton.ServiceId("pad")), (refusal.Reason, refusal.DocumentId));
        Assert.Contains("2025-02-01T00:00:00Z", refusal.Message, StringComparison.Ordinal);
        Assert.Equal("full", Store.Find(_chaton.ActorId)!.Services.Single(s => s.Id == _chaton.ServiceId("pad")).Capacity);
        Assert.Equal(VerificationState.PartlyRejected, Store.Find(_chaton.ActorId)!.Observation.State);
        var logged = Store.GetDiagnostics(_chaton.ActorId)[0];
        Assert.Equal((RejectionReason.RolledBack, DocumentKind.Service), (logged.Reason, logged.Kind));
    }

    [Fact]
    public void An_older_actor_is_refused_and_the_newer_profile_stays()
    {
        var older = _chaton.Actor();
        _chaton.Profile = _chaton.Profile with { Name = "Chaton renommé", Updated = TestChaton.Day(2025, 6, 1) };
        Store.Apply(_verifier.Verify(_chaton.FullSet()));

        var result = Store.Apply(_verifier.Verify(new ChatonDocumentSet(older)));

        Assert.Equal(ApplyOutcome.Unchanged, result.Outcome);
        Assert.Equal(RejectionReason.RolledBack, Assert.Single(result.Refusals).Reason);
        Assert.Equal("Chaton renommé", Store.Find(_chaton.ActorId)!.Name);
    }

    [Fact]
    public void Two_signatures_of_the_same_version_settle_on_the_later_whatever_the_order()
    {
        var early = _chaton.FullSet();
        _chaton.Time.Advance(TimeSpan.FromDays(1));
        var late = _chaton.FullSet();

        using var other = new TestStore();
        Store.Apply(_verifier.Verify(early));
        Store.Apply(_verifier.Verify(late));
        other.Store.Apply(_verifier.Verify(late));
        var kept = other.Store.Apply(_verifier.Verify(early));

        // The services collection has no updated: its proof's creation is its version, so the earlier copy is older.
        Assert.Equal(ApplyOutcome.Unchanged, kept.Outcome);
        Assert.Equal((DocumentKind.ServicesCollection, RejectionReason.RolledBack), (Assert.Single(kept.Refusals).Kind, kept.Refusals[0].Reason));
        Assert.Equal(late.Actor.Utf8Json.ToArray(), Store.GetDocuments(_chaton.ActorId)!.Actor.Utf8Json.ToArray());
        Assert.Equal(late.Actor.Utf8Json.ToArray(), other.Store.GetDocuments(_chaton.ActorId)!.Actor.Utf8Json.ToArray());
    }

    [Fact]
    public void A_service_no_longer_listed_is_removed_and_an_old_copy_does_not_bring_it_back()
    {
        var withMail = _chaton.FullSet();
        Store.Apply(_verifier.Verify(withMail));
        _chaton.Services.RemoveAll(s => s.Slug == "mail");

        var result = Store.Apply(_verifier.Verify(_chaton.FullSet()));
        Assert.Equal(ApplyOutcome.Updated, result.Outcome);
        Assert.Equal([_chaton.ServiceId("pad")], Store.Find(_chaton.ActorId)!.Services.Select(s => s.Id));

        var replay = Store.Apply(_verifier.Verify(withMail with { ListedServiceIds = null }));
        Assert.Contains(replay.Refusals, r => r.Reason == RejectionReason.Deleted && r.DocumentId == _chaton.ServiceId("mail"));
        Assert.Single(Store.Find(_chaton.ActorId)!.Services);
    }

    [Fact]
    public void A_listed_service_that_could_not_be_fetched_keeps_its_version()
    {
        Store.Apply(_verifier.Verify(_chaton.FullSet()));

        var partial = _chaton.FullSet() with { Services = [_chaton.ServiceDocument("pad")] };
        Assert.Equal(ApplyOutcome.Unchanged, Store.Apply(_verifier.Verify(partial)).Outcome);
        Assert.Equal(2, Store.Find(_chaton.ActorId)!.Services.Count);
    }

    [Fact]
    public void A_delete_removes_the_service_until_a_newer_one_comes()
    {
        Store.Apply(_verifier.Verify(_chaton.FullSet()));
        _chaton.Time.Advance(TimeSpan.FromDays(1));
        var delete = _verifier.VerifyDelete(TestChaton.Received(_chaton.Node.SignDeleteService("pad").Json), _chaton.Actor());

        Assert.Equal(ApplyOutcome.Removed, Store.Apply(delete).Outcome);
        Assert.Equal(ApplyOutcome.NotFound, Store.Apply(delete).Outcome);
        Assert.DoesNotContain(Store.Find(_chaton.ActorId)!.Services, s => s.Id == _chaton.ServiceId("pad"));
        Assert.Empty(Store.Search(new SearchQuery { Text = "ecriture" }).Hits);

        var replay = Store.Apply(_verifier.Verify(new ChatonDocumentSet(_chaton.Actor()) { Services = [_chaton.ServiceDocument("pad")] }));
        Assert.Equal(RejectionReason.Deleted, Assert.Single(replay.Refusals).Reason);

        _chaton.Services[0] = _chaton.Services[0] with { Updated = TestChaton.Start.AddDays(2) };
        var recreated = Store.Apply(_verifier.Verify(new ChatonDocumentSet(_chaton.Actor()) { Services = [_chaton.ServiceDocument("pad")] }));
        Assert.Equal(ApplyOutcome.Updated, recreated.Outcome);
        Assert.Single(Store.Search(new SearchQuery { Text = "ecriture" }).Hits);
    }

    [Fact]
    public void A_delete_older_than_the_service_held_is_refused()
    {
        Store.Apply(_verifier.Verify(_chaton.FullSet()));

        var result = Store.RemoveObject(_chaton.ActorId, _chaton.ServiceId("pad"), TestChaton.Day(2025, 1, 1));

        Assert.Equal(ApplyOutcome.Refused, result.Outcome);
        Assert.Equal(RejectionReason.RolledBack, Assert.Single(result.Refusals).Reason);
        Assert.Equal(2, Store.Find(_chaton.ActorId)!.Services.Count);
    }

    [Fact]
    public void A_chaton_that_leaves_is_removed_and_a_bundle_copy_does_not_list_it_again()
    {
        var set = _chaton.FullSet();
        Store.Apply(_verifier.Verify(set));
        _chaton.Time.Advance(TimeSpan.FromDays(1));
        var leave = _verifier.VerifyDelete(TestChaton.Received(_chaton.Node.SignDeleteActor().Json), Store.GetDocuments(_chaton.ActorId)!.Actor.ToReceived());

        Assert.Equal(ApplyOutcome.Removed, Store.Apply(leave).Outcome);
        Assert.Null(Store.Find(_chaton.ActorId));
        Assert.Null(Store.GetDocuments(_chaton.ActorId));

        var replay = Store.Apply(_verifier.Verify(set with { ListedServiceIds = null }));
        Assert.Equal(ApplyOutcome.Refused, replay.Outcome);
        Assert.Equal(RejectionReason.Deleted, replay.Refusals[0].Reason);
        Assert.Equal(0, Store.Count);

        _chaton.Profile = _chaton.Profile with { Updated = TestChaton.Start.AddDays(3) };
        Assert.Equal(ApplyOutcome.Added, Store.Apply(_verifier.Verify(_chaton.FullSet())).Outcome);
    }

    [Fact]
    public void A_chaton_that_left_is_refused_when_its_old_actor_comes_alone()
    {
        var actor = _chaton.Actor();
        Store.Apply(_verifier.Verify(_chaton.FullSet()));
        Store.Remove(_chaton.ActorId, TestChaton.Start.AddDays(1));

        var replay = Store.Apply(_verifier.Verify(new ChatonDocumentSet(actor)));

        Assert.Equal(ApplyOutcome.Refused, replay.Outcome);
        Assert.Equal(RejectionReason.Deleted, Assert.Single(replay.Refusals).Reason);
        Assert.Equal(0, Store.Count);
        Assert.Null(Store.GetDocuments(_chaton.ActorId));
    }

    [Fact]
    public void A_refused_actor_is_reported_and_the_listing_verified_before_stays()
    {
        Store.Apply(_verifier.Verify(_chaton.FullSet()));
        var unsigned = _chaton.ActorJson();
        unsigned.Remove("proof");

        var result = Store.Apply(_verifier.Verify(new ChatonDocumentSet(TestChaton.Received(unsigned))));

        Assert.Equal(ApplyOutcome.Refused, result.Outcome);
        Assert.Equal(VerificationState.LastCheckRejected, Store.Find(_chaton.ActorId)!.Observation.State);
        var diagnostic = Assert.Single(Store.GetDiagnostics());
        Assert.Equal((RejectionReason.MissingProof, DocumentKind.Actor, _chaton.ActorId), (diagnostic.Reason, diagnostic.Kind, diagnostic.ActorId));
    }

    [Fact]
    public void Validators_are_kept_for_conditional_polling_and_refreshed()
    {
        var set = _chaton.FullSet() with { Actor = _chaton.Actor() with { ETag = "\"a1\"", LastModified = "Mon, 01 Sep 2025 08:30:00 GMT" } };
        Store.Apply(_verifier.Verify(set));
        Assert.Contains(new DocumentValidators(DocumentKind.Actor, _chaton.ActorId, "\"a1\"", "Mon, 01 Sep 2025 08:30:00 GMT"), Store.GetValidators(_chaton.ActorId));

        var refreshed = set with { Actor = set.Actor with { ETag = "\"a2\"" } };
        Assert.Equal(ApplyOutcome.Unchanged, Store.Apply(_verifier.Verify(refreshed)).Outcome);
        Assert.Equal("\"a2\"", _store.Reopen().GetValidators(_chaton.ActorId).Single(v => v.Kind == DocumentKind.Actor).ETag);
    }

    [Fact]
    public void Seen_and_stale_are_local_observations()
    {
        Store.Apply(_verifier.Verify(_chaton.FullSet()));
        _store.Time.Advance(TimeSpan.FromDays(3));
        using var recent = new TestChaton(2);
        Store.Apply(_verifier.Verify(recent.FullSet()));

        Assert.Equal(1, Store.MarkStaleNotSeenFor(TimeSpan.FromDays(2)));
        Assert.True(Store.Find(_chaton.ActorId)!.Observation.Stale);
        Assert.Single(Store.Search(new SearchQuery { IncludeStale = false }).Hits);

        Assert.True(Store.MarkSeen(_chaton.ActorId));
        var observation = Store.Find(_chaton.ActorId)!.Observation;
        Assert.False(observation.Stale);
        Assert.Equal((TestChaton.Start, TestChaton.Start.AddDays(3)), (observation.FirstSeen, observation.LastSeen));
        Assert.False(Store.MarkSeen("https://unknown.example/actor"));
    }

    [Fact]
    public void Sightings_of_unchanged_chatons_are_written_only_when_they_change_something_lasting()
    {
        Store.Apply(_verifier.Verify(_chaton.FullSet()));
        using var stale = new TestChaton(2);
        Store.Apply(_verifier.Verify(stale.FullSet()));
        Store.MarkStale(stale.ActorId);
        _store.Time.Advance(TimeSpan.FromMinutes(5));

        // Seen 5 minutes after its last write: shown as seen now, not written; the stale one is written.
        Assert.Equal(1, Store.MarkSeenAll([_chaton.ActorId, stale.ActorId, "https://unknown.example/actor"]));
        Assert.Equal(TestChaton.Start.AddMinutes(5), Store.Find(_chaton.ActorId)!.Observation.LastSeen);
        Assert.False(Store.Find(stale.ActorId)!.Observation.Stale);
        var reopened = _store.Reopen();
        Assert.Equal(TestChaton.Start, reopened.Find(_chaton.ActorId)!.Observation.LastSeen);
        Assert.Equal(TestChaton.Start.AddMinutes(5), reopened.Find(stale.ActorId)!.Observation.LastSeen);
        Assert.False(reopened.Find(stale.ActorId)!.Observation.Stale);

        // Once the stored sighting is older than the interval, the next one is written.
        _store.Time.Advance(DirectoryStore.SeenWriteInterval);
        Assert.Equal(2, reopened.MarkSeenAll([_chaton.ActorId, stale.ActorId]));
    }

    [Fact]
    public void A_sighting_not_written_yet_still_keeps_the_chaton_from_going_stale()
    {
        Store.Apply(_verifier.Verify(_chaton.FullSet()));
        _store.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, Store.MarkSeenAll([_chaton.ActorId]));
        _store.Time.Advance(TimeSpan.FromHours(5) + TimeSpan.FromMinutes(55));

        // 6 h 5 min since the stored sighting, 5 h 55 min since the last one: not stale.
        Assert.Equal(0, Store.MarkStaleNotSeenFor(TimeSpan.FromHours(6)));
        Assert.False(Store.Find(_chaton.ActorId)!.Observation.Stale);

        // Without a sighting since: stale.
        _store.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, Store.MarkStaleNotSeenFor(TimeSpan.FromHours(6)));
    }

    [Fact]
    public void The_diagnostics_log_is_bounded()
    {
        using var small = new TestStore(new DirectoryStoreOptions { MaxDiagnostics = 5 });
        var unsigned = _chaton.ActorJson();
        unsigned.Remove("proof");
        for (var i = 0; i < 12; i++)
        {
            small.Store.Apply(_verifier.Verify(new ChatonDocumentSet(TestChaton.Received(unsigned))));
        }

        var kept = small.Store.GetDiagnostics(limit: 100);
        Assert.Equal(5, kept.Count);
        Assert.Equal(12, kept[0].Sequence);
    }

    [Fact]
    public void Clear_empties_the_store_and_the_index()
    {
        Store.Apply(_verifier.Verify(_chaton.FullSet()));
        Store.Remove("https://gone.example/actor");

        Store.Clear();

        Assert.Equal(0, Store.Count);
        Assert.Empty(Store.Search(new SearchQuery()).Hits);
        Assert.Empty(Store.GetDiagnostics());
        Assert.Equal(0, _store.Reopen().Count);
        Assert.Equal(ApplyOutcome.Added, _store.Store.Apply(_verifier.Verify(_chaton.FullSet())).Outcome);
    }

    [Fact]
    public void A_rebuild_replaces_the_directory_in_a_fresh_file_that_survives_a_restart()
    {
        using var other = new TestChaton(2);
        Store.Apply(_verifier.Verify(_chaton.FullSet()));
        Store.Remove("https://gone.example/actor");

        Store.BeginRebuild();
        Assert.Equal(0, Store.Count);
        var verification = _verifier.Verify(other.FullSet());
        Store.Prepare(verification);
        var added = Store.ApplyAll([verification]);
        Store.EndRebuild();

        Assert.Equal(ApplyOutcome.Added, added[0].Outcome);
        var reopened = _store.Reopen();
        Assert.Equal(1, reopened.Count);
        Assert.Null(reopened.Find(_chaton.ActorId));
        Assert.Empty(reopened.GetDiagnostics());
        var held = reopened.GetDocuments(other.ActorId)!;
        Assert.Equal(other.FullSet().Actor.Utf8Json.ToArray(), held.Actor.Utf8Json.ToArray());
        Assert.Equal(ApplyOutcome.Unchanged, reopened.Apply(_verifier.Verify(other.FullSet())).Outcome);
        Assert.DoesNotContain(System.IO.Directory.GetFiles(Path.GetDirectoryName(_store.Path)!), f => f.Contains("rebuild", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rebuild_cut_short_by_a_crash_leaves_the_previous_directory()
    {
        using var other = new TestChaton(2);
        Store.Apply(_verifier.Verify(_chaton.FullSet()));

        Store.BeginRebuild();
        Store.Apply(_verifier.Verify(other.FullSet()));
        var reopened = _store.Reopen();

        Assert.Equal(1, reopened.Count);
        Assert.NotNull(reopened.Find(_chaton.ActorId));
        Assert.Null(reopened.Find(other.ActorId));
        reopened.BeginRebuild();
        reopened.Apply(_verifier.Verify(other.FullSet()));
        reopened.EndRebuild();
        Assert.Equal([other.ActorId], _store.Reopen().Listings.Select(l => l.ActorId));
    }
}
