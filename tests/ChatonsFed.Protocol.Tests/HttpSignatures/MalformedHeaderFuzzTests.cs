using ChatonsFed.Protocol.HttpSignatures;
using CsCheck;

namespace ChatonsFed.Protocol.Tests.HttpSignatures;

/// <summary>Random and broken header values are refused with a reason; nothing throws out of the public API.</summary>
public class MalformedHeaderFuzzTests
{
    private static readonly HttpSignatureKey RsaPublic = TestKeys.PublicKey(HttpSignatureAlgorithm.RsaV15Sha256);
    private static readonly HttpSignatureKey Ed25519Public = TestKeys.PublicKey(HttpSignatureAlgorithm.Ed25519);

    /// <summary>Characters that matter to the grammars, plus some that never belong there.</summary>
    private static readonly Gen<char> SyntaxChars = Gen.Char["\"\\=,;:()?*-_. \t@/+AZaz09!~é\u0001\n"];

    private static readonly Gen<string> Noise = Gen.String[SyntaxChars, 0, 80];

    /// <summary>Values that start from a valid header and have a random slice replaced by noise.</summary>
    private static Gen<string> Damaged(params string[] valid) =>
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Int[0, 200], Gen.Int[0, 20], Noise, (which, start, length, noise) =>
        {
            var text = valid[which];
            var s = Math.Min(start, text.Length);
            var l = Math.Min(length, text.Length - s);
            return text[..s] + noise + text[(s + l)..];
        });

    private static readonly Gen<string> SignatureInputs = Gen.OneOf(
        Noise,
        Damaged(
            "sig1=(\"@method\" \"@target-uri\" \"content-digest\");created=1748779200;keyid=\"https://a.example/actor#main-key\";alg=\"ed25519\"",
            "sig-b22=(\"@authority\" \"content-digest\" \"@query-param\";name=\"Pet\");created=1618884473;keyid=\"test-key-rsa-pss\";tag=\"header-example\"",
            "a=(\"x\";sf \"y\";key=\"z\" \"w\";bs \"@status\";req);expires=-1;nonce=\"n\""));

    private static readonly Gen<string> Signatures = Gen.OneOf(Noise, Damaged("sig1=:AAAA:", "sig1=:dGVzdA==:, sig2=:YQ==:"));

    [Fact]
    public void Rfc9421_headers_never_throw()
    {
        Gen.Select(SignatureInputs, Signatures).Sample(pair =>
        {
            var request = RoundTripTests.InboxPost();
            request.Headers.Add("Host", "b.example");
            request.Headers.Add("Date", TestKeys.Now.ToString("r"));
            request.Headers.Add("Signature-Input", pair.Item1);
            request.Headers.Add("Signature", pair.Item2);
            if (MessageSignature.TryParseAll(request.Headers, out var all, out var error))
            {
                foreach (var signature in all)
                {
                    var result = signature.Verify(request, Ed25519Public, TestKeys.Now, HttpSignatureVerificationPolicy.SignatureOnly);
                    Assert.False(result.IsValid);
                    Assert.False(string.IsNullOrWhiteSpace(result.Failure));
                    Assert.False(signature.Verify(request, RsaPublic, TestKeys.Now).IsValid);
                }
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
            }
        }, iter: 3000);
    }

    [Fact]
    public void Cavage_headers_never_throw()
    {
        Gen.OneOf(
            Noise,
            Damaged(
                "keyId=\"https://a.example/actor#main-key\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"AAAA\"",
                "keyId=\"k\",algorithm=\"hs2019\",created=1,expires=2,headers=\"(created) (expires) (foo)\",signature=\"dGVzdA==\"",
                "Signature keyId=k, signature=AAAA")).Sample(value =>
        {
            var request = RoundTripTests.InboxPost();
            request.Headers.Add("Host", "b.example");
            request.Headers.Add("Date", TestKeys.Now.ToString("r"));
            request.Headers.Add("Signature", value);
            if (CavageSignature.TryParse(request.Headers, out var signature, out var error))
            {
                _ = signature.TryCreateSigningString(request, true, out _, out _);
                var result = signature.Verify(request, RsaPublic, TestKeys.Now, HttpSignatureVerificationPolicy.SignatureOnly);
                Assert.False(result.IsValid);
                Assert.False(string.IsNullOrWhiteSpace(result.Failure));
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
            }
        }, iter: 3000);
    }

    [Fact]
    public void Digest_headers_never_throw()
    {
        var body = "{\"hello\": \"world\"}"u8.ToArray();
        Gen.OneOf(Noise, Damaged("SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", "sha-512=abc, SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=")).Sample(value =>
        {
            var result = DigestHeader.Verify(value, body);
            Assert.True(result.IsValid || !string.IsNullOrWhiteSpace(result.Failure));
        }, iter: 3000);
    }

    [Fact]
    public void Content_digest_headers_never_throw()
    {
        var body = "{\"hello\": \"world\"}"u8.ToArray();
        Gen.OneOf(Noise, Damaged("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", "sha-512=:AAAA:, sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:")).Sample(value =>
        {
            var result = ContentDigestHeader.Verify(value, body);
            Assert.True(result.IsValid || !string.IsNullOrWhiteSpace(result.Failure));
        }, iter: 3000);
    }

    [Fact]
    public void Structured_field_parsers_never_throw_and_round_trip_what_they_accept()
    {
        Gen.OneOf(Noise, Damaged("a=1, b=2;x=1;y=2, c=(a b c), d", "(\"@method\";req);created=1;keyid=\"k\"", "1.5, -3, \"s\\\"t\", :YQ==:, ?0, tok/en:x")).Sample(value =>
        {
            if (StructuredFieldParser.TryParseDictionary(value, out var dictionary, out _))
            {
                var text = StructuredFieldSerializer.Serialize(dictionary);
                Assert.True(StructuredFieldParser.TryParseDictionary(text, out var again, out var error), error);
                Assert.Equal(text, StructuredFieldSerializer.Serialize(again));
            }

            if (StructuredFieldParser.TryParseList(value, out var list, out _))
            {
                var text = StructuredFieldSerializer.Serialize(list);
                Assert.True(StructuredFieldParser.TryParseList(text, out var again, out var error), error);
                Assert.Equal(text, StructuredFieldSerializer.Serialize(again));
            }

            _ = StructuredFieldParser.TryParseItem(value, out _, out _);
        }, iter: 5000);
    }

    [Fact]
    public void Pem_import_never_throws_on_garbage()
    {
        var pem = TestKeys.RsaPublicPem();
        Gen.OneOf(Noise, Damaged(pem, "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\n-----END PUBLIC KEY-----")).Sample(value =>
        {
            if (HttpSignatureKey.TryImportPem(value, out var key, out var error))
            {
                key.Dispose();
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
            }
        }, iter: 2000);
    }
}
