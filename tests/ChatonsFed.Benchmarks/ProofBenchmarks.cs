using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using ChatonsFed.Protocol;
using ChatonsFed.Protocol.Json;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Benchmarks;

/// <summary>eddsa-jcs-2022 proof creation and verification of a 2 KB actor, beside the raw Ed25519 operations on the same bytes.</summary>
[MemoryDiagnoser]
public class ProofBenchmarks
{
    private Ed25519KeyPair _key = null!;
    private JsonObject _unsigned = null!;
    private JsonObject _signed = null!;
    private byte[] _hashData = null!;
    private byte[] _signature = null!;
    private ProofSigner _signer = null!;
    private DateTimeOffset _created;

    [GlobalSetup]
    public void Setup()
    {
        _key = Ed25519KeyPair.Generate();
        using var rsa = RsaKeyPair.Generate();
        _unsigned = SampleDocuments.Actor(_key.PublicKey.ToMultibase(), rsa.PublicKey.ToPem());
        _created = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        _signer = new ProofSigner(_key, SampleDocuments.ActorId + "#ed25519-key", TimeProvider.System);
        _signed = _signer.Sign(_unsigned, _created);
        _hashData = DataIntegrityProof.ComputeHashData(_signed, _signed["proof"]!.AsObject());
        _signature = _key.Sign(_hashData);
        if (!ProofVerifier.Verify(_signed, _signed).IsValid)
        {
            throw new InvalidOperationException("benchmark set-up: the signed actor does not verify");
        }

        Console.WriteLine($"// canonical actor size: {JsonCanonicalizer.Canonicalize(_unsigned).Length} bytes");
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark(Description = "raw Ed25519 sign (64-byte hashData)")]
    public byte[] RawEd25519Sign() => _key.Sign(_hashData);

    [Benchmark(Description = "proof create (JCS + SHA-256 + Ed25519)")]
    public JsonObject ProofCreate() => _signer.CreateProof(_unsigned, _created);

    [Benchmark(Baseline = true, Description = "raw Ed25519 verify (64-byte hashData)")]
    public bool RawEd25519Verify() => _key.PublicKey.Verify(_hashData, _signature);

    [Benchmark(Description = "proof verify, signature only")]
    public VerificationResult ProofVerifySignature() => ProofVerifier.VerifySignature(_signed, _key.PublicKey);

    [Benchmark(Description = "proof verify, full FEP-8b32 policy")]
    public VerificationResult ProofVerifyWithPolicy() => ProofVerifier.Verify(_signed, _signed);

    [Benchmark(Description = "JCS canonicalize only")]
    public byte[] Canonicalize() => JsonCanonicalizer.Canonicalize(_signed);

    [Benchmark(Description = "parse wire bytes + proof verify")]
    public VerificationResult ParseAndVerify() =>
        ProofVerifier.Verify(JsonNode.Parse(SignedBytes)!.AsObject(), _signed);

    private byte[] SignedBytes => _signedBytes ??= Encoding.UTF8.GetBytes(_signed.ToJsonString());

    private byte[]? _signedBytes;
}
