using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Protocol.Tests.HttpSignatures;

public class StructuredFieldTests
{
    [Theory]
    [InlineData("a=1,    b=2;x=1;y=2,   c=(a   b   c)", "a=1, b=2;x=1;y=2, c=(a b c)")]
    [InlineData("a=1, b=2;x=1;y=2, c=(a   b    c), d", "a=1, b=2;x=1;y=2, c=(a b c), d")]
    [InlineData("a=?0, b, c;foo=bar", "a=?0, b, c;foo=bar")]
    [InlineData("a=1, a=2, b", "a=2, b")]
    [InlineData("d=1.50, e=-0.005, f=123456789012.1", "d=1.5, e=-0.005, f=123456789012.1")]
    [InlineData("s=\"a \\\"quoted\\\" \\\\ string\"", "s=\"a \\\"quoted\\\" \\\\ string\"")]
    [InlineData("b=:cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:", "b=:cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:")]
    [InlineData("t=foo/bar:baz*", "t=foo/bar:baz*")]
    [InlineData("b=:YQ:", "b=:YQ==:")]
    [InlineData("", "")]
    [InlineData("  a=1  ", "a=1")]
    public void Dictionaries_parse_and_serialize_canonically(string input, string canonical)
    {
        Assert.True(StructuredFieldParser.TryParseDictionary(input, out var dictionary, out var error), error);
        Assert.Equal(canonical, StructuredFieldSerializer.Serialize(dictionary));
    }

    [Fact]
    public void Bare_items_have_their_types()
    {
        Assert.True(StructuredFieldParser.TryParseDictionary("i=-42, d=2.5, s=\"x\", t=tok, b=:YQ==:, y=?1, p=(1 2);q", out var d, out _));
        Assert.Equal(-42, ((StructuredItem)d[0].Value).Value.AsInteger);
        Assert.Equal(2.5m, ((StructuredItem)d[1].Value).Value.AsDecimal);
        Assert.Equal(BareItemKind.String, ((StructuredItem)d[2].Value).Value.Kind);
        Assert.Equal(BareItemKind.Token, ((StructuredItem)d[3].Value).Value.Kind);
        Assert.Equal("a"u8.ToArray(), ((StructuredItem)d[4].Value).Value.AsBytes.ToArray());
        Assert.True(((StructuredItem)d[5].Value).Value.AsBoolean);
        var inner = Assert.IsType<InnerList>(d[6].Value);
        Assert.Equal(2, inner.Items.Count);
        Assert.True(inner.Parameters.TryGetValue("q", out var q) && q.AsBoolean);
    }

    [Fact]
    public void Lists_and_items_parse()
    {
        Assert.True(StructuredFieldParser.TryParseList("\"@method\";req, (a b);x=1, 5", out var list, out var error), error);
        Assert.Equal("\"@method\";req, (a b);x=1, 5", StructuredFieldSerializer.Serialize(list));
        Assert.True(StructuredFieldParser.TryParseItem(" ?0;a=\"b\" ", out var item, out error), error);
        Assert.Equal("?0;a=\"b\"", item.ToString());
    }

    [Theory]
    [InlineData("a=", "expected an item but the value ended at position 2")]
    [InlineData("a=\"unterminated", "string is not closed at position 15")]
    [InlineData("a=1.2345", "a decimal needs 1 to 3 fraction digits at position 8")]
    [InlineData("a=1,", "trailing ',' at position 4")]
    [InlineData("a=(1 2", "inner list is not closed at position 6")]
    [InlineData("a=?2", "a boolean must be ?0 or ?1 at position 3")]
    [InlineData("A=1", "a key cannot start with 'A' at position 0")]
    [InlineData("a=1234567890123456", "an integer has at most 15 digits at position 18")]
    [InlineData("a=\"caf\u00e9\"", "a string may only hold printable ASCII at position 7")]
    [InlineData("a=\"\\n\"", "'\\n' is not a valid escape in a string at position 4")]
    [InlineData("a=:Y:", "byte sequence is not valid base64 at position 5")]
    [InlineData("a=1 b=2", "expected ',' but found 'b' at position 4")]
    [InlineData("a=-", "a number needs a digit at position 3")]
    public void Malformed_dictionaries_are_refused_with_a_reason(string input, string reason)
    {
        Assert.False(StructuredFieldParser.TryParseDictionary(input, out _, out var error));
        Assert.Equal(reason, error);
    }

