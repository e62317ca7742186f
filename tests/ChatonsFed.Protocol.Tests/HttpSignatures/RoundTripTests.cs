using System.Text;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Protocol.Tests.HttpSignatures;

public class RoundTripTests
{
    public static TheoryData<HttpSignatureAlgorithm> Algorithms() =>
    [
        HttpSignatureAlgorithm.RsaV15Sha256,
        HttpSignatureAlgorithm.RsaPssSha512,
        HttpSignatureAlgorithm.EcdsaP256Sha256,
        HttpSignatureAlgorithm.Ed25519,
        HttpSignatureAlgorithm.HmacSha256,
    ];

    internal static HttpRequestSnapshot InboxPost(string body = """{"type":"Follow"}""") =>
        new("POST", "https://b.example/users/bob/inbox?x=1", new HeaderFields { { "Content-Type", "application/activity+json" } }, Encoding.UTF8.GetBytes(body));

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Rfc9421_federation_signature_round_trips(HttpSignatureAlgorithm algorithm)
    {
        var request = InboxPost();
        using var privateKey = TestKeys.PrivateKey(algorithm);
        var added = MessageSignature.SignForFederation(request, privateKey, "https://a.example/actor#main-key", TestKeys.Now);

        Assert.Equal(["Host", "Date", "Content-Digest", "Signature-Input", "Signature"], added.Select(a => a.Key));
        Assert.Equal(HttpSignatureFlavour.Rfc9421, HttpSignatureDetector.Detect(request.Headers));
        Assert.True(HttpSignatureDetector.TryParse(request, out var signature, out var error), error);
        Assert.Equal("https://a.example/actor#main-key", signature.KeyId);
        var message = Assert.IsType<MessageSignature>(signature);
        Assert.Equal("sig1", message.Label);
        Assert.Equal(algorithm.ToWireName(), message.Algorithm);
        Assert.Equal(
            "(\"@method\" \"@target-uri\" \"@authority\" \"host\" \"date\" \"content-digest\")",
            StructuredFieldSerializer.Serialize(new InnerList(message.CoveredComponents)));

        using var publicKey = TestKeys.PublicKey(algorithm);
        var result = signature.Verify(request, publicKey, TestKeys.Now.AddMinutes(5));
        Assert.True(result.IsValid, result.Failure);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Rfc9421_signature_without_alg_uses_the_key_algorithm(HttpSignatureAlgorithm algorithm)
    {
        var request = InboxPost();
        using var privateKey = TestKeys.PrivateKey(algorithm);
        MessageSignature.Sign(request, privateKey, new MessageSignatureParameters
        {
            Components = SignatureComponent.List("@method", "@target-uri", "content-type"),
            Created = TestKeys.Now,
            KeyId = "k",
            Algorithm = algorithm,
            IncludeAlgorithm = false,
        });
        Assert.True(MessageSignature.TryParse(request.Headers, null, out var signature, out _));
        Assert.Null(signature.Algorithm);
        using var publicKey = TestKeys.PublicKey(algorithm);
        Assert.True(signature.Verify(request, publicKey, TestKeys.Now, HttpSignatureVerificationPolicy.SignatureOnly).IsValid);
    }

    [Fact]
    public void Rfc9421_response_signature_round_trips_with_request_components()
    {
        var request = InboxPost();
        var response = new HttpResponseSnapshot(202, new HeaderFields { { "Content-Type", "text/plain" } }, Encoding.UTF8.GetBytes("ok"), request);
        using var key = TestKeys.PrivateKey(HttpSignatureAlgorithm.Ed25519);
        MessageSignature.Sign(response, key, new MessageSignatureParameters
        {
            Components = SignatureComponent.Parse("\"@status\" \"content-type\" \"@method\";req \"@target-uri\";req"),
            Created = TestKeys.Now,
        });
        Assert.True(MessageSignature.TryParse(response.Headers, "sig1", out var signature, out _));
        using var publicKey = TestKeys.PublicKey(HttpSignatureAlgorithm.Ed25519);
        Assert.True(signature.Verify(response, publicKey, TestKeys.Now).IsValid);

        var otherRequest = new HttpRequestSnapshot("POST", "https://b.example/users/eve/inbox?x=1");
        var moved = new HttpResponseSnapshot(202, response.Headers, response.Body, otherRequest);
        Assert.Equal("signature does not match", signature.Verify(moved, publicKey, TestKeys.Now).Failure);
    }

    [Fact]
    public void Cavage_signature_round_trips_with_default_headers()
    {
        var request = InboxPost();
        using var privateKey = TestKeys.PrivateKey(HttpSignatureAlgorithm.RsaV15Sha256);
        var added = CavageSignature.Sign(request, privateKey, "https://a.example/actor#main-key", TestKeys.Now);

        Assert.Equal(["Host", "Date", "Digest", "Signature"], added.Select(a => a.Key));
        Assert.Equal("b.example", request.Headers.GetCombinedValue("host"));
        Assert.Equal("Sun, 01 Jun 2025 12:00:00 GMT", request.Headers.GetCombinedValue("date"));
        Assert.Equal(HttpSignatureFlavour.Cavage, HttpSignatureDetector.Detect(request.Headers));
        Assert.True(HttpSignatureDetector.TryParse(request, out var signature, out var error), error);
        var cavage = Assert.IsType<CavageSignature>(signature);
        Assert.Equal(["(request-target)", "host", "date", "digest"], cavage.CoveredHeaders);
        Assert.Equal("rsa-sha256", cavage.AlgorithmName);
        using var publicKey = TestKeys.PublicKey(HttpSignatureAlgorithm.RsaV15Sha256);
        var result = signature.Verify(request, publicKey, TestKeys.Now.AddMinutes(59));
        Assert.True(result.IsValid, result.Failure);
    }

    [Fact]
    public void Cavage_signed_get_has_no_digest()
    {
        var request = new HttpRequestSnapshot("GET", "https://b.example/users/bob");
        using var privateKey = TestKeys.PrivateKey(HttpSignatureAlgorithm.RsaV15Sha256);
        var added = CavageSignature.Sign(request, privateKey, "https://a.example/actor#main-key", TestKeys.Now);
        Assert.Equal(["Host", "Date", "Signature"], added.Select(a => a.Key));
        Assert.True(CavageSignature.TryParse(request.Headers, out var signature, out _));
        Assert.Equal(["(request-target)", "host", "date"], signature.CoveredHeaders);
        using var publicKey = TestKeys.PublicKey(HttpSignatureAlgorithm.RsaV15Sha256);
        Assert.True(signature.Verify(request, publicKey, TestKeys.Now).IsValid);
    }

    [Fact]
    public void Cavage_signing_refuses_a_non_rsa_key()
    {
        using var key = TestKeys.PrivateKey(HttpSignatureAlgorithm.Ed25519);
        Assert.Throws<InvalidOperationException>(() => CavageSignature.Sign(InboxPost(), key, "k", TestKeys.Now));
    }

    [Fact]
    public void Public_key_cannot_sign()
    {
        using var key = TestKeys.PublicKey(HttpSignatureAlgorithm.Ed25519);
        Assert.False(key.CanSign);
        Assert.Throws<InvalidOperationException>(() => MessageSignature.SignForFederation(InboxPost(), key, "k", TestKeys.Now));
    }
}
