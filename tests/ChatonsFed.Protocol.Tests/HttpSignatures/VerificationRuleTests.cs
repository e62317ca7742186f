using System.Text;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Protocol.Tests.HttpSignatures;

/// <summary>Each verification rule refuses with its own reason.</summary>
public class VerificationRuleTests
{
    private static readonly HttpSignatureKey RsaPrivate = TestKeys.PrivateKey(HttpSignatureAlgorithm.RsaV15Sha256);
    private static readonly HttpSignatureKey RsaPublic = TestKeys.PublicKey(HttpSignatureAlgorithm.RsaV15Sha256);
    private static readonly HttpSignatureKey Ed25519Private = TestKeys.PrivateKey(HttpSignatureAlgorithm.Ed25519);
    private static readonly HttpSignatureKey Ed25519Public = TestKeys.PublicKey(HttpSignatureAlgorithm.Ed25519);

    private static (HttpRequestSnapshot Request, ParsedHttpSignature Signature) SignedRfc9421(
        string components,
        HttpRequestSnapshot? request = null,
        DateTimeOffset? created = null,
        DateTimeOffset? expires = null,
        bool addDefaults = true)
    {
        request ??= RoundTripTests.InboxPost();
        if (addDefaults)
        {
            request.Headers.Add("Host", request.Authority);
            request.Headers.Add("Date", TestKeys.Now.ToString("r"));
            request.Headers.Add("Content-Digest", ContentDigestHeader.Compute(request.Body.Span));
        }

        MessageSignature.Sign(request, Ed25519Private, new MessageSignatureParameters
        {
            Components = SignatureComponent.Parse(components),
            KeyId = "https://a.example/actor#ed25519-key",
            Created = created,
            Expires = expires,
        });
        Assert.True(HttpSignatureDetector.TryParse(request, out var signature, out var error), error);
        return (request, signature);
    }

    private static string? Rfc9421Failure(string components, DateTimeOffset? created = null, DateTimeOffset? expires = null, DateTimeOffset? now = null)
    {
        var (request, signature) = SignedRfc9421(components, created: created ?? TestKeys.Now, expires: expires);
        return signature.Verify(request, Ed25519Public, now ?? TestKeys.Now).Failure;
    }

    [Fact]
    public void Rfc9421_full_federation_signature_is_valid() =>
        Assert.Null(Rfc9421Failure("\"@method\" \"@target-uri\" \"content-digest\""));

    [Fact]
    public void Rfc9421_method_must_be_covered() =>
        Assert.Equal("component '@method' is not covered", Rfc9421Failure("\"@target-uri\" \"content-digest\""));

    [Fact]
    public void Rfc9421_target_must_be_covered() =>
        Assert.Equal("component '@target-uri' is not covered", Rfc9421Failure("\"@method\" \"@path\" \"content-digest\""));

    [Fact]
    public void Rfc9421_request_target_with_host_stands_for_target_uri() =>
        Assert.Null(Rfc9421Failure("\"@method\" \"@request-target\" \"host\" \"content-digest\""));

    [Fact]
    public void Rfc9421_body_digest_must_be_covered() =>
        Assert.Equal("header 'content-digest' is not covered", Rfc9421Failure("\"@method\" \"@target-uri\" \"date\""));

    [Fact]
    public void Rfc9421_created_or_date_is_required()
    {
        var (request, signature) = SignedRfc9421("\"@method\" \"@target-uri\" \"content-digest\"", created: null);
        Assert.Equal("neither the 'created' parameter nor header 'date' is covered", signature.Verify(request, Ed25519Public, TestKeys.Now).Failure);

        var (dated, datedSignature) = SignedRfc9421("\"@method\" \"@target-uri\" \"content-digest\" \"date\"", created: null);
        Assert.True(datedSignature.Verify(dated, Ed25519Public, TestKeys.Now).IsValid);
        Assert.Equal("Date header is 2 hours off", datedSignature.Verify(dated, Ed25519Public, TestKeys.Now.AddHours(2)).Failure);
    }

