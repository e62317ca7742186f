using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Api;
using ChatonsFed.Aggregator.Export;
using ChatonsFed.Aggregator.Search;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Trust;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Protocol.Membership;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ChatonsFed.Aggregator.Tests;

/// <summary>The membership documents in the directory file, and the admission columns, properties and filter.</summary>
public sealed class MembershipStoreTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly TestChaton _issuer = new(1);
    private readonly TestChaton _subject = new(2);

    private DirectoryStore Store => _store.Store;

    public void Dispose()
    {
        _store.Dispose();
        _issuer.Dispose();
        _subject.Dispose();
    }

    [Fact]
    public void Credentials_and_status_lists_are_kept_in_the_file_and_read_back_when_it_opens_and_a_rebuild_starts_empty()
    {
        var credential = Credential(7);
        Assert.Empty(Store.TakeCredentials([credential with { ListedByIssuer = true }], 10));
        var bits = StatusListBits.CreateEmpty();
        bits.Set(3);
        Store.TakeStatusList(List(bits, TestChaton.Start), TestChaton.Start);

        var reopened = _store.Reopen();

        var held = Assert.Single(reopened.Credentials);
        Assert.Equal(credential.Id, held.Id);
        Assert.True(held.ListedByIssuer);
        Assert.False(held.ListedBySubject);
        Assert.Equal(credential.Utf8Json.ToArray(), held.Utf8Json.ToArray());
        Assert.Equal(_subject.ActorId, held.Credential.Subject);
        var list = Assert.Single(reopened.StatusLists);
        Assert.True(list.Bits.IsSet(3));
        Assert.Equal(TestChaton.Start, list.VerifiedAt);

        reopened.BeginRebuild();
        Assert.Empty(reopened.Credentials);
        Assert.Empty(reopened.StatusLists);
        reopened.EndRebuild();
        Assert.Empty(_store.Reopen().Credentials);
    }

    [Fact]
    public void A_status_list_keeps_the_union_of_the_bits_of_every_version_taken_and_its_latest_copy()
    {
        var first = StatusListBits.CreateEmpty();
        first.Set(3);
        Store.TakeStatusList(List(first, TestChaton.Start), TestChaton.Start);
        var older = StatusListBits.CreateEmpty();
        older.Set(9);

        // An older version, replayed: its bits join, the copy held stays the later one.
        var held = Store.TakeStatusList(List(older, TestChaton.Start.AddDays(-5)), TestChaton.Start.AddHours(1));

        Assert.True(held.Bits.IsSet(3) && held.Bits.IsSet(9));
        Assert.Equal(TestChaton.Start, held.ValidFrom);
        Assert.Equal(TestChaton.Start.AddHours(1), held.VerifiedAt);
        Store.ConfirmStatusList(held.Url, TestChaton.Start.AddDays(2));
        Assert.Equal(TestChaton.Start.AddDays(2), Store.FindStatusList(held.Url)!.VerifiedAt);
    }

    [Fact]
    public void A_credential_a_collection_no_longer_lists_loses_that_mark_and_is_forgotten_when_none_lists_it()
    {
        var both = Credential(7) with { ListedByIssuer = true, ListedBySubject = true };
        var issuedOnly = Credential(8) with { ListedByIssuer = true };
        Store.TakeCredentials([both, issuedOnly], 10);

        Store.ReconcileCollection(_issuer.ActorId, issued: true, new HashSet<string>(StringComparer.Ordinal));

        var kept = Assert.Single(Store.Credentials);
        Assert.Equal(both.Id, kept.Id);
        Assert.False(kept.ListedByIssuer);
        Assert.True(kept.ListedBySubject);

        // The subject is no longer listed, nor a root: nobody reads its collection, and nothing lists the credential.
        Store.ForgetUnread(new HashSet<string>([_issuer.ActorId], StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
        Assert.Empty(Store.Credentials);
        Assert.Empty(_store.Reopen().Credentials);
    }

    [Fact]
    public void An_issuer_past_its_cap_gets_no_more_credentials_held_and_one_line_in_the_diagnostics()
    {
        var refused = Store.TakeCredentials([Credential(1), Credential(2), Credential(3), Credential(4)], maxPerIssuer: 2);

        Assert.Equal(2, Store.Credentials.Count);
        Assert.Equal(2, refused.Count);
        Assert.All(refused, r => Assert.Equal((DocumentKind.Credential, RejectionReason.TooManyCredentials), (r.Kind, r.Reason)));
        var logged = Assert.Single(Store.GetDiagnostics());
        Assert.Equal(_issuer.ActorId, logged.ActorId);
        Assert.EndsWith("(2 refused)", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_two_authentic_copies_of_one_credential_the_one_signed_later_is_kept()
    {
        var draft = Draft(5);
        var early = Held(MembershipCredentialBuilder.Signer(_issuer.Key, _issuer.Address.Ed25519KeyId, _issuer.Time).Sign(MembershipCredentialBuilder.Build(draft))) with { ListedByIssuer = true };
        _issuer.Time.Advance(TimeSpan.FromDays(1));
        var later = Held(MembershipCredentialBuilder.Signer(_issuer.Key, _issuer.Address.Ed25519KeyId, _issuer.Time).Sign(MembershipCredentialBuilder.Build(draft))) with { ListedBySubject = true };

        Store.TakeCredentials([later], 10);
        Store.TakeCredentials([early], 10);

        var kept = Assert.Single(Store.Credentials);
        Assert.Equal(later.Utf8Json.ToArray(), kept.Utf8Json.ToArray());
        Assert.True(kept.ListedByIssuer && kept.ListedBySubject);
    }

    [Fact]
    public void Every_verification_failure_is_logged_under_the_reason_of_the_same_name()
    {
        foreach (var failure in Enum.GetValues<CredentialFailure>())
        {
            Assert.Equal(failure.ToString(), MembershipCrawler.Reason(failure).ToString());
        }
    }

    [Fact]
    public void The_admission_columns_and_properties_carry_the_view_given_and_are_empty_without_one()
    {
        Store.Apply(new ChatonVerifier().Verify(_subject.FullSet()));
        var admission = new EntryAdmission("admitted", false, 3, 2, [_issuer.ActorId], null, []);
        string Csv(Func<string, EntryAdmission?>? view)
        {
            using var output = new MemoryStream();
            CsvExport.Write(output, Store.Listings, admission: view);
            return Encoding.UTF8.GetString(output.ToArray());
        }

        Assert.EndsWith(",admission_status,admission_endorsements", Csv(null).Split("\r\n")[0], StringComparison.Ordinal);
        Assert.EndsWith(",admitted,3", Csv(_ => admission).Split("\r\n")[1], StringComparison.Ordinal);
        Assert.EndsWith(",,", Csv(null).Split("\r\n")[1], StringComparison.Ordinal);
        using var geoJson = new MemoryStream();
        GeoJsonExport.Write(geoJson, Store.Listings, admission: _ => admission);
        var properties = JsonNode.Parse(geoJson.ToArray())!["features"]![0]!["properties"]!;
        Assert.Equal(("admitted", 3), (properties["admission_status"]!.GetValue<string>(), properties["admission_endorsements"]!.GetValue<int>()));
    }

    [Fact]
    public void The_admission_parameter_is_read_and_the_index_keeps_only_the_actors_given()
    {
        Store.Apply(new ChatonVerifier().Verify(_subject.FullSet()));
        Store.Apply(new ChatonVerifier().Verify(_issuer.FullSet()));

        Assert.True(SearchParameters.TryParse(Query("admission", "candidate"), out var query, out _));
        Assert.Equal(AdmissionStatus.Candidate, query.Admission);
        Assert.True(SearchParameters.TryParse(Query("admission", "any"), out query, out _));
        Assert.Null(query.Admission);
        Assert.False(SearchParameters.TryParse(Query("admission", "Admitted"), out _, out var error));
        Assert.Equal("admission 'Admitted' must be admitted, candidate, lapsed, revoked or any", error);

        var hits = Store.Search(new SearchQuery { Among = new HashSet<string>([_issuer.ActorId], StringComparer.Ordinal) });
        Assert.Equal([_issuer.ActorId], hits.Hits.Select(h => h.Chaton.ActorId));
        Assert.Equal(1, hits.Total);
    }

    private static QueryCollection Query(string name, string value) => new(new Dictionary<string, StringValues> { [name] = value });

    private HeldStatusList List(StatusListBits bits, DateTimeOffset validFrom)
    {
        var url = _issuer.Address.Root + "/membership/status";
        var signed = MembershipCredentialBuilder.Signer(_issuer.Key, _issuer.Address.Ed25519KeyId, _issuer.Time).Sign(StatusListDocument.Build(url, _issuer.ActorId, validFrom, bits));
        return new HeldStatusList(url, _issuer.ActorId, bits, Encoding.UTF8.GetBytes(signed.ToJsonString()), validFrom, validFrom);
    }

    private HeldCredential Credential(int index) =>
        Held(MembershipCredentialBuilder.Signer(_issuer.Key, _issuer.Address.Ed25519KeyId, _issuer.Time).Sign(MembershipCredentialBuilder.Build(Draft(index))));

    private CredentialDraft Draft(int index) => new(
        $"{_issuer.Address.Root}/membership/issued/{index}", _issuer.ActorId, _subject.ActorId, TestChaton.Start, TestChaton.Start.AddDays(365), "2016-v1", null,
        _subject.Address.Attestation.AbsoluteUri, "sha256-" + Convert.ToBase64String(new byte[32]), [], null, _issuer.Address.Root + "/membership/status", index);

    private static HeldCredential Held(JsonObject signed)
    {
        var bytes = Encoding.UTF8.GetBytes(signed.ToJsonString());
        var parsed = CredentialVerifier.Parse(bytes, CredentialSource.Direct);
        Assert.True(parsed.Succeeded, parsed.Detail);
        return new HeldCredential(parsed.Credential!, bytes);
    }
}
