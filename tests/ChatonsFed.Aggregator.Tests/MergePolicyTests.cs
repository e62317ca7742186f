using System.Text;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Merging;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Protocol.Json;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Aggregator.Tests;

/// <summary>The merge policy on its own: held documents and fetched copies built as values, no store and no signatures.</summary>
public sealed class MergePolicyTests
{
    private const string ActorId = "https://chaton.example/actor";
    private const int SameDay = int.MinValue;
    private static readonly DateTimeOffset Now = TestChaton.Start;

    public static TheoryData<int?, int?, string?, int?, int?, string, string> OneDocument => new()
    {
        // held version, proof, name; fetched version, proof, name; decision
        { null, null, null, 5, 5, "a", "Take NotHeld" },
        { 5, 5, "a", 6, 6, "b", "Take Newer" },
        { null, 5, "a", 6, 6, "b", "Take Newer" },
        { 6, 6, "b", 5, 5, "a", "Refuse Older" },
        { 6, 6, "b", null, 7, "a", "Refuse Older" },
        { 5, 5, "a", 5, 5, "a", "Keep SameCopy" },
        { null, null, "a", null, null, "a", "Keep SameCopy" },
        { 5, 5, "a", 5, 6, "b", "Take LaterProof" },
        { 5, null, "a", 5, 6, "b", "Take LaterProof" },
        { 5, 6, "a", 5, 5, "b", "Keep EarlierProof" },
        { 5, 5, "a", 5, 5, "b", "Take GreaterCanonicalForm" },
        { 5, 5, "b", 5, 5, "a", "Keep CanonicalFormNotGreater" },
    };

    [Theory]
    [MemberData(nameof(OneDocument))]
    public void One_document_against_the_version_held(int? heldDay, int? heldProofDay, string? heldName, int? fetchedDay, int? fetchedProofDay, string fetchedName, string expected)
    {
        var service = ServiceId("pad");
        var held = heldName is null ? [] : new[] { HeldDocument.Of(Document(DocumentKind.Service, service, heldDay, heldProofDay, heldName)) };
        var fetched = Document(DocumentKind.Service, service, fetchedDay, fetchedProofDay, fetchedName);

        var decision = DecisionOn(service, Merge(State(held), Copy(fetched)));

        Assert.Equal(expected, $"{decision.Action} {decision.Reason}");
        Assert.Same(fetched, decision.Document);
        Assert.Equal(decision.Action == MergeAction.Refuse ? RejectionReason.RolledBack : null, decision.Refusal?.Reason);
    }

    [Fact]
    public void A_copy_of_the_same_version_and_content_laid_out_otherwise_is_not_taken()
    {
        var service = ServiceId("pad");
        var held = State(HeldDocument.Of(Document(DocumentKind.Service, service, 5)));

        var decision = DecisionOn(service, Merge(held, Copy(Document(DocumentKind.Service, service, 5, spaced: true))));

        Assert.Equal((MergeAction.Keep, MergeReason.CanonicalFormNotGreater), (decision.Action, decision.Reason));
    }

    [Fact]
    public void An_older_copy_is_reported_with_both_versions()
    {
        var held = State(HeldDocument.Of(Document(DocumentKind.Service, ServiceId("pad"), 6)));

        var refusal = DecisionOn(ServiceId("pad"), Merge(held, Copy(Document(DocumentKind.Service, ServiceId("pad"), 5)))).Refusal!;

        Assert.Equal((DocumentKind.Service, ServiceId("pad"), RejectionReason.RolledBack), (refusal.Kind, refusal.DocumentId, refusal.Reason));
        Assert.Equal("this copy is of 2025-09-06T08:30:00Z, older than the version held (2025-09-07T08:30:00Z)", refusal.Message);
    }

