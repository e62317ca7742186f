using System.Security.Cryptography;
using System.Text;
using ChatonsFed.Protocol.Keys;

namespace ChatonsFed.Protocol.Tests.Keys;

public class KeyPairTests
{
    [Fact]
    public void A_generated_Ed25519_key_signs_and_verifies()
    {
        using var pair = Ed25519KeyPair.Generate();
        var data = Encoding.UTF8.GetBytes("chatons");
        var signature = pair.Sign(data);
        Assert.Equal(Ed25519PublicKey.SignatureLength, signature.Length);
        Assert.True(pair.PublicKey.Verify(data, signature));
        signature[5] ^= 1;
        Assert.False(pair.PublicKey.Verify(data, signature));
        Assert.False(pair.PublicKey.Verify(data, signature.AsSpan(0, 63)));
    }

    [Fact]
    public void The_seed_cannot_be_read_unless_export_was_allowed()
    {
        using var locked = Ed25519KeyPair.Generate();
        Assert.False(locked.CanExportSeed);
        Assert.Throws<InvalidOperationException>(() => locked.ExportSeed());

        using var open = Ed25519KeyPair.Generate(allowSeedExport: true);
        Assert.True(open.CanExportSeed);
        using var again = Ed25519KeyPair.FromSeed(open.ExportSeed());
        Assert.Equal(open.PublicKey, again.PublicKey);
        Assert.False(again.CanExportSeed);
        using var fromMultibase = Ed25519KeyPair.FromMultibaseSeed(open.ExportSeedMultibase());
        Assert.Equal(open.PublicKey, fromMultibase.PublicKey);
    }

    [Fact]
    public void A_seed_of_the_wrong_length_is_rejected()
    {
        var e = Assert.Throws<ProtocolFormatException>(() => Ed25519KeyPair.FromSeed(new byte[31]));
        Assert.Contains("32 bytes, this one is 31", e.Message);
        Assert.False(Ed25519KeyPair.TryFromMultibaseSeed("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", out _, out var error));
        Assert.Contains("ed25519-pub key where a ed25519-priv key is expected", error);
    }

    [Fact]
    public void The_example_actor_keys_are_readable()
    {
        var actor = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RepositoryFiles.ExampleChaton("actor.json")))!;
        using var rsa = RsaPublicKey.FromPem(actor["publicKey"]!["publicKeyPem"]!.GetValue<string>());
        Assert.Equal(2048, rsa.KeySizeInBits);
        var ed = Ed25519PublicKey.FromMultibase(actor["assertionMethod"]![0]!["publicKeyMultibase"]!.GetValue<string>());
        Assert.Equal(32, ed.RawBytes.Length);
    }

    [Fact]
    public void An_RSA_key_pair_round_trips_through_PEM_and_Multikey()
    {
        using var pair = RsaKeyPair.Generate();
        var privatePem = pair.ExportPkcs8Pem();
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", privatePem);
        using var reread = RsaKeyPair.FromPkcs8Pem(privatePem);

        var publicPem = pair.PublicKey.ToPem();
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", publicPem);
        Assert.Equal(publicPem, reread.PublicKey.ToPem());

        using var fromPem = RsaPublicKey.FromPem(publicPem);
        using var fromMultikey = RsaPublicKey.FromMultibase(pair.PublicKey.ToMultibase());
        Assert.Equal(publicPem, fromMultikey.ToPem());

        var data = Encoding.UTF8.GetBytes("chatons");
        var signature = reread.Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.True(fromPem.Rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Bad_PEM_input_is_rejected_with_the_reason()
    {
        using var pair = RsaKeyPair.Generate();
        Assert.False(RsaPublicKey.TryFromPem(pair.ExportPkcs8Pem(), out _, out var error));
        Assert.Contains("\"PRIVATE KEY\"", error);
        Assert.False(RsaKeyPair.TryFromPkcs8Pem(pair.PublicKey.ToPem(), out _, out error));
        Assert.Contains("\"PUBLIC KEY\"", error);
        Assert.False(RsaPublicKey.TryFromPem("not a key", out _, out error));
        Assert.Contains("no PEM block", error);
        Assert.False(RsaPublicKey.TryFromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", out _, out error));
        Assert.Contains("not an RSA public key", error);
        Assert.Throws<ProtocolFormatException>(() => RsaPublicKey.FromPem(""));
    }

    [Fact]
    public void An_EC_public_key_in_SPKI_PEM_is_not_taken_for_RSA()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.False(RsaPublicKey.TryFromPem(ec.ExportSubjectPublicKeyInfoPem(), out _, out var error));
        Assert.Contains("not an RSA public key", error);
    }
}
