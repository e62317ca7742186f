using System.IO.Compression;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Membership;

namespace ChatonsFed.Protocol.Tests.Membership;

/// <summary>The status list of the vectors, the bitstring rules and each step of a list's verification.</summary>
public sealed class StatusListTests : IDisposable
{
    private readonly MembershipIssuer _issuer = new();

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public void The_vector_list_is_accepted_with_its_bits()
    {
        var vector = MembershipVectors.StatusList;

        var verdict = StatusListDocument.Verify(MembershipVectors.StatusListBytes, MembershipVectors.StatusListUrl,
            MembershipVectors.ChatonA, MembershipVectors.Actor(MembershipVectors.ChatonA), MembershipVectors.Now);

        Assert.Equal(vector["expected"]!["verdict"]!.GetValue<string>() == "accepted", verdict.Accepted);
        Assert.Null(verdict.Failure);
        Assert.Equal(new DateTimeOffset(2026, 5, 20, 8, 0, 0, TimeSpan.Zero), verdict.ValidFrom);
        var bits = verdict.Bits!;
        Assert.Equal(vector["bitstring_bits"]!.GetValue<int>(), bits.Length);
        foreach (var index in vector["set_indexes"]!.AsArray())
        {
            Assert.True(bits.IsSet(index!.GetValue<int>()));
        }

        foreach (var index in vector["unset_examples"]!.AsArray())
        {
            Assert.False(bits.IsSet(index!.GetValue<int>()));
        }

        Assert.Equal(vector["set_indexes"]!.AsArray().Count, bits.CountSet());
    }

    [Fact]
    public void The_vector_bit_is_the_left_most_first_bit_of_its_byte()
    {
        var encoded = MembershipVectors.StatusList["document"]!["credentialSubject"]!["encodedList"]!.GetValue<string>();
        Assert.True(StatusListBits.TryDecode(encoded, out var bits, out var error), error);

        var bytes = bits.ToArray();
        Assert.Equal(93811 / 8, Array.FindIndex(bytes, b => b != 0));
        Assert.Equal(0x80 >> (93811 % 8), bytes[93811 / 8]);
    }