    [Fact]
    public void Two_copies_of_a_document_settle_on_the_same_one_whatever_the_order()
    {
        int?[] days = [null, 5, 6];
        string[] names = ["a", "b"];
        bool[] layouts = [false, true];
        var copies = (from day in days from proof in days from name in names from spaced in layouts select Document(DocumentKind.Service, ServiceId("pad"), day, proof, name, spaced)).ToList();

        foreach (var first in copies)
        {
            foreach (var second in copies)
            {
                var one = Settled(first, second);
                var other = Settled(second, first);
                Assert.True(
                    JsonCanonicalizer.Canonicalize(one.Span).AsSpan().SequenceEqual(JsonCanonicalizer.Canonicalize(other.Span)),
                    $"{Encoding.UTF8.GetString(first.Received.Utf8Json.Span)} then {Encoding.UTF8.GetString(second.Received.Utf8Json.Span)} keeps {Encoding.UTF8.GetString(one.Span)}, the other order {Encoding.UTF8.GetString(other.Span)}");
            }
        }
    }

    [Fact]
    public void The_same_copy_twice_changes_nothing_the_second_time()
    {
        var copy = FullCopy(version: 5);

        var first = Merge(HeldState.Empty, copy);
        var again = Merge(HeldAfter(copy), copy);

        Assert.Equal(ApplyOutcome.Added, first.Outcome);
        Assert.All(first.Decisions, d => Assert.Equal((MergeAction.Take, MergeReason.NotHeld), (d.Action, d.Reason)));
        Assert.Equal(ApplyOutcome.Unchanged, again.Outcome);
        Assert.False(again.ChangesDocuments);
        Assert.Equal(5, again.Decisions.Count);
        Assert.All(again.Decisions, d => Assert.Equal((MergeAction.Keep, MergeReason.SameCopy, false), (d.Action, d.Reason, d.RefreshesValidators)));
        Assert.Empty(again.Refusals);
        Assert.Equal(VerificationState.Verified, again.State);
    }

    public static TheoryData<int?, string, bool> AfterADeletion => new()
    {
        // the copy's version against a deletion on day 10: decision, and whether the deletion is lifted
        { 9, "Refuse NotNewerThanDeletion", false },
        { 10, "Refuse NotNewerThanDeletion", false },
        { null, "Refuse NotNewerThanDeletion", false },
        { 11, "Take NotHeld", true },
    };

    [Theory]
    [MemberData(nameof(AfterADeletion))]
    public void A_deletion_wins_over_copies_not_newer_than_it(int? day, string expected, bool lifted)
    {
        var held = new HeldState([HeldDocument.Of(Document(DocumentKind.Actor, ActorId, 1))], Deleted(ServiceId("pad"), 10));

        var decision = DecisionOn(ServiceId("pad"), Merge(held, Copy(Document(DocumentKind.Service, ServiceId("pad"), day))));

        Assert.Equal((expected, lifted), ($"{decision.Action} {decision.Reason}", decision.LiftsDeletion));
        Assert.Equal(decision.Action == MergeAction.Refuse ? RejectionReason.Deleted : null, decision.Refusal?.Reason);
    }

    [Fact]
    public void A_copy_newer_than_the_deletion_lifts_it_even_when_it_is_not_taken()
    {
        var service = ServiceId("pad");
        var held = new HeldState([HeldDocument.Of(Document(DocumentKind.Actor, ActorId, 1)), HeldDocument.Of(Document(DocumentKind.Service, service, 20))], Deleted(service, 10));

        var decision = DecisionOn(service, Merge(held, Copy(Document(DocumentKind.Service, service, 15))));

        Assert.Equal((MergeAction.Refuse, MergeReason.Older, true), (decision.Action, decision.Reason, decision.LiftsDeletion));
    }

