using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using ChatonsFed.Federation.Inbox;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Benchmarks;

/// <summary>
/// The JSON work of an inbox request, without the network and the signature: the three parses the inbox used to make
/// (the endpoint's, the verifier's, the Follow reply's) against one <see cref="InboxDocument"/>; and the activity read
/// into the vocabulary from the bytes, or from the tree written out again.
/// </summary>
[MemoryDiagnoser]
public class InboxParseBenchmarks
{
    private static readonly JsonDocumentOptions Limits = new() { MaxDepth = 32 };

    private byte[] _body = null!;
    private JsonObject _tree = null!;

    /// <summary>A Follow (~200 bytes, to a node) or an Update embedding a signed chaton actor (~3 KB, to an aggregator).</summary>
    [Params("Follow", "Update")]
    public string Activity { get; set; } = "Follow";

    [GlobalSetup]
    public void Setup()
    {
        var follow = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = "https://peer.example/users/alice/follows/1",
            ["type"] = "Follow",
            ["actor"] = "https://peer.example/users/alice",
            ["object"] = SampleDocuments.ActorId,
        };
        if (Activity == "Follow")
        {
            _tree = follow;
        }
        else
        {
            using var key = Ed25519KeyPair.Generate();
            using var rsa = RsaKeyPair.Generate();
            var signer = new ProofSigner(key, SampleDocuments.ActorId + "#ed25519-key", TimeProvider.System);
            var actor = signer.Sign(SampleDocuments.Actor(key.PublicKey.ToMultibase(), rsa.PublicKey.ToPem()));
            _tree = new JsonObject
            {
                ["@context"] = actor["@context"]!.DeepClone(),
                ["id"] = SampleDocuments.ActorId + "/activities/update-1",
                ["type"] = "Update",
                ["actor"] = SampleDocuments.ActorId,
                ["object"] = actor,
            };
        }

        _body = Encoding.UTF8.GetBytes(_tree.ToJsonString());
        Console.WriteLine($"// {Activity}: {_body.Length} bytes");
    }

    [Benchmark(Baseline = true, Description = "three parses (before)")]
    public object ThreeParses()
    {
        using var document = JsonDocument.Parse(_body, Limits);
        var verified = JsonNode.Parse(_body, documentOptions: Limits)!.AsObject();
        var reply = JsonNode.Parse(document.RootElement.GetRawText())!.AsObject();
        return (verified["actor"], verified["proof"], reply["id"], document.RootElement.GetProperty("type").GetString());
    }

    [Benchmark(Description = "one InboxDocument (after)")]
    public object OneDocument()
    {
        InboxDocument.TryParse(_body, 32, out var document, out _, out _);
        using (document)
        {
            var json = document!.Json;
            return (json["actor"], json["proof"], document.Activity);
        }
    }

    [Benchmark(Description = "activity read from the bytes")]
    public Activity TypedFromBytes() => ActivityStreamsJson.Read<Activity>(_body, 32);

    [Benchmark(Description = "activity read from the tree")]
    public Activity TypedFromTree() => ActivityStreamsJson.Read<Activity>(JsonSerializer.SerializeToUtf8Bytes(_tree), 32);
}
