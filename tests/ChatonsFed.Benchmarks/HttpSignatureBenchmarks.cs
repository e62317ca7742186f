using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using ChatonsFed.Protocol;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Benchmarks;

/// <summary>Verifying a signed inbox POST (draft-cavage and RFC 9421), beside the raw RSA / Ed25519 verify of the same signature base.</summary>
[MemoryDiagnoser]
public class HttpSignatureBenchmarks
{
    private const string KeyId = "https://remote.example/users/alice#main-key";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private RSA _rsa = null!;
    private HttpSignatureKey _rsaPrivate = null!;
    private HttpSignatureKey _rsaPublic = null!;
    private HttpSignatureKey _edPrivate = null!;
    private HttpSignatureKey _edPublic = null!;
    private HttpRequestSnapshot _cavage = null!;
    private HttpRequestSnapshot _rfc9421Rsa = null!;
    private HttpRequestSnapshot _rfc9421Ed = null!;
    private byte[] _base = null!;
    private byte[] _rsaSignature = null!;
    private byte[] _edSignature = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rsa = RSA.Create(2048);
        _rsaPrivate = HttpSignatureKey.FromRsa(_rsa, hasPrivateKey: true);
        using (var pub = RSA.Create())
        {
            pub.ImportSubjectPublicKeyInfo(_rsa.ExportSubjectPublicKeyInfo(), out _);
            _rsaPublic = HttpSignatureKey.ImportPem(PemEncoding.WriteString("PUBLIC KEY", pub.ExportSubjectPublicKeyInfo()));
        }

        var seed = RandomNumberGenerator.GetBytes(32);
        _edPrivate = HttpSignatureKey.FromEd25519PrivateSeed(seed);
        using (var nsecKey = NSec.Cryptography.Key.Import(NSec.Cryptography.SignatureAlgorithm.Ed25519, seed, NSec.Cryptography.KeyBlobFormat.RawPrivateKey))
        {
            _edPublic = HttpSignatureKey.FromEd25519PublicKey(nsecKey.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey));
        }

        _cavage = NewInboxPost();
        CavageSignature.Sign(_cavage, _rsaPrivate, KeyId, Now);
        _rfc9421Rsa = NewInboxPost();
        MessageSignature.SignForFederation(_rfc9421Rsa, _rsaPrivate, KeyId, Now);
        _rfc9421Ed = NewInboxPost();
        MessageSignature.SignForFederation(_rfc9421Ed, _edPrivate, KeyId, Now);

        _base = Encoding.UTF8.GetBytes("\"@method\": POST\n\"@target-uri\": https://chaton.example/inbox\n\"@authority\": chaton.example\n\"host\": chaton.example\n\"date\": Mon, 23 Nov 2026 12:00:00 GMT\n\"content-digest\": sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:\n\"@signature-params\": (\"@method\" \"@target-uri\" \"@authority\" \"host\" \"date\" \"content-digest\");created=1795435200;keyid=\"https://remote.example/users/alice#main-key\";alg=\"rsa-v1_5-sha256\"");
        _rsaSignature = _rsaPrivate.Sign(HttpSignatureAlgorithm.RsaV15Sha256, _base);
        _edSignature = _edPrivate.Sign(HttpSignatureAlgorithm.Ed25519, _base);

        foreach (var (name, request, key) in new[] { ("cavage", _cavage, _rsaPublic), ("rfc9421-rsa", _rfc9421Rsa, _rsaPublic), ("rfc9421-ed25519", _rfc9421Ed, _edPublic) })
        {
            var result = Verify(request, key);
            if (!result.IsValid)
            {
                throw new InvalidOperationException($"benchmark set-up: {name} does not verify: {result.Failure}");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rsaPrivate.Dispose();
        _rsaPublic.Dispose();
        _edPrivate.Dispose();
        _edPublic.Dispose();
        _rsa.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw RSA-2048 PKCS#1 v1.5 verify (signature base)")]
    public bool RawRsaVerify() => _rsaPublic.Verify(HttpSignatureAlgorithm.RsaV15Sha256, _base, _rsaSignature);

    [Benchmark(Description = "draft-cavage verify (parse + digest + RSA)")]
    public VerificationResult CavageVerify() => Verify(_cavage, _rsaPublic);

    [Benchmark(Description = "RFC 9421 rsa-v1_5-sha256 verify (parse + digest + RSA)")]
    public VerificationResult Rfc9421RsaVerify() => Verify(_rfc9421Rsa, _rsaPublic);

    [Benchmark(Description = "raw Ed25519 verify (signature base)")]
    public bool RawEd25519Verify() => _edPublic.Verify(HttpSignatureAlgorithm.Ed25519, _base, _edSignature);

    [Benchmark(Description = "RFC 9421 ed25519 verify (parse + digest + Ed25519)")]
    public VerificationResult Rfc9421Ed25519Verify() => Verify(_rfc9421Ed, _edPublic);

    private static VerificationResult Verify(HttpRequestSnapshot request, HttpSignatureKey key) =>
        HttpSignatureDetector.TryParse(request, out var parsed, out var error)
            ? parsed.Verify(request, key, Now)
            : VerificationResult.Invalid(error);

    private static HttpRequestSnapshot NewInboxPost()
    {
        var body = Encoding.UTF8.GetBytes("{\"@context\":\"https://www.w3.org/ns/activitystreams\",\"id\":\"https://remote.example/follows/1\",\"type\":\"Follow\",\"actor\":\"https://remote.example/users/alice\",\"object\":\"https://chaton.example/actor\"}");
        var headers = new HeaderFields();
        headers.Add("Content-Type", "application/activity+json");
        return new HttpRequestSnapshot("POST", "https://chaton.example/inbox", headers, body);
    }
}