    [Fact]
    public void A_deleted_chaton_is_refused_when_its_actor_is_not_newer_than_the_deletion()
    {
        var rejection = new DocumentRejection(DocumentKind.Attestation, "https://chaton.example/charter", RejectionReason.InvalidProof, "the signature does not match");
        var copy = FullCopy(version: 5, rejections: [rejection]);

        var plan = Merge(new HeldState([], Deleted(ActorId, 5)), copy);

        Assert.Equal(ApplyOutcome.Refused, plan.Outcome);
        var decision = Assert.Single(plan.Decisions);
        Assert.Equal((MergeAction.Refuse, MergeReason.NotNewerThanDeletion, DocumentKind.Actor), (decision.Action, decision.Reason, decision.Kind));
        Assert.Equal([RejectionReason.InvalidProof, RejectionReason.Deleted], plan.Refusals.Select(r => r.Reason));
        Assert.Equal("deleted at 2025-09-06T08:30:00Z; this copy is of 2025-09-06T08:30:00Z", plan.Refusals[1].Message);

        var rejoined = Merge(new HeldState([], Deleted(ActorId, 5)), FullCopy(version: 6));
        Assert.Equal(ApplyOutcome.Added, rejoined.Outcome);
        Assert.True(rejoined.Decisions[0].LiftsDeletion);
    }

    [Fact]
    public void An_older_actor_of_a_listed_chaton_is_refused_alone()
    {
        var plan = Merge(HeldAfter(FullCopy(version: 6)), FullCopy(version: 5));

        Assert.Equal(ApplyOutcome.Unchanged, plan.Outcome);
        Assert.Equal(5, plan.Refusals.Count);
        Assert.All(plan.Refusals, r => Assert.Equal(RejectionReason.RolledBack, r.Reason));
        Assert.Equal(VerificationState.PartlyRejected, plan.State);
    }

    [Fact]
    public void Services_are_decided_one_by_one()
    {
        var held = HeldAfter(Copy(
            Document(DocumentKind.Actor, ActorId, 5),
            [Document(DocumentKind.Service, ServiceId("pad"), 5), Document(DocumentKind.Service, ServiceId("mail"), 6), Document(DocumentKind.Service, ServiceId("wiki"), 5), Document(DocumentKind.Service, ServiceId("old"), 5)]));
        var wikiRefused = new DocumentRejection(DocumentKind.Service, ServiceId("wiki"), RejectionReason.InvalidProof, "the signature does not match");
        var copy = Copy(
            Document(DocumentKind.Actor, ActorId, 5),
            [Document(DocumentKind.Service, ServiceId("pad"), 7), Document(DocumentKind.Service, ServiceId("mail"), 5), Document(DocumentKind.Service, ServiceId("new"), 5)],
            listed: [ServiceId("pad"), ServiceId("mail"), ServiceId("wiki")],
            rejections: [wikiRefused]);

        var plan = Merge(held, copy);

        Assert.Equal(
            [
                (ActorId, MergeAction.Keep, MergeReason.SameCopy),
                (ServiceId("pad"), MergeAction.Take, MergeReason.Newer),
                (ServiceId("mail"), MergeAction.Refuse, MergeReason.Older),
                (ServiceId("new"), MergeAction.Take, MergeReason.NotHeld),
                (ServiceId("old"), MergeAction.Delete, MergeReason.NoLongerListed),
            ],
            plan.Decisions.Select(d => (d.Id, d.Action, d.Reason)));
        Assert.Equal(ApplyOutcome.Updated, plan.Outcome);
        Assert.Equal([(ServiceId("wiki"), RejectionReason.InvalidProof), (ServiceId("mail"), RejectionReason.RolledBack)], plan.Refusals.Select(r => (r.DocumentId, r.Reason)));
        Assert.Equal(VerificationState.PartlyRejected, plan.State);
    }

    [Fact]
    public void Without_the_list_of_services_nothing_is_deleted()
    {
        var held = HeldAfter(Copy(Document(DocumentKind.Actor, ActorId, 5), [Document(DocumentKind.Service, ServiceId("pad"), 5), Document(DocumentKind.Service, ServiceId("mail"), 5)]));

        var plan = Merge(held, Copy(Document(DocumentKind.Actor, ActorId, 5), [Document(DocumentKind.Service, ServiceId("pad"), 5)]));
        var unlisted = Merge(held, Copy(Document(DocumentKind.Actor, ActorId, 5), [Document(DocumentKind.Service, ServiceId("pad"), 5)], listed: []));

        Assert.Equal(ApplyOutcome.Unchanged, plan.Outcome);
        Assert.DoesNotContain(plan.Decisions, d => d.Action == MergeAction.Delete);
        Assert.Equal(ApplyOutcome.Updated, unlisted.Outcome);
        Assert.Equal((ServiceId("mail"), MergeAction.Delete), (unlisted.Decisions[^1].Id, unlisted.Decisions[^1].Action));
        Assert.Equal(3, unlisted.Decisions.Count);
    }