    [Fact]
    public void Rfc9421_created_is_within_one_hour()
    {
        const string Components = "\"@method\" \"@target-uri\" \"content-digest\"";
        Assert.Null(Rfc9421Failure(Components, now: TestKeys.Now.AddMinutes(59)));
        Assert.Equal("signature created 2 hours ago, outside the 1 hour window", Rfc9421Failure(Components, now: TestKeys.Now.AddHours(2)));
        Assert.Equal("signature created 90 minutes in the future", Rfc9421Failure(Components, now: TestKeys.Now.AddMinutes(-90)));
    }

    [Fact]
    public void Rfc9421_clock_window_is_configurable()
    {
        var (request, signature) = SignedRfc9421("\"@method\" \"@target-uri\" \"content-digest\"", created: TestKeys.Now);
        var strict = new HttpSignatureVerificationPolicy { ClockSkew = TimeSpan.FromMinutes(5) };
        Assert.Equal("signature created 10 minutes ago, outside the 5 minutes window", signature.Verify(request, Ed25519Public, TestKeys.Now.AddMinutes(10), strict).Failure);
    }

    [Fact]
    public void Rfc9421_expires_is_enforced() =>
        Assert.Equal("signature expired 5 minutes ago", Rfc9421Failure("\"@method\" \"@target-uri\" \"content-digest\"", expires: TestKeys.Now.AddMinutes(1), now: TestKeys.Now.AddMinutes(6)));

    [Fact]
    public void Rfc9421_content_digest_must_match_the_body()
    {
        var (request, signature) = SignedRfc9421("\"@method\" \"@target-uri\" \"content-digest\"", created: TestKeys.Now);
        var tampered = new HttpRequestSnapshot(request.Method, request.TargetUri, request.Headers, Encoding.UTF8.GetBytes("""{"type":"Block"}"""));
        Assert.Equal("digest does not match body", signature.Verify(tampered, Ed25519Public, TestKeys.Now).Failure);
    }

    [Fact]
    public void Rfc9421_unsupported_algorithm_is_named()
    {
        var request = RoundTripTests.InboxPost();
        request.Headers.Add("Signature-Input", "sig1=(\"@method\");created=1;keyid=\"k\";alg=\"rsa-v1_5-sha1\"");
        request.Headers.Add("Signature", "sig1=:AAAA:");
        Assert.True(HttpSignatureDetector.TryParse(request, out var signature, out _));
        Assert.Equal("unsupported algorithm 'rsa-v1_5-sha1'", signature.Verify(request, RsaPublic, TestKeys.Now, HttpSignatureVerificationPolicy.SignatureOnly).Failure);
    }

    [Fact]
    public void Rfc9421_alg_must_fit_the_key()
    {
        var (request, signature) = SignedRfc9421("\"@method\" \"@target-uri\" \"content-digest\"", created: TestKeys.Now);
        Assert.Equal("algorithm 'ed25519' does not match the RSA key", signature.Verify(request, RsaPublic, TestKeys.Now).Failure);
    }

    [Fact]
    public void Rfc9421_covered_header_must_be_present()
    {
        var (request, signature) = SignedRfc9421("\"@method\" \"@target-uri\" \"content-digest\" \"x-trace\"", request: WithTrace(), created: TestKeys.Now);
        request.Headers.Remove("X-Trace");
        Assert.Equal("header 'x-trace' is not present", signature.Verify(request, Ed25519Public, TestKeys.Now).Failure);
    }

    [Fact]
    public void Rfc9421_signature_without_keyid_cannot_be_looked_up()
    {
        var request = RoundTripTests.InboxPost();
        request.Headers.Add("Signature-Input", "sig1=(\"@method\");created=1");
        request.Headers.Add("Signature", "sig1=:AAAA:");
        Assert.False(HttpSignatureDetector.TryParse(request, out _, out var error));
        Assert.Equal("signature 'sig1' has no keyid", error);
    }