    [Fact]
    public void Serializer_rounds_decimals_to_three_places()
    {
        Assert.Equal("1.234", StructuredFieldSerializer.Serialize(BareItem.Decimal(1.2344m)));
        Assert.Equal("0.002", StructuredFieldSerializer.Serialize(BareItem.Decimal(0.0025m)));
        Assert.Equal("3.0", StructuredFieldSerializer.Serialize(BareItem.Decimal(3m)));
    }
}

public class DigestTests
{
    private static readonly byte[] Body = "{\"hello\": \"world\"}"u8.ToArray();

    [Fact]
    public void Digest_is_computed_and_checked_for_both_algorithms()
    {
        Assert.Equal("SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", DigestHeader.Compute(Body));
        var sha512 = DigestHeader.Compute(Body, DigestAlgorithm.Sha512);
        Assert.StartsWith("SHA-512=", sha512, StringComparison.Ordinal);
        Assert.True(DigestHeader.Verify(sha512, Body).IsValid);
    }

    [Theory]
    [InlineData("sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=")]
    [InlineData("Sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=")]
    [InlineData("MD5=abc, SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=")]
    public void Digest_algorithm_names_compare_case_insensitively(string header) =>
        Assert.True(DigestHeader.Verify(header, Body).IsValid);

    [Theory]
    [InlineData(null, "Digest header is missing")]
    [InlineData("SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "digest does not match body")]
    [InlineData("MD5=Sd/dVLAcvNLSq16eXua5uQ==", "unsupported digest algorithm 'MD5'")]
    [InlineData("SHA-256", "Digest header is malformed: 'SHA-256' is not ALGORITHM=VALUE")]
    [InlineData("SHA-256=not base64!", "Digest header is malformed: the SHA-256 value is not valid base64")]
    [InlineData("SHA-256=YQ==", "Digest header is malformed: the SHA-256 value is 1 bytes, not 32")]
    [InlineData(" , ", "Digest header is malformed: it lists no digest")]
    public void Digest_failures_have_reasons(string? header, string reason) =>
        Assert.Equal(reason, DigestHeader.Verify(header, Body).Failure);

    [Theory]
    [InlineData(null, "Content-Digest header is missing")]
    [InlineData("sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:", "digest does not match body")]
    [InlineData("md5=:Sd/dVLAcvNLSq16eXua5uQ==:", "unsupported digest algorithm 'md5'")]
    [InlineData("sha-256=X48E9q", "Content-Digest header is malformed: the sha-256 value is not a byte sequence")]
    [InlineData("sha-256=:YQ==:", "Content-Digest header is malformed: the sha-256 value is 1 bytes, not 32")]
    [InlineData("SHA-256=:YQ==:", "Content-Digest header is malformed: a key cannot start with 'S' at position 0")]
    public void Content_digest_failures_have_reasons(string? header, string reason) =>
        Assert.Equal(reason, ContentDigestHeader.Verify(header, Body).Failure);

    [Fact]
    public void Content_digest_checks_every_supported_member()
    {
        var both = ContentDigestHeader.Compute(Body) + ", " + ContentDigestHeader.Compute(Body, DigestAlgorithm.Sha512);
        Assert.True(ContentDigestHeader.Verify(both, Body).IsValid);
        var oneWrong = ContentDigestHeader.Compute(Body) + ", " + ContentDigestHeader.Compute("x"u8, DigestAlgorithm.Sha512);
        Assert.Equal("digest does not match body", ContentDigestHeader.Verify(oneWrong, Body).Failure);
    }
}

public class HttpSignatureKeyTests
{
    private static string KeyPem(string id, string field) => (string)VectorMessages.Rfc9421Vectors["keys"]![id]![field]!;

    [Theory]
    [InlineData("test-key-rsa", "public_pem_pkcs1", HttpSignatureKeyType.Rsa, false)]
    [InlineData("test-key-rsa", "private_pem_pkcs1", HttpSignatureKeyType.Rsa, true)]
    [InlineData("test-key-rsa-pss", "public_pem_spki", HttpSignatureKeyType.Rsa, false)]
    [InlineData("test-key-rsa-pss", "private_pem_pkcs8", HttpSignatureKeyType.Rsa, true)]
    [InlineData("test-key-ecc-p256", "public_pem_spki", HttpSignatureKeyType.EcdsaP256, false)]
    [InlineData("test-key-ecc-p256", "private_pem_sec1", HttpSignatureKeyType.EcdsaP256, true)]
    [InlineData("test-key-ed25519", "public_pem_spki", HttpSignatureKeyType.Ed25519, false)]
    [InlineData("test-key-ed25519", "private_pem_pkcs8", HttpSignatureKeyType.Ed25519, true)]
    public void Pem_keys_of_every_encoding_import(string id, string field, HttpSignatureKeyType type, bool canSign)
    {
        Assert.True(HttpSignatureKey.TryImportPem(KeyPem(id, field), out var key, out var error), error);
        using (key)
        {
            Assert.Equal(type, key.KeyType);
            Assert.Equal(canSign, key.CanSign);
        }
    }

    [Fact]
    public void Pss_marked_pkcs8_key_defaults_to_rsa_pss()
    {
        using var key = HttpSignatureKey.ImportPem(KeyPem("test-key-rsa-pss", "private_pem_pkcs8"));
        Assert.Equal(HttpSignatureAlgorithm.RsaPssSha512, key.DefaultAlgorithm);
        using var plain = HttpSignatureKey.ImportPem(KeyPem("test-key-rsa", "public_pem_pkcs1"));
        Assert.Equal(HttpSignatureAlgorithm.RsaV15Sha256, plain.DefaultAlgorithm);
    }

    [Fact]
    public void Raw_ed25519_keys_sign_like_the_vector()
    {
        var keys = VectorMessages.Rfc9421Vectors["keys"]!["test-key-ed25519"]!;
        using var privateKey = HttpSignatureKey.FromEd25519PrivateSeed(Convert.FromHexString((string)keys["private_seed_hex"]!));
        using var publicKey = HttpSignatureKey.FromEd25519PublicKey(Convert.FromHexString((string)keys["public_raw_hex"]!));
        var vector = Rfc9421VectorTests.FindCase("B.2.6 Signing a Request using ed25519");
        var data = System.Text.Encoding.UTF8.GetBytes((string)vector["signature_base"]!);
        var signature = privateKey.Sign(HttpSignatureAlgorithm.Ed25519, data);
        Assert.Equal((string)vector["signature_b64"]!, Convert.ToBase64String(signature));
        Assert.True(publicKey.Verify(HttpSignatureAlgorithm.Ed25519, data, signature));
        Assert.False(publicKey.Verify(HttpSignatureAlgorithm.Ed25519, data, signature.AsSpan(1)));
        Assert.False(publicKey.Verify(HttpSignatureAlgorithm.RsaV15Sha256, data, signature));
    }

    [Theory]
    [InlineData("", "no PEM block found")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----", "unsupported PEM block 'CERTIFICATE'")]
    public void Bad_pem_is_refused_with_a_reason(string pem, string reason)
    {
        Assert.False(HttpSignatureKey.TryImportPem(pem, out _, out var error));
        Assert.Equal(reason, error);
    }

    [Fact]
    public void Truncated_pem_and_wrong_algorithm_are_refused()
    {
        Assert.False(HttpSignatureKey.TryImportPem("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----", out _, out var error));
        Assert.StartsWith("the PUBLIC KEY block cannot be read", error, StringComparison.Ordinal);
        Assert.False(HttpSignatureKey.TryImportPem(KeyPem("test-key-ed25519", "public_pem_spki"), out _, out error, HttpSignatureAlgorithm.RsaV15Sha256));
        Assert.Equal("an Ed25519 key cannot be used with rsa-v1_5-sha256", error);
        Assert.Throws<ProtocolFormatException>(() => HttpSignatureKey.ImportPem("nope"));
        Assert.Throws<ProtocolFormatException>(() => HttpSignatureKey.FromEd25519PublicKey(new byte[31]));
    }
}
