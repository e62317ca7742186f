using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Protocol.Tests.HttpSignatures;

/// <summary>Every signature, component and digest example of the shared RFC 9421 / RFC 9530 vector file.</summary>
public class Rfc9421VectorTests
{
    public static TheoryData<string> SignatureCases()
    {
        var data = new TheoryData<string>();
        foreach (var item in VectorMessages.Rfc9421Vectors["signature_cases"]!.AsArray())
        {
            data.Add((string)item!["name"]!);
        }

        return data;
    }

    [Fact]
    public void The_vector_file_has_the_expected_cases()
    {
        Assert.Equal(14, SignatureCases().Count);
    }

    [Theory]
    [MemberData(nameof(SignatureCases))]
    public void Signature_base_is_rebuilt_byte_for_byte(string name)
    {
        var (vector, request, response) = Load(name);
        var signature = ParseSignature(vector, request, response);
        Assert.Equal((string)vector["signature_params_value"]!, signature.SignatureParameters.ToString());

        string? signatureBase;
        string? error;
        var built = response is null
            ? SignatureBase.TryCreate(request!, signature.SignatureParameters, out signatureBase, out error)
            : SignatureBase.TryCreate(response, signature.SignatureParameters, out signatureBase, out error);
        Assert.True(built, error);
        Assert.Equal((string)vector["signature_base"]!, signatureBase);
    }

    [Theory]
    [MemberData(nameof(SignatureCases))]
    public void Published_signature_verifies(string name)
    {
        var (vector, request, response) = Load(name);
        Assert.True((bool)vector["verified_here"]!);
        var signature = ParseSignature(vector, request, response);
        Assert.Equal((string)vector["signature_b64"]!, Convert.ToBase64String(signature.Signature.Span));
        using var key = VectorMessages.Rfc9421PublicKey((string)vector["keyid"]!);
        var now = DateTimeOffset.FromUnixTimeSeconds(signature.Created!.Value);

        var result = Verify(signature, request, response, key, now);

        Assert.True(result.IsValid, result.Failure);
    }

    [Theory]
    [MemberData(nameof(SignatureCases))]
    public void Published_signature_fails_when_one_bit_changes(string name)
    {
        var (vector, request, response) = Load(name);
        var headers = response?.Headers ?? request!.Headers;
        var label = (string)vector["label"]!;
        var bytes = Convert.FromBase64String((string)vector["signature_b64"]!);
        bytes[bytes.Length / 2] ^= 0x01;
        var signatureValue = headers.GetCombinedValue("Signature")!;
        headers.Set("Signature", signatureValue.Replace((string)vector["signature_b64"]!, Convert.ToBase64String(bytes), StringComparison.Ordinal));
        Assert.True(MessageSignature.TryParse(headers, label, out var signature, out var error), error);
        using var key = VectorMessages.Rfc9421PublicKey((string)vector["keyid"]!);

        var result = Verify(signature, request, response, key, DateTimeOffset.FromUnixTimeSeconds(signature.Created!.Value));

        Assert.False(result.IsValid);
        Assert.Equal("signature does not match", result.Failure);
    }

    [Theory]
    [MemberData(nameof(SignatureCases))]
    public void Deterministic_signatures_are_reproduced_exactly(string name)
    {
        var (vector, request, response) = Load(name);
        var signature = ParseSignature(vector, request, response);
        using var privateKey = VectorMessages.Rfc9421PrivateKey((string)vector["keyid"]!);
        var signatureBase = Encoding.UTF8.GetBytes((string)vector["signature_base"]!);
        var produced = privateKey.Sign(privateKey.DefaultAlgorithm, signatureBase);

        using var publicKey = VectorMessages.Rfc9421PublicKey((string)vector["keyid"]!);
        Assert.True(publicKey.Verify(publicKey.DefaultAlgorithm, signatureBase, produced), "a fresh signature verifies with the public key");
        if ((bool)vector["deterministic"]!)
        {
            Assert.Equal((string)vector["signature_b64"]!, Convert.ToBase64String(produced));

            // The signer writes the same Signature-Input and Signature as the vector.
            var fresh = response is null
                ? VectorMessages.ParseRequest((string)vector["message"]!)
                : null;
            if (fresh is not null)
            {
                fresh.Headers.Remove("Signature-Input");
                fresh.Headers.Remove("Signature");
                var parameters = signature.SignatureParameters.Parameters;
                parameters.TryGetValue("expires", out var expires);
                var added = MessageSignature.Sign(fresh, privateKey, new MessageSignatureParameters
                {
                    Label = signature.Label,
                    Components = signature.CoveredComponents,
                    KeyId = signature.KeyId,
                    Created = DateTimeOffset.FromUnixTimeSeconds(signature.Created!.Value),
                    Expires = signature.Expires is { } e ? DateTimeOffset.FromUnixTimeSeconds(e) : null,
                    IncludeAlgorithm = signature.Algorithm is not null,
                });
                Assert.Equal($"{signature.Label}={vector["signature_params_value"]}", added[0].Value);
                Assert.Equal($"{signature.Label}=:{vector["signature_b64"]}:", added[1].Value);
            }
        }
    }

