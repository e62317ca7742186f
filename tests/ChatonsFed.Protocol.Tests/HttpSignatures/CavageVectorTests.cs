using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Protocol.Tests.HttpSignatures;

/// <summary>Every case of the shared draft-cavage-12 / Mastodon vector file.</summary>
public class CavageVectorTests
{
    private static readonly DateTimeOffset VectorDate = new(2014, 1, 5, 21, 31, 40, TimeSpan.Zero);

    private static JsonNode Vectors => VectorMessages.CavageVectors;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var item in Vectors["cases"]!.AsArray())
        {
            data.Add((string)item!["name"]!);
        }

        return data;
    }

    [Fact]
    public void Body_digest_check_matches()
    {
        var check = Vectors["body_digest_check"]!;
        var body = Encoding.UTF8.GetBytes((string)check["body"]!);
        Assert.Equal((string)check["Digest"]!, DigestHeader.Compute(body));
        Assert.True(DigestHeader.Verify((string)check["Digest"]!, body).IsValid);
    }

    [Fact]
    public void The_test_key_is_1024_bit_as_the_file_notes()
    {
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem((string)Vectors["key"]!["public_pem"]!);
        Assert.Equal(1024, rsa.KeySize);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signing_string_is_rebuilt_and_published_signature_verifies(string name)
    {
        var vector = Case(name);
        var request = Request();
        var header = SignatureHeaderThatMatches(vector);
        Assert.True(CavageSignature.TryParse(header, out var signature, out var error), error);
        Assert.Equal("Test", signature.KeyId);

        Assert.True(signature.TryCreateSigningString(request, includeQuery: true, out var signingString, out error), error);
        Assert.Equal((string)vector["signing_string"]!, signingString);

        using var key = VectorMessages.CavagePublicKey();
        var result = signature.Verify(request, key, VectorDate, HttpSignatureVerificationPolicy.SignatureOnly);
        Assert.True(result.IsValid, result.Failure);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rsa_sha256_signatures_are_reproduced_exactly(string name)
    {
        var vector = Case(name);
        Assert.True(CavageSignature.TryParse(SignatureHeaderThatMatches(vector), out var published, out var error), error);
        var request = Request();
        using var key = VectorMessages.CavagePrivateKey();

        var added = CavageSignature.Sign(request, key, "Test", VectorDate, published.CoveredHeaders);

        Assert.Equal(["Signature"], added.Select(a => a.Key)); // Host, Date and Digest were already there
        Assert.True(CavageSignature.TryParse(added[0].Value, out var produced, out error), error);
        Assert.Equal((string)vector["signature_b64"]!, Convert.ToBase64String(produced.Signature.Span));
    }

    [Fact]
    public void Default_test_is_read_from_the_authorization_header_too()
    {
        var vector = Case("Default Test");
        var request = Request();
        request.Headers.Add("Authorization", ((string)vector["authorization_header"]!)["Authorization: ".Length..]);
        Assert.Equal(HttpSignatureFlavour.Cavage, HttpSignatureDetector.Detect(request.Headers));
        Assert.True(HttpSignatureDetector.TryParse(request, out var signature, out var error), error);
        var cavage = Assert.IsType<CavageSignature>(signature);
        Assert.False(cavage.HeadersGiven);
        Assert.Equal(["date"], cavage.CoveredHeaders);
        using var key = VectorMessages.CavagePublicKey();
        Assert.True(signature.Verify(request, key, VectorDate, HttpSignatureVerificationPolicy.SignatureOnly).IsValid);
    }

    [Fact]
    public void Default_test_fails_the_federation_rules()
    {
        var request = Request();
        request.Headers.Add("Signature", ((string)Case("Default Test")["signature_header"]!)["Signature: ".Length..]);
        Assert.True(CavageSignature.TryParse(request.Headers, out var signature, out _));
        using var key = VectorMessages.CavagePublicKey();

        var result = signature.Verify(request, key, VectorDate);

        Assert.Equal("'(request-target)' is not covered", result.Failure);
    }

    [Fact]
    public void Basic_test_fails_the_federation_rules_because_a_post_must_sign_digest()
    {
        var request = Request();
        Assert.True(CavageSignature.TryParse(((string)Case("Basic Test")["authorization_header"]!)["Authorization: ".Length..], out var signature, out _));
        using var key = VectorMessages.CavagePublicKey();

        Assert.Equal("header 'digest' is not covered", signature.Verify(request, key, VectorDate).Failure);
    }

    [Fact]
    public void All_headers_test_passes_the_federation_rules()
    {
        var request = Request();
        Assert.True(CavageSignature.TryParse(SignatureHeaderThatMatches(Case("All Headers Test")), out var signature, out _));
        using var key = VectorMessages.CavagePublicKey();

        Assert.True(signature.Verify(request, key, VectorDate).IsValid);
        Assert.Equal("Date header is 2 hours off", signature.Verify(request, key, VectorDate.AddHours(2)).Failure);
    }

    [Fact]
    public void All_headers_test_as_printed_is_refused_because_rsa_sha256_cannot_sign_created()
    {
        // The file flags the printed headers= list as wrong: (created)/(expires) are forbidden with rsa-sha256.
        var vector = Case("All Headers Test");
        var printed = ((string)vector["signature_header_as_printed"]!)["Signature: ".Length..];
        Assert.True(CavageSignature.TryParse(printed, out var signature, out var error), error);
        Assert.Equal(1402170695, signature.Created);
        Assert.Equal(1402170699, signature.Expires);
        using var key = VectorMessages.CavagePublicKey();

        var result = signature.Verify(Request(), key, VectorDate, HttpSignatureVerificationPolicy.SignatureOnly);

        Assert.False(result.IsValid);
        Assert.Equal("(created) is only allowed with algorithm hs2019, not 'rsa-sha256'", result.Failure);
    }

    [Fact]
    public void Section_2_3_signing_string_with_created_and_empty_header()
    {
        var example = Vectors["section_2_3_example"]!;
        var request = VectorMessages.ParseRequest((string)example["request"]!);
        var header = $"keyId=\"Test\",algorithm=\"hs2019\",created={example["created"]},headers=\"{example["headers_param"]}\",signature=\"AAAA\"";
        Assert.True(CavageSignature.TryParse(header, out var signature, out var error), error);

        Assert.True(signature.TryCreateSigningString(request, includeQuery: true, out var signingString, out error), error);

        // The rule text gives the empty header a trailing space ("x-emptyheader: "), which the expected string keeps.
        Assert.Equal((string)example["expected_signing_string"]!, signingString);
    }

    [Fact]
    public void Mastodon_shaped_delivery_is_reproduced_byte_for_byte()
    {
        var example = Vectors["derived_mastodon_shape_example"]!;
        var request = VectorMessages.ParseRequest((string)example["request"]!);
        Assert.Equal(((string)example["digest_header"]!)["Digest: ".Length..], DigestHeader.Compute(request.Body.Span));
        var expectedHeader = ((string)example["signature_header"]!)["Signature: ".Length..];
        Assert.True(CavageSignature.TryParse(expectedHeader, out var expected, out _));
        Assert.True(expected.TryCreateSigningString(request, true, out var signingString, out _));
        Assert.Equal((string)example["signing_string"]!, signingString);

        using var key = VectorMessages.CavagePrivateKey();
        var added = CavageSignature.Sign(request, key, "https://a.example/users/alice#main-key", VectorDate, ["(request-target)", "host", "date", "digest", "content-type"]);

        Assert.Equal(expectedHeader, added.Single().Value);
        using var publicKey = VectorMessages.CavagePublicKey();
        Assert.True(HttpSignatureDetector.TryParse(request, out var parsed, out _));
        Assert.Equal("https://a.example/users/alice#main-key", parsed.KeyId);
        var result = parsed.Verify(request, publicKey, VectorDate.AddMinutes(3));
        Assert.True(result.IsValid, result.Failure);
    }

    [Fact]
    public void Hs2019_is_checked_as_rsa_sha256_like_mastodon_does()
    {
        var vector = Case("All Headers Test");
        var header = SignatureHeaderThatMatches(vector).Replace("algorithm=\"rsa-sha256\"", "algorithm=\"hs2019\"", StringComparison.Ordinal);
        Assert.True(CavageSignature.TryParse(header, out var signature, out _));
        using var key = VectorMessages.CavagePublicKey();
        Assert.True(signature.Verify(Request(), key, VectorDate).IsValid);
    }

    internal static HttpRequestSnapshot Request() => VectorMessages.ParseRequest((string)Vectors["request"]!);

    private static JsonNode Case(string name) => Vectors["cases"]!.AsArray().Single(c => (string)c!["name"]! == name)!;

    /// <summary>The Signature header value that goes with the published signature (the file corrects Appendix C.3's headers list).</summary>
    private static string SignatureHeaderThatMatches(JsonNode vector)
    {
        if (vector["headers_param_that_matches_signature"] is { } headers)
        {
            return $"keyId=\"Test\",algorithm=\"rsa-sha256\",headers=\"{headers}\",signature=\"{vector["signature_b64"]}\"";
        }

        var line = (string?)vector["signature_header"] ?? (string)vector["authorization_header"]!;
        return line[(line.IndexOf(':', StringComparison.Ordinal) + 2)..];
    }
}
