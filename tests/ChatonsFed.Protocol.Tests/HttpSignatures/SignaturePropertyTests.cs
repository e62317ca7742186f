using System.Text;
using ChatonsFed.Protocol.HttpSignatures;
using CsCheck;

namespace ChatonsFed.Protocol.Tests.HttpSignatures;

/// <summary>Sign then verify holds for random requests; any one changed byte of a signed part breaks it.</summary>
public class SignaturePropertyTests
{
    private const string Alphanumeric = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private static readonly HttpSignatureKey RsaPrivate = TestKeys.PrivateKey(HttpSignatureAlgorithm.RsaV15Sha256);
    private static readonly HttpSignatureKey RsaPublic = TestKeys.PublicKey(HttpSignatureAlgorithm.RsaV15Sha256);
    private static readonly HttpSignatureKey Ed25519Private = TestKeys.PrivateKey(HttpSignatureAlgorithm.Ed25519);
    private static readonly HttpSignatureKey Ed25519Public = TestKeys.PublicKey(HttpSignatureAlgorithm.Ed25519);

    /// <summary>A random request shape: method, path, optional query, a custom header value, a body.</summary>
    internal sealed record RequestShape(string Method, string Path, string? Query, string Trace, byte[] Body)
    {
        public HttpRequestSnapshot ToSnapshot() =>
            new(Method, $"https://b.example{Path}{(Query is null ? string.Empty : "?" + Query)}", new HeaderFields { { "X-Trace", Trace } }, Body);
    }

    internal enum Part
    {
        Method,
        Path,
        Trace,
        Body,
    }

    private static readonly Gen<string> Word = Gen.String[Gen.Char[Alphanumeric], 1, 12];

    private static readonly Gen<RequestShape> Shapes =
        Gen.Select(
            Gen.Int[0, 2].Select(i => new[] { "POST", "PUT", "PATCH" }[i]),
            Word.Array[1, 4].Select(parts => "/" + string.Join('/', parts)),
            Gen.Bool.SelectMany(hasQuery => hasQuery ? Word.Select(w => (string?)("q=" + w)) : Gen.Const((string?)null)),
            Gen.String[Gen.Char[' ', '~'], 1, 40].Where(t => t.Trim().Length == t.Length),
            Gen.Byte.Array[1, 300],
            (method, path, query, trace, body) => new RequestShape(method, path, query, trace, body));

    private static readonly Gen<(RequestShape Shape, Part Part, int Position, int Shift)> Mutations =
        Gen.Select(Shapes, Gen.Enum<Part>(), Gen.Int[0, 1000], Gen.Int[1, Alphanumeric.Length - 1]);

    [Fact]
    public void Rfc9421_sign_then_verify_succeeds()
    {
        Shapes.Sample(shape =>
        {
            foreach (var (privateKey, publicKey) in new[] { (Ed25519Private, Ed25519Public), (RsaPrivate, RsaPublic) })
            {
                var request = shape.ToSnapshot();
                SignRfc9421(request, privateKey);
                var received = Receive(request, shape);
                Assert.True(HttpSignatureDetector.TryParse(received, out var signature, out var error), error);
                var result = signature.Verify(received, publicKey, TestKeys.Now);
                Assert.True(result.IsValid, result.Failure);
            }
        }, iter: 100);
    }

    [Fact]
    public void Cavage_sign_then_verify_succeeds()
    {
        Shapes.Sample(shape =>
        {
            var request = shape.ToSnapshot();
            SignCavage(request);
            var received = Receive(request, shape);
            Assert.True(HttpSignatureDetector.TryParse(received, out var signature, out var error), error);
            var result = signature.Verify(received, RsaPublic, TestKeys.Now);
            Assert.True(result.IsValid, result.Failure);
        }, iter: 100);
    }

    [Fact]
    public void Rfc9421_any_single_byte_change_of_a_signed_part_fails()
    {
        Mutations.Sample(m =>
        {
            var request = m.Shape.ToSnapshot();
            SignRfc9421(request, Ed25519Private);
            var changed = Receive(request, Mutate(m.Shape, m.Part, m.Position, m.Shift));
            Assert.True(HttpSignatureDetector.TryParse(changed, out var signature, out var error), error);
            Assert.False(signature.Verify(changed, Ed25519Public, TestKeys.Now).IsValid, $"{m.Part} changed but the signature still verifies");
        }, iter: 200);
    }

