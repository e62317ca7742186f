using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Keys;

namespace ChatonsFed.Protocol.Tests.Keys;

/// <summary>The Multikey vectors of eddsa-jcs-2022.json and the FEP-521a vectors of fep-8b32-521a-c390.json.</summary>
public class MultikeyTests
{
    private static readonly JsonNode Eddsa = RepositoryFiles.LoadVector("eddsa-jcs-2022.json");
    private static readonly JsonNode Fep = RepositoryFiles.LoadVector("fep-8b32-521a-c390.json");

    public static TheoryData<string> KeyVectorNames() =>
        new(Eddsa["multikey_encoding"]!["vectors"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()));

    [Theory]
    [MemberData(nameof(KeyVectorNames))]
    public void Ed25519_vector_encodes_and_decodes(string name)
    {
        var vector = Eddsa["multikey_encoding"]!["vectors"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == name)!;
        var publicHex = vector["publicKeyHex"]!.GetValue<string>();
        var publicMultibase = vector["publicKeyMultibase"]!.GetValue<string>();

        var key = Ed25519PublicKey.FromMultibase(publicMultibase);
        Assert.Equal(publicHex, Convert.ToHexStringLower(key.RawBytes));
        Assert.Equal(publicMultibase, Ed25519PublicKey.FromRawBytes(Convert.FromHexString(publicHex)).ToMultibase());
        Assert.StartsWith("z6Mk", publicMultibase);

        if (vector["secretKeySeedHex"] is { } seedHex)
        {
            var secretMultibase = vector["secretKeyMultibase"]!.GetValue<string>();
            using var pair = Ed25519KeyPair.FromMultibaseSeed(secretMultibase, allowSeedExport: true);
            Assert.Equal(seedHex.GetValue<string>(), Convert.ToHexStringLower(pair.ExportSeed()));
            Assert.Equal(secretMultibase, pair.ExportSeedMultibase());
            Assert.Equal(key, pair.PublicKey);
            Assert.StartsWith("z3u2", secretMultibase);
        }
    }

    [Fact]
    public void Decoded_headers_match_the_vector()
    {
        var keys = Eddsa["keys"]!;
        var pub = Multikey.Decode(keys["publicKeyMultibase"]!.GetValue<string>());
        Assert.Equal(Multicodec.Ed25519Public, pub.Codec);
        Assert.Equal(keys["publicKeyMultibase_decoded_hex"]!.GetValue<string>(), "ed01" + Convert.ToHexStringLower(pub.KeyMaterial));
        var secret = Multikey.Decode(keys["secretKeyMultibase"]!.GetValue<string>());
        Assert.Equal(Multicodec.Ed25519Private, secret.Codec);
        Assert.Equal(keys["secretKeyMultibase_decoded_hex"]!.GetValue<string>(), "8026" + Convert.ToHexStringLower(secret.KeyMaterial));
    }

    [Fact]
    public void FEP_521a_Ed25519_vector()
    {
        var vector = Fep["fep_521a"]!["vectors"]![0]!;
        var key = Ed25519PublicKey.FromRawBytes(Convert.FromHexString(vector["publicKeyHex"]!.GetValue<string>()));
        Assert.Equal(vector["expected_multikey"]!["publicKeyMultibase"]!.GetValue<string>(), key.ToMultibase());
    }