    [Theory]
    [InlineData("sig1=(\"@method\");created=1;keyid=\"k\"", "sig2=:AAAA:", "Signature header has no member for label 'sig1'")]
    [InlineData("sig1=(\"@method\";created=1", "sig1=:AAAA:", "Signature-Input header is malformed: inner list is not closed at position 25")]
    [InlineData("sig1=(\"@method\");created=\"1\";keyid=\"k\"", "sig1=:AAAA:", "parameter 'created' of signature 'sig1' must be an integer")]
    [InlineData("sig1=\"@method\";keyid=\"k\"", "sig1=:AAAA:", "Signature-Input member 'sig1' is not an inner list")]
    [InlineData("sig1=(method);keyid=\"k\"", "sig1=:AAAA:", "Signature-Input member 'sig1' covers method, which is not a string")]
    [InlineData("sig1=(\"@method\");keyid=\"k\"", "sig1=\"AAAA\"", "Signature member 'sig1' is not a byte sequence")]
    [InlineData("sig1=(\"@method\");keyid=\"k\"", "sig1=:AA!A:", "Signature header is malformed: '!' is not a base64 character at position 8")]
    public void Rfc9421_malformed_headers_are_refused_with_a_reason(string input, string signature, string reason)
    {
        var headers = new HeaderFields { { "Signature-Input", input }, { "Signature", signature } };
        Assert.False(MessageSignature.TryParse(headers, null, out _, out var error));
        Assert.Equal(reason, error);
    }

    [Theory]
    [InlineData("\"@method\" \"@method\"", "component \"@method\" is listed twice")]
    [InlineData("\"@status\"", "@status is only defined for responses")]
    [InlineData("\"@signature-params\"", "@signature-params cannot be a covered component")]
    [InlineData("\"@unknown\"", "unknown derived component '@unknown'")]
    [InlineData("\"@method\";req", "component @method;req is only allowed when signing a response")]
    [InlineData("\"@query-param\"", "@query-param needs a string 'name' parameter")]
    [InlineData("\"@query-param\";name=\"y\"", "query parameter 'y' is not present")]
    [InlineData("\"Content-Type\"", "header component name 'Content-Type' must be lowercase")]
    [InlineData("\"content-type\";key=\"a\"", "header 'content-type' is not a structured dictionary: expected ',' but found '/' at position 11")]
    [InlineData("\"content-type\";bs;sf", "'content-type' cannot combine ;bs with ;sf or ;key")]
    [InlineData("\"content-type\";tr", "trailer fields are not supported ('content-type';tr)")]
    [InlineData("\"@method\";sf", "component parameter 'sf' is not supported on @method")]
    public void Rfc9421_bad_components_are_refused_with_a_reason(string components, string reason)
    {
        var request = RoundTripTests.InboxPost();
        var parameters = new InnerList(SignatureComponent.Parse(components));
        Assert.False(SignatureBase.TryCreate(request, parameters, out _, out var error));
        Assert.Equal(reason, error);
    }

    [Fact]
    public void Query_parameter_named_twice_cannot_be_covered()
    {
        var request = new HttpRequestSnapshot("GET", "https://b.example/search?q=a&q=b");
        Assert.False(SignatureBase.TryCreate(request, new InnerList([SignatureComponent.QueryParameter("q")]), out _, out var error));
        Assert.Equal("query parameter 'q' occurs more than once, so @query-param cannot cover it", error);
    }

    [Fact]
    public void Fedify_signed_get_with_fragment_in_target_uri_verifies_when_the_fragment_is_known()
    {
        // Fedify signs the URL it fetches, fragment included; the server only sees the path.
        var sent = new HttpRequestSnapshot("GET", "https://b.example/users/bob#main-key", new HeaderFields
        {
            { "Host", "b.example" },
            { "Date", TestKeys.Now.ToString("r") },
            { "Accept", "application/activity+json" },
        });
        var parameters = new MessageSignatureParameters
        {
            Components = MessageSignature.FederationComponents(hasBody: false),
            KeyId = "https://a.example/actor#main-key",
            Created = TestKeys.Now,
        }.ToInnerList(HttpSignatureAlgorithm.RsaV15Sha256);
        using var writer = new PooledByteWriter();
        Assert.True(SignatureBase.TryWrite(new MessageContext(sent, null, "main-key"), parameters, writer, out _));
        Assert.Contains("\"@target-uri\": https://b.example/users/bob#main-key\n", Encoding.UTF8.GetString(writer.WrittenSpan), StringComparison.Ordinal);
        var signatureBytes = RsaPrivate.Sign(HttpSignatureAlgorithm.RsaV15Sha256, writer.WrittenSpan);

        var received = new HttpRequestSnapshot("GET", "https://b.example/users/bob", new HeaderFields(sent.Headers));
        Assert.Null(received.Fragment);
        received.Headers.Add("Signature-Input", "sig1=" + parameters);
        received.Headers.Add("Signature", $"sig1=:{Convert.ToBase64String(signatureBytes)}:");
        Assert.True(HttpSignatureDetector.TryParse(received, out var signature, out _));

        Assert.Equal("signature does not match", signature.Verify(received, RsaPublic, TestKeys.Now).Failure);
        var knowing = new HttpSignatureVerificationPolicy { TargetUriFragments = ["ed25519-key", "main-key"] };
        Assert.True(signature.Verify(received, RsaPublic, TestKeys.Now, knowing).IsValid);
    }