    [Theory]
    [InlineData("\"a1\"", null, "\"a2\"", null, true)]
    [InlineData("\"a1\"", null, "\"a1\"", null, false)]
    [InlineData("\"a1\"", null, null, null, false)]
    [InlineData(null, null, null, "Mon, 01 Sep 2025 08:30:00 GMT", true)]
    public void A_kept_document_takes_the_validators_of_the_response_that_carried_it(string? heldETag, string? heldLastModified, string? etag, string? lastModified, bool refreshed)
    {
        var held = HeldDocument.Of(Document(DocumentKind.Actor, ActorId, 5)) with { ETag = heldETag, LastModified = heldLastModified };
        var fetched = Document(DocumentKind.Actor, ActorId, 5, etag: etag, lastModified: lastModified);

        var plan = Merge(State(held), Copy(fetched));

        Assert.Equal((MergeAction.Keep, refreshed), (plan.Decisions[0].Action, plan.Decisions[0].RefreshesValidators));
        Assert.Equal(ApplyOutcome.Unchanged, plan.Outcome);
    }

    [Fact]
    public void A_document_of_an_id_already_taken_from_the_same_copy_is_weighed_against_it()
    {
        var shared = ServiceId("pad");
        var copy = Copy(Document(DocumentKind.Actor, ActorId, 5), [Document(DocumentKind.Service, shared, 6)], attestation: Document(DocumentKind.Attestation, shared, 5));

        var plan = Merge(HeldState.Empty, copy);

        Assert.Equal((MergeAction.Refuse, MergeReason.Older), (plan.Decisions[2].Action, plan.Decisions[2].Reason));
    }

    public static TheoryData<DocumentKind, int?, string, string?> Deletions => new()
    {
        // the held document's kind and version against a Delete of day 10
        { DocumentKind.Service, 9, "Delete DeletedByOwner", null },
        { DocumentKind.Service, 10, "Delete DeletedByOwner", null },
        { DocumentKind.Service, null, "Delete DeletedByOwner", null },
        { DocumentKind.Service, 11, "Refuse HeldNewerThanDeletion", "the deletion of 2025-09-11T08:30:00Z is older than the version held (2025-09-12T08:30:00Z)" },
        { DocumentKind.Actor, 11, "Refuse HeldNewerThanDeletion", "the deletion of 2025-09-11T08:30:00Z is older than the actor held (2025-09-12T08:30:00Z)" },
    };

    [Theory]
    [MemberData(nameof(Deletions))]
    public void A_verified_delete_takes_out_what_is_not_newer_than_it(DocumentKind kind, int? day, string expected, string? message)
    {
        var id = kind == DocumentKind.Actor ? ActorId : ServiceId("pad");
        var held = new HeldDocument(kind, id, Day(day)?.UtcTicks, null, default, null, null);

        var decision = MergePolicy.Delete(held, Day(10)!.Value);

        Assert.Equal((expected, id, kind), ($"{decision.Action} {decision.Reason}", decision.Id, decision.Kind));
        Assert.Equal(message, decision.Refusal?.Message);
        Assert.Equal(message is null ? null : RejectionReason.RolledBack, decision.Refusal?.Reason);
    }

    [Fact]
    public void A_copy_whose_actor_did_not_verify_cannot_be_merged()
    {
        var refused = new ChatonVerification(ActorId, null, [], null, null, null, []);

        Assert.Throws<ArgumentException>(() => MergePolicy.Merge(HeldState.Empty, refused, Now));
    }

    private static MergePlan Merge(HeldState held, ChatonVerification copy) => MergePolicy.Merge(held, copy, Now);

    private static MergeDecision DecisionOn(string id, MergePlan plan) => plan.Decisions.Single(d => d.Id == id);