    [Fact]
    public void Transformed_messages_verify_as_the_vector_file_says()
    {
        var vector = FindCase("B.4 HTTP Message Transformations (original message)");
        using var key = VectorMessages.Rfc9421PublicKey("test-key-ed25519");
        var variants = vector["transformed_variants"]!.AsArray();
        Assert.Equal(5, variants.Count);
        foreach (var variant in variants)
        {
            var request = VectorMessages.ParseRequest((string)variant!["message"]!);
            Assert.True(MessageSignature.TryParse(request.Headers, "transform", out var signature, out var error), error);
            var result = signature.Verify(request, key, DateTimeOffset.FromUnixTimeSeconds(1618884473), HttpSignatureVerificationPolicy.SignatureOnly);
            Assert.True((bool)variant["expected_valid"]! == result.IsValid, $"{variant["description"]}: {result}");
        }
    }

    [Fact]
    public void Proxy_message_carries_two_signatures_that_both_verify()
    {
        var vector = FindCase("4.3 proxy signature (proxy_sig) rsa-v1_5-sha256");
        var request = VectorMessages.ParseRequest((string)vector["message"]!);
        Assert.True(MessageSignature.TryParseAll(request.Headers, out var all, out var error), error);
        Assert.Equal(["sig1", "proxy_sig"], all.Select(s => s.Label));

        using var rsa = VectorMessages.Rfc9421PublicKey("test-key-rsa");
        var proxy = all[1];
        Assert.Equal("rsa-v1_5-sha256", proxy.Algorithm);
        Assert.True(proxy.Verify(request, rsa, DateTimeOffset.FromUnixTimeSeconds(1618884480), HttpSignatureVerificationPolicy.SignatureOnly).IsValid);

        // The client's signature named the original authority, which the proxy rewrote.
        using var ec = VectorMessages.Rfc9421PublicKey("test-key-ecc-p256");
        var rewritten = all[0].Verify(request, ec, DateTimeOffset.FromUnixTimeSeconds(1618884475), HttpSignatureVerificationPolicy.SignatureOnly);
        Assert.Equal("signature does not match", rewritten.Failure);

        // proxy_sig expires one minute after it was created.
        var late = proxy.Verify(request, rsa, DateTimeOffset.FromUnixTimeSeconds(1618884541), HttpSignatureVerificationPolicy.SignatureOnly);
        Assert.Equal("signature expired 1 second ago", late.Failure);
    }