    [Fact]
    public void Cavage_any_single_byte_change_of_a_signed_part_fails()
    {
        Mutations.Sample(m =>
        {
            var request = m.Shape.ToSnapshot();
            SignCavage(request);
            var changed = Receive(request, Mutate(m.Shape, m.Part, m.Position, m.Shift));
            Assert.True(HttpSignatureDetector.TryParse(changed, out var signature, out var error), error);
            Assert.False(signature.Verify(changed, RsaPublic, TestKeys.Now).IsValid, $"{m.Part} changed but the signature still verifies");
        }, iter: 200);
    }

    private static void SignRfc9421(HttpRequestSnapshot request, HttpSignatureKey key)
    {
        MessageSignature.SignForFederation(request, key, "https://a.example/actor#main-key", TestKeys.Now);
        var parameters = SignatureComponent.List("@method", "@target-uri", "@authority", "host", "date", "content-digest", "x-trace");
        request.Headers.Remove("Signature-Input");
        request.Headers.Remove("Signature");
        MessageSignature.Sign(request, key, new MessageSignatureParameters { Components = parameters, KeyId = "k", Created = TestKeys.Now });
    }

    private static void SignCavage(HttpRequestSnapshot request) =>
        CavageSignature.Sign(request, RsaPrivate, "https://a.example/actor#main-key", TestKeys.Now, ["(request-target)", "host", "date", "digest", "x-trace"]);

    /// <summary>The request as the server sees it: the shape's method, URI and body with the signed request's headers.</summary>
    private static HttpRequestSnapshot Receive(HttpRequestSnapshot signed, RequestShape shape)
    {
        var headers = new HeaderFields();
        foreach (var (name, value) in signed.Headers)
        {
            headers.Add(name, name == "X-Trace" ? shape.Trace : value);
        }

        var snapshot = shape.ToSnapshot();
        return new HttpRequestSnapshot(snapshot.Method, snapshot.TargetUri, headers, snapshot.Body);
    }

    /// <summary>Replaces one character (or flips one byte) of a part with a different value.</summary>
    private static RequestShape Mutate(RequestShape shape, Part part, int position, int shift)
    {
        static string ChangeChar(string text, int position, int shift, bool skipSlash = false)
        {
            var chars = text.ToCharArray();
            var i = position % chars.Length;
            while (skipSlash && chars[i] == '/')
            {
                i = (i + 1) % chars.Length;
            }

            // Move to another letter or digit whose lowercase also differs, so case-folding signers still see a change.
            var index = Alphanumeric.IndexOf(char.ToLowerInvariant(chars[i]), StringComparison.Ordinal);
            var replacement = index < 0 ? 'a' : Alphanumeric[(index + shift) % 26 + (index >= 26 ? 26 : 0)];
            if (char.ToLowerInvariant(replacement) == char.ToLowerInvariant(chars[i]))
            {
                replacement = replacement == 'z' ? 'y' : (char)(replacement + 1);
            }

            chars[i] = replacement;
            return new string(chars);
        }

        switch (part)
        {
            case Part.Method:
                return shape with { Method = ChangeChar(shape.Method, position, shift).ToUpperInvariant() };
            case Part.Path:
                return shape with { Path = ChangeChar(shape.Path, position, shift, skipSlash: true) };
            case Part.Trace:
                var trace = shape.Trace.ToCharArray();
                var t = position % trace.Length;
                trace[t] = trace[t] == '~' ? '!' : (char)(trace[t] + 1);

                return shape with { Trace = new string(trace) };
            default:
                var body = (byte[])shape.Body.Clone();
                body[position % body.Length] ^= (byte)(1 << (shift % 8));
                return shape with { Body = body };
        }
    }

    [Fact]
    public void Mutation_really_changes_each_part()
    {
        var shape = new RequestShape("POST", "/a/b", null, "trace", Encoding.UTF8.GetBytes("body"));
        foreach (var part in Enum.GetValues<Part>())
        {
            for (var position = 0; position < 10; position++)
            {
                Assert.NotEqual(shape, Mutate(shape, part, position, 1 + position));
            }
        }
    }
}