    /// <summary>The bytes held once <paramref name="second"/> meets <paramref name="first"/> held.</summary>
    private static ReadOnlyMemory<byte> Settled(VerifiedDocument first, VerifiedDocument second) =>
        DecisionOn(second.Id, Merge(State(HeldDocument.Of(first)), Copy(second))).Action == MergeAction.Take ? second.Received.Utf8Json : first.Received.Utf8Json;

    /// <summary>What the directory holds: <paramref name="documents"/>, beside the actor of day 1 when they have no actor.</summary>
    private static HeldState State(params HeldDocument[] documents) => documents.Any(d => d.Kind == DocumentKind.Actor)
        ? new(documents)
        : new([HeldDocument.Of(Document(DocumentKind.Actor, ActorId, 1)), .. documents]);

    /// <summary>What the directory holds once <paramref name="copy"/> is taken whole.</summary>
    private static HeldState HeldAfter(ChatonVerification copy) => new([.. MergePolicy.DocumentsOf(copy).Select(HeldDocument.Of)]);

    private static Dictionary<string, long> Deleted(string id, int day) => new(StringComparer.Ordinal) { [id] = Day(day)!.Value.UtcTicks };

    private static ChatonVerification FullCopy(int version, IReadOnlyList<DocumentRejection>? rejections = null) => Copy(
        Document(DocumentKind.Actor, ActorId, version),
        [Document(DocumentKind.Service, ServiceId("pad"), version), Document(DocumentKind.Service, ServiceId("mail"), version)],
        Document(DocumentKind.Attestation, "https://chaton.example/charter", version),
        Document(DocumentKind.ServicesCollection, "https://chaton.example/services", version),
        [ServiceId("pad"), ServiceId("mail")],
        rejections);

    /// <summary>A copy of one document: the actor alone, or a service beside the actor held (a copy always carries its actor).</summary>
    private static ChatonVerification Copy(VerifiedDocument document) => document.Kind == DocumentKind.Actor
        ? Copy(document, [])
        : Copy(Document(DocumentKind.Actor, ActorId, 1), [document]);

    private static ChatonVerification Copy(
        VerifiedDocument actor,
        IReadOnlyList<VerifiedDocument> services,
        VerifiedDocument? attestation = null,
        VerifiedDocument? collection = null,
        IReadOnlyCollection<string>? listed = null,
        IReadOnlyList<DocumentRejection>? rejections = null) =>
        new(actor.Id, actor, services, attestation, collection, listed, rejections ?? []);

    /// <summary>
    /// A verified document of <paramref name="day"/> (days after <see cref="TestChaton.Start"/>; no version when
    /// <c>null</c>), whose proof was created on <paramref name="proofDay"/> and whose bytes carry <paramref name="name"/>,
    /// with a space after each comma when <paramref name="spaced"/>.
    /// </summary>
    private static VerifiedDocument Document(DocumentKind kind, string id, int? day, int? proofDay = SameDay, string name = "a", bool spaced = false, string? etag = null, string? lastModified = null)
    {
        var version = Day(day);
        var proofCreated = proofDay == SameDay ? version : Day(proofDay);
        var json = $$$"""{"id":"{{{id}}}","name":"{{{name}}}","updated":"{{{version:O}}}","proof":{"created":"{{{proofCreated:O}}}"}}""";
        if (spaced)
        {
            json = json.Replace(",", ", ", StringComparison.Ordinal);
        }

        JsonLdNode parsed = kind switch
        {
            DocumentKind.Actor => new Organization(),
            DocumentKind.Service => new HostedService(),
            DocumentKind.Attestation => new CharterAttestation(),
            _ => new OrderedCollection(),
        };
        return new VerifiedDocument(kind, id, new ReceivedDocument(Encoding.UTF8.GetBytes(json)) { ETag = etag, LastModified = lastModified }, parsed, version, proofCreated);
    }

    private static DateTimeOffset? Day(int? day) => day is { } d ? Now.AddDays(d) : null;

    private static string ServiceId(string slug) => $"https://chaton.example/services/{slug}";
}