    public static TheoryData<int> ComponentExamples()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < VectorMessages.Rfc9421Vectors["component_examples"]!.AsArray().Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ComponentExamples))]
    public void Component_example_values_match(int index)
    {
        var example = VectorMessages.Rfc9421Vectors["component_examples"]![index]!;
        var topic = (string)example["topic"]!;
        var expected = (string)example["expected_lines"]!;
        var message = (string?)example["message"];

        if (message is null)
        {
            // The @signature-params example: parsing and re-serializing keeps it byte for byte.
            Assert.True(StructuredFieldParser.TryParseList(expected, out var list, out var error), error);
            Assert.Equal(expected, StructuredFieldSerializer.Serialize(list));
            return;
        }

        var context = BuildContext(topic, message);
        foreach (var line in expected.Split('\n'))
        {
            var separator = FindSeparator(line);
            var identifier = line[..separator];
            var value = line[(separator + 2)..];
            var component = SignatureComponent.Parse(identifier).Single();
            if (component.Parameters.ContainsKey("tr"))
            {
                // Trailers are not supported: the component is refused with a reason instead of being guessed.
                Assert.False(SignatureBase.TryGetComponentValue(context, component, out _, out var trError));
                Assert.Contains("trailer", trError, StringComparison.Ordinal);
                continue;
            }

            Assert.True(SignatureBase.TryGetComponentValue(context, component, out var actual, out var componentError), $"{topic}: {componentError}");
            Assert.Equal(value, actual);
        }

        if (example["wrong_if_combined_first"] is { } wrong)
        {
            Assert.DoesNotContain((string)wrong!, expected, StringComparison.Ordinal);
        }
    }

    public static TheoryData<int> ContentDigestExamples()
    {
        var data = new TheoryData<int>();
        var examples = VectorMessages.Rfc9421Vectors["content_digest_examples"]!.AsArray();
        for (var i = 0; i < examples.Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ContentDigestExamples))]
    public void Content_digest_examples_verify(int index)
    {
        var example = VectorMessages.Rfc9421Vectors["content_digest_examples"]![index]!;
        if (example["body_utf8"] is null)
        {
            // The multi-algorithm example hashes a Brotli body the file cannot reproduce: it says not to use it.
            Assert.Contains("do not use as a vector", (string)example["note"]!, StringComparison.Ordinal);
            Assert.True(StructuredFieldParser.TryParseDictionary(((string)example["header"]!)["Content-Digest: ".Length..], out var dictionary, out _));
            Assert.Equal(["sha-256", "sha-512"], dictionary.Select(m => m.Key));
            return;
        }

        var body = Encoding.UTF8.GetBytes((string)example["body_utf8"]!);
        var headers = example["headers"] is { } list
            ? list.AsArray().Select(h => (string)h!).ToList()
            : [(string)example["header"]!];
        var contentDigest = headers.FirstOrDefault(h => h.StartsWith("Content-Digest: ", StringComparison.Ordinal));

        // Repr-Digest is of the whole representation; it equals the body's digest only when the body is all of it.
        var value = contentDigest?["Content-Digest: ".Length..] ?? headers.Single()["Repr-Digest: ".Length..];
        var result = ContentDigestHeader.Verify(value, body);
        Assert.True(result.IsValid, result.Failure);
        var algorithm = value.StartsWith("sha-512", StringComparison.Ordinal) ? DigestAlgorithm.Sha512 : DigestAlgorithm.Sha256;
        Assert.Equal(value, ContentDigestHeader.Compute(body, algorithm));
    }

    [Fact]
    public void Response_content_digest_as_in_the_draft_source_is_rejected()
    {
        // The file says the draft's test-response digest (JlEy2bfU…) does not match its body; the corrected one does.
        var wrong = VectorMessages.ParseResponse((string)VectorMessages.Rfc9421Vectors["test_response_as_in_source"]!);
        var right = VectorMessages.ParseResponse((string)VectorMessages.Rfc9421Vectors["test_response"]!);
        Assert.Equal("digest does not match body", ContentDigestHeader.Verify(wrong.Headers.GetCombinedValue("content-digest"), wrong.Body.Span).Failure);
        Assert.True(ContentDigestHeader.Verify(right.Headers.GetCombinedValue("content-digest"), right.Body.Span).IsValid);
    }

    private static int FindSeparator(string line)
    {
        // The identifier ends at the first ": " outside a quoted string.
        var inString = false;
        for (var i = 0; i < line.Length - 1; i++)
        {
            if (line[i] == '"' && (i == 0 || line[i - 1] != '\\'))
            {
                inString = !inString;
            }
            else if (!inString && line[i] == ':' && line[i + 1] == ' ')
            {
                return i;
            }
        }

        throw new InvalidOperationException($"no separator in {line}");
    }

    private static MessageContext BuildContext(string topic, string message)
    {
        if (message.StartsWith("HTTP/", StringComparison.Ordinal))
        {
            // The trailer example's body and trailer section are not modelled; its fields before the body are enough.
            return new MessageContext(null, VectorMessages.ParseResponse(message.Split("\n\n")[0]), null);
        }

        var scheme = topic.Contains("plain HTTP", StringComparison.Ordinal) ? "http" : "https";
        if (message == "(request without query)")
        {
            return new MessageContext(new HttpRequestSnapshot("GET", "https://www.example.com/path"), null, null);
        }

        if (message.Contains(" HTTP/1.1", StringComparison.Ordinal))
        {
            return new MessageContext(VectorMessages.ParseRequest(message, scheme), null, null);
        }

        var headerText = message.StartsWith("X-Empty-Header:", StringComparison.Ordinal) ? "X-Empty-Header:" : message;
        return new MessageContext(new HttpRequestSnapshot("GET", "https://www.example.com/", VectorMessages.ParseHeaderLines(headerText)), null, null);
    }

    private static VerificationResult Verify(MessageSignature signature, HttpRequestSnapshot? request, HttpResponseSnapshot? response, HttpSignatureKey key, DateTimeOffset now) =>
        response is null
            ? signature.Verify(request!, key, now, HttpSignatureVerificationPolicy.SignatureOnly)
            : signature.Verify(response, key, now);

    private static MessageSignature ParseSignature(JsonNode vector, HttpRequestSnapshot? request, HttpResponseSnapshot? response)
    {
        var headers = response?.Headers ?? request!.Headers;
        Assert.True(MessageSignature.TryParse(headers, (string)vector["label"]!, out var signature, out var error), error);
        return signature;
    }

    internal static JsonNode FindCase(string name) =>
        VectorMessages.Rfc9421Vectors["signature_cases"]!.AsArray().Single(c => (string)c!["name"]! == name)!;

    private static (JsonNode Vector, HttpRequestSnapshot? Request, HttpResponseSnapshot? Response) Load(string name)
    {
        var vector = FindCase(name);
        var message = (string)vector["message"]!;
        if (message.StartsWith("HTTP/", StringComparison.Ordinal))
        {
            var request = VectorMessages.ParseRequest((string)VectorMessages.Rfc9421Vectors["test_request"]!);
            var response = VectorMessages.ParseResponse(message, request);
            VectorMessages.AddSignatureHeaders(response.Headers, (string)vector["signature_headers"]!);
            return (vector, null, response);
        }

        var parsed = VectorMessages.ParseRequest(message);
        VectorMessages.AddSignatureHeaders(parsed.Headers, (string)vector["signature_headers"]!);
        return (vector, parsed, null);
    }
}