    [Fact]
    public void Snapshot_drops_the_fragment_from_the_target_uri()
    {
        var request = new HttpRequestSnapshot("GET", "HTTPS://B.Example:443/users/bob?x=1#main-key");
        Assert.Equal("HTTPS://B.Example:443/users/bob?x=1", request.TargetUri);
        Assert.Equal("main-key", request.Fragment);
        Assert.Equal("b.example", request.Authority);
        Assert.Equal("https", request.Scheme);
        Assert.Equal("/users/bob", request.Path);
        Assert.Equal("x=1", request.Query);
        Assert.Equal("b.example:8443", new HttpRequestSnapshot("GET", "https://b.example:8443").Authority);
        Assert.Equal("/", new HttpRequestSnapshot("GET", "https://b.example").Path);
    }

    // draft-cavage

    private static (HttpRequestSnapshot Request, CavageSignature Signature) SignedCavage(IReadOnlyList<string>? headers = null, HttpRequestSnapshot? request = null)
    {
        request ??= RoundTripTests.InboxPost();
        CavageSignature.Sign(request, RsaPrivate, "https://a.example/actor#main-key", TestKeys.Now, headers);
        Assert.True(CavageSignature.TryParse(request.Headers, out var signature, out var error), error);
        return (request, signature);
    }

    [Theory]
    [InlineData("(request-target) date digest", "header 'host' is not covered")]
    [InlineData("host date digest", "'(request-target)' is not covered")]
    [InlineData("(request-target) host digest", "header 'date' is not covered")]
    [InlineData("(request-target) host date", "header 'digest' is not covered")]
    public void Cavage_coverage_rules(string headers, string reason)
    {
        var (request, signature) = SignedCavage(headers.Split(' '));
        Assert.Equal(reason, signature.Verify(request, RsaPublic, TestKeys.Now).Failure);
        Assert.True(signature.Verify(request, RsaPublic, TestKeys.Now, HttpSignatureVerificationPolicy.SignatureOnly).IsValid);
    }

    [Fact]
    public void Cavage_post_without_body_must_still_sign_digest()
    {
        var request = new HttpRequestSnapshot("POST", "https://b.example/inbox");
        request.Headers.Add("Digest", DigestHeader.Compute([]));
        var (signed, signature) = SignedCavage(["(request-target)", "host", "date"], request);
        Assert.Equal("header 'digest' is not covered", signature.Verify(signed, RsaPublic, TestKeys.Now).Failure);
    }

    [Fact]
    public void Cavage_date_window()
    {
        var (request, signature) = SignedCavage();
        Assert.True(signature.Verify(request, RsaPublic, TestKeys.Now.AddMinutes(-59)).IsValid);
        Assert.Equal("Date header is 2 hours off", signature.Verify(request, RsaPublic, TestKeys.Now.AddHours(2)).Failure);
        Assert.Equal("Date header is 61 minutes off", signature.Verify(request, RsaPublic, TestKeys.Now.AddMinutes(-61)).Failure);
    }

