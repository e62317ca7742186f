using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Tracking;
using ChatonsFed.Aggregator.Verification;

namespace ChatonsFed.Aggregator.Tests;

/// <summary>The tracking cap: what is kept whatever happens, and what junk goes first.</summary>
public sealed class TrackingCapTests : IDisposable
{
    private static readonly DateTimeOffset Start = TestChaton.Start;

    private readonly TestStore _store = new();
    private readonly TestChaton _chaton = new(1);

    public void Dispose()
    {
        _store.Dispose();
        _chaton.Dispose();
    }

    [Fact]
    public void Past_the_cap_junk_goes_first_never_answered_then_longest_silent_and_seeds_and_listed_chatons_stay()
    {
        // A chaton held in the directory, whose record says it is not listed (refused at its last check, say): kept.
        Assert.True(_store.Store.Apply(new ChatonVerifier().Verify(_chaton.FullSet())).Outcome == ApplyOutcome.Added);
        TrackedActorRecord[] records =
        [
            Record("https://seed.example/actor", TrackedSource.Seed, listed: false, answered: null, firstSeen: Start),
            Record("https://listed.example/actor", TrackedSource.Discovered, listed: true, answered: Start, firstSeen: Start),
            Record(_chaton.ActorId, TrackedSource.Discovered, listed: false, answered: null, firstSeen: Start),
            Record("https://refused.example/actor", TrackedSource.Discovered, listed: false, answered: Start.AddHours(2), firstSeen: Start),
            Record("https://silent.example/actor", TrackedSource.Bundle, listed: false, answered: Start.AddHours(1), firstSeen: Start),
            Record("https://new-junk.example/actor", TrackedSource.Discovered, listed: false, answered: null, firstSeen: Start.AddHours(3)),
            Record("https://old-junk.example/actor", TrackedSource.Discovered, listed: false, answered: null, firstSeen: Start.AddHours(1)),
        ];

        Assert.Equal([true, true, true, false, false, false, false], records.Select(r => TrackingCap.IsKept(r, _store.Store)));
        Assert.Equal(7, TrackingCap.Room(10, records, _store.Store));
        Assert.Equal(0, TrackingCap.Room(2, records, _store.Store));
        Assert.Empty(TrackingCap.Evictable(7, records, _store.Store));
        Assert.Equal(["https://old-junk.example/actor", "https://new-junk.example/actor", "https://silent.example/actor"], TrackingCap.Evictable(4, records, _store.Store).Select(r => r.Id));
        // Below what is kept, only junk goes: the cap cannot crowd out seeds and listed chatons.
        Assert.Equal(4, TrackingCap.Evictable(1, records, _store.Store).Count);
    }

    private static TrackedActorRecord Record(string id, TrackedSource source, bool listed, DateTimeOffset? answered, DateTimeOffset firstSeen) => new()
    {
        Id = id,
        Source = source,
        Listed = listed,
        LastAnswer = answered,
        FirstSeen = firstSeen,
        FailingSince = answered is null ? firstSeen : null,
    };
}