    [Fact]
    public void FEP_521a_RSA_vector()
    {
        var vector = Fep["fep_521a"]!["vectors"]![1]!;
        var der = Convert.FromHexString(vector["publicKeyPkcs1DerHex"]!.GetValue<string>());
        var expected = vector["expected_multikey"]!["publicKeyMultibase"]!.GetValue<string>();

        Assert.Equal(expected, Multikey.Encode(Multicodec.RsaPublic, der));
        using var key = RsaPublicKey.FromMultibase(expected);
        Assert.Equal(2048, key.KeySizeInBits);
        Assert.Equal(der, key.ExportPkcs1Der());
        Assert.Equal(expected, key.ToMultibase());
        Assert.StartsWith("z4MX", expected);

        var decoded = Multikey.Decode(expected);
        Assert.Equal(Multicodec.RsaPublic, decoded.Codec);
        Assert.Equal("rsa-pub", decoded.CodecName);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("z", "no data")]
    [InlineData("u7QGwDY2Tjn93PVFWWq02piP1NE9_XRlg-c8-jhJiDqKBDw", "'u' (base64url)")]
    [InlineData("f ed01", "'f' (base16)")]
    [InlineData("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ0", "'0' at position 47")]
    [InlineData("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq", "ed25519-priv key where a ed25519-pub key is expected")]
    [InlineData("zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169", "p256-pub key where a ed25519-pub key is expected")]
    public void Bad_Ed25519_public_keys_are_rejected_with_the_reason(string value, string reason)
    {
        Assert.False(Ed25519PublicKey.TryFromMultibase(value, out var key, out var error));
        Assert.Null(key);
        Assert.Contains(reason, error);
        var e = Assert.Throws<ProtocolFormatException>(() => Ed25519PublicKey.FromMultibase(value));
        Assert.Equal(error, e.Message);
    }

    [Fact]
    public void A_key_of_the_wrong_length_is_rejected()
    {
        Assert.False(Ed25519PublicKey.TryFromMultibase(Multikey.Encode(Multicodec.Ed25519Public, new byte[31]), out _, out var error));
        Assert.Contains("is 32 bytes, this one is 31", error);
        Assert.False(Ed25519PublicKey.TryFromMultibase(Multikey.Encode(Multicodec.Ed25519Public, new byte[33]), out _, out error));
        Assert.Contains("is 32 bytes, this one is 33", error);
    }

    [Fact]
    public void A_missing_value_is_rejected()
    {
        Assert.False(Ed25519PublicKey.TryFromMultibase(null, out _, out var error));
        Assert.Contains("missing", error);
    }

    [Fact]
    public void A_non_minimal_or_truncated_varint_header_is_rejected()
    {
        Assert.False(Multikey.TryDecode(Multibase.EncodeBase58Btc([0xed, 0x81, 0x00, 1, 2]), out _, out var error));
        Assert.Contains("not minimally encoded", error);
        Assert.False(Multikey.TryDecode(Multibase.EncodeBase58Btc([0x80, 0x80]), out _, out error));
        Assert.Contains("truncated", error);
    }

    [Fact]
    public void An_overlong_value_is_refused_before_decoding()
    {
        Assert.False(Multikey.TryDecode("z" + new string('2', Multikey.MaxEncodedLength), out _, out var error));
        Assert.Contains("more than the", error);
    }

    [Fact]
    public void An_RSA_Multikey_is_not_an_Ed25519_key_and_vice_versa()
    {
        var rsa = Fep["fep_521a"]!["vectors"]![1]!["expected_multikey"]!["publicKeyMultibase"]!.GetValue<string>();
        Assert.False(Ed25519PublicKey.TryFromMultibase(rsa, out _, out var error));
        Assert.Contains("rsa-pub", error);
        Assert.False(RsaPublicKey.TryFromMultibase("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", out _, out error));
        Assert.Contains("ed25519-pub key where a rsa-pub key is expected", error);
    }

    [Fact]
    public void Varints_round_trip()
    {
        Span<byte> buffer = stackalloc byte[Multicodec.MaxVarintLength];
        foreach (var (code, hex) in new[] { (Multicodec.Ed25519Public, "ed01"), (Multicodec.Ed25519Private, "8026"), (Multicodec.RsaPublic, "8524"), (1UL, "01"), (0x7fUL, "7f") })
        {
            var length = Multicodec.WriteVarint(code, buffer);
            Assert.Equal(hex, Convert.ToHexStringLower(buffer[..length]));
            Assert.True(Multicodec.TryReadVarint(buffer[..length], out var read, out var readLength, out _));
            Assert.Equal((code, length), (read, readLength));
        }
    }
}