    [Fact]
    public void Cavage_date_must_be_an_http_date()
    {
        var request = RoundTripTests.InboxPost();
        request.Headers.Add("Date", "yesterday");
        var (signed, signature) = SignedCavage(request: request);
        Assert.Equal("Date header 'yesterday' is not an HTTP date", signature.Verify(signed, RsaPublic, TestKeys.Now).Failure);
    }

    [Fact]
    public void Cavage_digest_must_match_the_body()
    {
        var (request, signature) = SignedCavage();
        var tampered = new HttpRequestSnapshot(request.Method, request.TargetUri, request.Headers, Encoding.UTF8.GetBytes("{}"));
        Assert.Equal("digest does not match body", signature.Verify(tampered, RsaPublic, TestKeys.Now).Failure);
    }

    [Fact]
    public void Cavage_signature_does_not_match_another_path()
    {
        var (request, signature) = SignedCavage();
        var moved = new HttpRequestSnapshot(request.Method, "https://b.example/users/eve/inbox?x=1", request.Headers, request.Body);
        Assert.Equal("signature does not match", signature.Verify(moved, RsaPublic, TestKeys.Now).Failure);
    }

    [Fact]
    public void Cavage_request_target_without_query_is_accepted_as_fedify_signs_it()
    {
        // Fedify and older Mastodon sign (request-target) as the path alone.
        var fedifyView = new HttpRequestSnapshot("POST", "https://b.example/users/bob/inbox", new HeaderFields(), RoundTripTests.InboxPost().Body);
        var (signed, _) = SignedCavage(request: fedifyView);
        var received = new HttpRequestSnapshot("POST", "https://b.example/users/bob/inbox?from=fedify", signed.Headers, signed.Body);
        Assert.True(CavageSignature.TryParse(received.Headers, out var signature, out _));
        Assert.True(signature.Verify(received, RsaPublic, TestKeys.Now).IsValid);
    }

    [Fact]
    public void Fedify_shaped_cavage_delivery_verifies()
    {
        // Fedify's fallback knock: (request-target) then every header in sorted lowercase order, path without query.
        var request = new HttpRequestSnapshot("POST", "https://b.example/users/bob/inbox", new HeaderFields { { "Content-Type", "application/activity+json" } }, RoundTripTests.InboxPost().Body);
        CavageSignature.Sign(request, RsaPrivate, "https://a.example/actor#main-key", TestKeys.Now, ["(request-target)", "content-type", "date", "digest", "host"]);
        Assert.True(HttpSignatureDetector.TryParse(request, out var signature, out var error), error);
        Assert.True(signature.Verify(request, RsaPublic, TestKeys.Now).IsValid);
    }

    [Fact]
    public void Cavage_unsupported_algorithm_is_named()
    {
        var (request, signature) = SignedCavage();
        var header = request.Headers.GetCombinedValue("Signature")!.Replace("rsa-sha256", "rsa-sha512", StringComparison.Ordinal);
        Assert.True(CavageSignature.TryParse(header, out var changed, out _));
        Assert.Equal("unsupported algorithm 'rsa-sha512'", changed.Verify(request, RsaPublic, TestKeys.Now).Failure);
        Assert.True(signature.Verify(request, RsaPublic, TestKeys.Now).IsValid);
    }

    [Fact]
    public void Cavage_refuses_a_non_rsa_key()
    {
        var (request, signature) = SignedCavage();
        Assert.Equal(
            "algorithm 'rsa-sha256' does not match the Ed25519 key (draft-cavage signatures are checked with RSA keys)",
            signature.Verify(request, Ed25519Public, TestKeys.Now).Failure);
    }

    [Fact]
    public void Cavage_signed_header_must_be_present()
    {
        var request = RoundTripTests.InboxPost();
        var (signed, signature) = SignedCavage(["(request-target)", "host", "date", "digest", "content-type"], request);
        signed.Headers.Remove("Content-Type");
        Assert.Equal("header 'content-type' is signed but not present", signature.Verify(signed, RsaPublic, TestKeys.Now).Failure);
    }