    [Fact]
    public void Index_i_is_bit_0x80_shifted_by_i_mod_8_of_byte_i_div_8()
    {
        var bits = StatusListBits.CreateEmpty(64);
        bits.Set(0);
        bits.Set(7);
        bits.Set(9);
        bits.Set(63);

        Assert.Equal([0x81, 0x40, 0, 0, 0, 0, 0, 0x01], bits.ToArray());
        Assert.Equal(4, bits.CountSet());
        Assert.True(bits.IsSet(9));
        Assert.False(bits.IsSet(8));
        Assert.True(bits.Contains(63));
        Assert.False(bits.Contains(64));
        Assert.False(bits.Contains(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => bits.IsSet(64));
        Assert.Throws<ArgumentOutOfRangeException>(() => bits.Set(-1));
    }

    [Fact]
    public void Encoding_round_trips_and_is_u_base64url_without_padding_of_gzip()
    {
        var bits = StatusListBits.CreateEmpty();
        bits.Set(40213);
        bits.Set(131071);

        var encoded = bits.Encode();

        Assert.StartsWith("u", encoded, StringComparison.Ordinal);
        Assert.DoesNotContain('=', encoded);
        Assert.DoesNotContain('+', encoded);
        Assert.DoesNotContain('/', encoded);
        var gzip = Convert.FromBase64String(ToBase64(encoded[1..]));
        Assert.Equal([0x1f, 0x8b], gzip[..2]);
        Assert.True(StatusListBits.TryDecode(encoded, out var decoded, out var error), error);
        Assert.Equal(bits.ToArray(), decoded.ToArray());
    }

    [Fact]
    public void Union_keeps_the_bits_of_both_and_the_longer_length()
    {
        var a = StatusListBits.CreateEmpty(16);
        a.Set(1);
        var b = StatusListBits.CreateEmpty(32);
        b.Set(2);
        b.Set(30);

        var union = a.Union(b);

        Assert.Equal(32, union.Length);
        Assert.True(union.IsSet(1) && union.IsSet(2) && union.IsSet(30));
        Assert.Equal(3, union.CountSet());
        Assert.Equal(1, a.CountSet());
        Assert.Equal(2, b.CountSet());
        Assert.Equal(union.ToArray(), b.Union(a).ToArray());
    }

    [Fact]
    public void Storage_form_is_a_copy_both_ways()
    {
        var bits = StatusListBits.CreateEmpty();
        bits.Set(5);
        var stored = bits.ToArray();
        stored[0] = 0xff;

        var restored = StatusListBits.FromArray(stored);
        stored[1] = 0xff;

        Assert.Equal(1, bits.CountSet());
        Assert.Equal(8, restored.CountSet());
        Assert.Throws<ArgumentException>(() => StatusListBits.FromArray([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => StatusListBits.CreateEmpty(12));
        Assert.Throws<ArgumentOutOfRangeException>(() => StatusListBits.CreateEmpty(0));
    }

    [Theory]
    [InlineData("", "prefix")]
    [InlineData("zH4sI", "prefix")]
    [InlineData("uH4sI=", "alphabet")]
    [InlineData("uH4s+I", "alphabet")]
    [InlineData("uH4s I", "alphabet")]
    [InlineData("uAAAAAAAA", "GZIP")]
    [InlineData("uA", "base64url")]
    public void A_bad_encodedList_is_refused(string encoded, string reason)
    {
        Assert.False(StatusListBits.TryDecode(encoded, out var bits, out var error));
        Assert.Null(bits);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StatusListBits.MinBytes - 1, false)]
    [InlineData(StatusListBits.MinBytes, true)]
    [InlineData(StatusListBits.MaxBytes, true)]
    [InlineData(StatusListBits.MaxBytes + 1, false)]
    public void A_bitstring_of_16_KiB_to_2_MiB_is_accepted(int bytes, bool accepted)
    {
        var encoded = "u" + Base64Url(Gzip(new byte[bytes]));

        Assert.Equal(accepted, StatusListBits.TryDecode(encoded, out var bits, out _));
        Assert.Equal(accepted ? bytes * 8 : 0, bits?.Length ?? 0);
    }

    [Fact]
    public void A_gzip_bomb_is_refused_without_inflating_it()
    {
        // 64 MiB of zeros compress to about 64 KiB; the reader stops at 2 MiB + 1 byte.
        var bomb = Gzip(new byte[64 * 1024 * 1024]);
        Assert.True(bomb.Length < 100 * 1024);

        Assert.False(StatusListBits.TryDecode("u" + Base64Url(bomb), out _, out var error));
        Assert.Contains("inflates past", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gzip_bomb_inside_a_signed_list_is_Malformed()
    {
        var document = Signed(d => d["credentialSubject"]!["encodedList"] = "u" + Base64Url(Gzip(new byte[16 * 1024 * 1024])));

        var verdict = Verify(document);

        Assert.Equal(CredentialFailure.Malformed, verdict.Failure);
        Assert.Null(verdict.Bits);
    }

    [Fact]
    public void A_built_and_signed_list_is_accepted()
    {
        _issuer.Bits.Set(12);
        var verdict = StatusListDocument.Verify(_issuer.StatusList(), _issuer.StatusListUrl, _issuer.ActorId, _issuer.Actor(), MembershipIssuer.Now);

        Assert.True(verdict.Accepted, verdict.Detail);
        Assert.True(verdict.Bits!.IsSet(12));
        Assert.Equal(1, verdict.Bits.CountSet());
    }

    [Fact]
    public void The_built_list_has_the_shape_of_the_vector()
    {
        var vector = MembershipVectors.StatusList["document"]!.AsObject();
        var encoded = vector["credentialSubject"]!["encodedList"]!.GetValue<string>();
        Assert.True(StatusListBits.TryDecode(encoded, out var bits, out _));

        var built = StatusListDocument.Build(MembershipVectors.StatusListUrl, MembershipVectors.ChatonA,
            new DateTimeOffset(2026, 5, 20, 8, 0, 0, TimeSpan.Zero), bits);

        var expected = vector.DeepClone().AsObject();
        expected.Remove("proof");
        expected["credentialSubject"]!["encodedList"] = built["credentialSubject"]!["encodedList"]!.GetValue<string>();
        Assert.True(JsonNode.DeepEquals(expected, built), built.ToJsonString());
        Assert.Equal(["@context", "id", "type", "issuer", "validFrom", "credentialSubject"], built.Select(p => p.Key));
    }

    public static TheoryData<string, string> MalformedCases => new()
    {
        { "context", """{"@context": ["https://www.w3.org/ns/activitystreams"]}""" },
        { "issuer", """{"issuer": "issuer"}""" },
        { "validFrom-missing", """{"validFrom": null}""" },
        { "validFrom-no-zone", """{"validFrom": "2026-05-31T00:00:00"}""" },
        { "validUntil-bad", """{"validUntil": "soon"}""" },
        { "validUntil-before", """{"validUntil": "2026-05-30T00:00:00Z"}""" },
        { "subject-array", """{"credentialSubject": []}""" },
        { "purpose-suspension", """{"credentialSubject": {"statusPurpose": "suspension"}}""" },
        { "purpose-missing", """{"credentialSubject": {"statusPurpose": null}}""" },
        { "list-missing", """{"credentialSubject": {"encodedList": null}}""" },
        { "list-number", """{"credentialSubject": {"encodedList": 0}}""" },
        { "list-short", $$$"""{"credentialSubject": {"encodedList": "u{{{Base64Url(Gzip(new byte[1024]))}}}"}}""" },
        { "list-not-gzip", $$$"""{"credentialSubject": {"encodedList": "u{{{Base64Url(new byte[20000])}}}"}}""" },
    };

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void Each_shape_rule_gives_Malformed(string name, string patch)
    {
        var document = Signed(d => MembershipIssuer.Merge(d, JsonNode.Parse(patch)!.AsObject()));

        var verdict = Verify(document);

        Assert.Equal(CredentialFailure.Malformed, verdict.Failure);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Detail), name);
    }

    [Fact]
    public void A_purpose_list_including_revocation_and_a_later_validUntil_are_accepted()
    {
        var document = Signed(d =>
        {
            d["credentialSubject"]!["statusPurpose"] = new JsonArray("suspension", "revocation");
            d["validUntil"] = "2026-07-01T00:00:00Z";
        });

        Assert.True(Verify(document).Accepted);
    }

    [Theory]
    [InlineData("""{"type": ["VerifiableCredential"]}""")]
    [InlineData("""{"type": "BitstringStatusListCredential"}""")]
    [InlineData("""{"credentialSubject": {"type": "StatusList2021"}}""")]
    public void Wrong_types_are_WrongType(string patch)
    {
        Assert.Equal(CredentialFailure.WrongType, Verify(Signed(d => MembershipIssuer.Merge(d, JsonNode.Parse(patch)!.AsObject()))).Failure);
    }

    [Fact]
    public void An_id_other_than_the_url_fetched_is_UnexpectedId()
    {
        var bytes = _issuer.StatusList();

        var elsewhere = StatusListDocument.Verify(bytes, _issuer.StatusListUrl + "2", _issuer.ActorId, _issuer.Actor(), MembershipIssuer.Now);
        var noId = Verify(Signed(d => d.Remove("id")));

        Assert.Equal(CredentialFailure.UnexpectedId, elsewhere.Failure);
        Assert.Equal(CredentialFailure.UnexpectedId, noId.Failure);
    }

    [Fact]
    public void Another_issuer_is_WrongOwner()
    {
        var verdict = StatusListDocument.Verify(_issuer.StatusList(), _issuer.StatusListUrl, "https://issuer.test/other", _issuer.Actor(), MembershipIssuer.Now);

        Assert.Equal(CredentialFailure.WrongOwner, verdict.Failure);
    }

    [Fact]
    public void Proof_rules_apply_as_to_credentials()
    {
        var unsigned = JsonNode.Parse(_issuer.StatusList())!.AsObject();
        unsigned.Remove("proof");
        Assert.Equal(CredentialFailure.MissingProof, Verify(unsigned).Failure);

        var signed = JsonNode.Parse(_issuer.StatusList())!.AsObject();
        signed["proof"]!["cryptosuite"] = "eddsa-rdfc-2022";
        Assert.Equal(CredentialFailure.InvalidProof, Verify(signed).Failure);

        signed = JsonNode.Parse(_issuer.StatusList())!.AsObject();
        signed["proof"]!["verificationMethod"] = "https://issuer.test/other#key";
        Assert.Equal(CredentialFailure.WrongOwner, Verify(signed).Failure);

        signed = JsonNode.Parse(_issuer.StatusList())!.AsObject();
        signed["validFrom"] = "2026-05-30T00:00:00Z";
        Assert.Equal(CredentialFailure.InvalidProof, Verify(signed).Failure);

        Assert.Equal(CredentialFailure.KeyNotOwned,
            StatusListDocument.Verify(_issuer.StatusList(), _issuer.StatusListUrl, _issuer.ActorId, null, MembershipIssuer.Now).Failure);
    }

    [Fact]
    public void A_list_off_the_issuers_origin_is_CrossOrigin()
    {
        const string url = "https://elsewhere.test/membership/status";
        var document = Signed(d => d["id"] = url);

        var verdict = StatusListDocument.Verify(MembershipIssuer.Bytes(document), url, _issuer.ActorId, _issuer.Actor(), MembershipIssuer.Now);

        Assert.Equal(CredentialFailure.CrossOrigin, verdict.Failure);
    }

    [Fact]
    public void Its_own_dates_are_checked()
    {
        var future = StatusListDocument.Verify(_issuer.StatusList(MembershipIssuer.Now.AddHours(2)), _issuer.StatusListUrl, _issuer.ActorId,
            _issuer.Actor(), MembershipIssuer.Now);
        var skew = StatusListDocument.Verify(_issuer.StatusList(MembershipIssuer.Now.AddMinutes(59)), _issuer.StatusListUrl, _issuer.ActorId,
            _issuer.Actor(), MembershipIssuer.Now);
        var ended = Verify(Signed(d => d["validUntil"] = "2026-05-31T12:00:00Z"));

        Assert.Equal(CredentialFailure.NotYetValid, future.Failure);
        Assert.True(skew.Accepted);
        Assert.Equal(CredentialFailure.Expired, ended.Failure);
    }

    [Fact]
    public void Over_256_KiB_is_TooLarge()
    {
        var verdict = StatusListDocument.Verify(new byte[CredentialVerifier.MaxStatusListBytes + 1], _issuer.StatusListUrl,
            _issuer.ActorId, _issuer.Actor(), MembershipIssuer.Now);

        Assert.Equal(CredentialFailure.TooLarge, verdict.Failure);
        Assert.Equal(CredentialFailure.Malformed, StatusListDocument.Verify("[]"u8, _issuer.StatusListUrl, _issuer.ActorId, null, MembershipIssuer.Now).Failure);
    }

    private JsonObject Signed(Action<JsonObject> change)
    {
        var document = StatusListDocument.Build(_issuer.StatusListUrl, _issuer.ActorId, MembershipIssuer.Now.AddDays(-1), _issuer.Bits);
        change(document);
        return _issuer.Sign(document);
    }

    private StatusListVerdict Verify(JsonObject document) =>
        StatusListDocument.Verify(MembershipIssuer.Bytes(document), _issuer.StatusListUrl, _issuer.ActorId, _issuer.Actor(), MembershipIssuer.Now);


    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string ToBase64(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text + new string('=', (4 - (text.Length % 4)) % 4);
    }
}