    [Fact]
    public void Cavage_hs2019_created_and_expires_are_checked()
    {
        var request = RoundTripTests.InboxPost();
        request.Headers.Add("Host", "b.example");
        request.Headers.Add("Digest", DigestHeader.Compute(request.Body.Span));
        var created = TestKeys.Now.ToUnixTimeSeconds();
        var header = $"keyId=\"k\",algorithm=\"hs2019\",created={created},expires={created + 300},headers=\"(request-target) (created) (expires) host digest\",signature=\"\"";
        Assert.False(CavageSignature.TryParse(header, out _, out var error), "an empty signature is refused");
        Assert.True(CavageSignature.TryParse(header.Replace("signature=\"\"", "signature=\"AAAA\"", StringComparison.Ordinal), out var unsignedShape, out error), error);
        Assert.True(unsignedShape.TryCreateSigningString(request, true, out var signingString, out error), error);
        var signatureBytes = RsaPrivate.Sign(HttpSignatureAlgorithm.RsaV15Sha256, Encoding.UTF8.GetBytes(signingString));
        Assert.True(CavageSignature.TryParse(header.Replace("signature=\"\"", $"signature=\"{Convert.ToBase64String(signatureBytes)}\"", StringComparison.Ordinal), out var signature, out error), error);

        Assert.True(signature.Verify(request, RsaPublic, TestKeys.Now).IsValid);
        Assert.Equal("signature expired 5 minutes ago", signature.Verify(request, RsaPublic, TestKeys.Now.AddMinutes(10)).Failure);
        Assert.Equal("signature created 2 hours in the future", signature.Verify(request, RsaPublic, TestKeys.Now.AddHours(-2)).Failure);
    }

    [Theory]
    [InlineData("", "Signature header is malformed: no parameters")]
    [InlineData("algorithm=\"rsa-sha256\",signature=\"AAAA\"", "Signature header has no keyId")]
    [InlineData("keyId=\"k\",algorithm=\"rsa-sha256\"", "Signature header has no signature")]
    [InlineData("keyId=\"k\",keyId=\"j\",signature=\"AAAA\"", "Signature header is malformed: parameter 'keyId' appears twice")]
    [InlineData("keyId=\"k\",signature=\"A!AA\"", "Signature header is malformed: signature is not valid base64")]
    [InlineData("keyId=\"k,signature=\"AAAA\"", "Signature header is malformed: expected ',' after the value of 'keyId'")]
    [InlineData("keyId=\"k\",headers=\"  \",signature=\"AAAA\"", "Signature header is malformed: headers is empty")]
    [InlineData("keyId=\"k\",created=soon,signature=\"AAAA\"", "Signature header is malformed: created 'soon' is not an integer")]
    [InlineData("keyId", "Signature header is malformed: parameter 'keyId' has no value")]
    public void Cavage_malformed_headers_are_refused_with_a_reason(string header, string reason)
    {
        Assert.False(CavageSignature.TryParse(header, out _, out var error));
        Assert.Equal(reason, error);
    }

    [Fact]
    public void Cavage_parser_tolerates_a_signature_prefix_and_spaces()
    {
        Assert.True(CavageSignature.TryParse("Signature keyId=\"k\", algorithm=\"hs2019\" , headers=\"(request-target) Host\",signature=\"AAAA\"", out var signature, out var error), error);
        Assert.Equal("k", signature.KeyId);
        Assert.Equal(["(request-target)", "host"], signature.CoveredHeaders);
    }

    [Fact]
    public void Unsigned_request_is_reported()
    {
        var request = RoundTripTests.InboxPost();
        Assert.Equal(HttpSignatureFlavour.None, HttpSignatureDetector.Detect(request.Headers));
        Assert.False(HttpSignatureDetector.TryParse(request, out _, out var error));
        Assert.Equal("the request is not signed", error);
    }

    [Fact]
    public void Signature_input_wins_over_a_cavage_signature_header()
    {
        var headers = new HeaderFields { { "Signature", "sig1=:AAAA:" }, { "signature-input", "sig1=(\"@method\");keyid=\"k\"" } };
        Assert.Equal(HttpSignatureFlavour.Rfc9421, HttpSignatureDetector.Detect(headers));
    }

    private static HttpRequestSnapshot WithTrace()
    {
        var request = RoundTripTests.InboxPost();
        request.Headers.Add("X-Trace", "abc");
        return request;
    }
}
