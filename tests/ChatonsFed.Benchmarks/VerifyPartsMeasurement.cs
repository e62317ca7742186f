using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Benchmarks;

/// <summary>
/// What verifying one signed document costs, step by step, on one thread: parsing, reading into the vocabulary,
/// hashing (canonical form and SHA-256), the raw Ed25519 check, and the verifier's whole work per chaton.
/// Run: <c>dotnet run -c Release --project tests/ChatonsFed.Benchmarks -- verify-parts [count]</c>.
/// </summary>
internal static class VerifyPartsMeasurement
{
    public static void Run(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        var sets = AggregatorStoreMeasurement.SignedSets(count);
        var documents = sets.SelectMany(s => new[] { s.Actor, s.Attestation!, s.ServicesCollection! }.Concat(s.Services)).ToList();
        var actors = sets.Select(s => JsonNode.Parse(s.Actor.Utf8Json.Span)!.AsObject()).ToList();
        var verifier = new ChatonVerifier();
        for (var round = 0; round < 5; round++)
        {
            var nodes = new List<JsonObject>(documents.Count);
            Time("JsonNode.Parse", () =>
            {
                nodes.Clear();
                foreach (var d in documents)
                {
                    nodes.Add(JsonNode.Parse(d.Utf8Json.Span)!.AsObject());
                }
            });
            Time("JsonDocument.Parse", () =>
            {
                foreach (var d in documents)
                {
                    using var doc = JsonDocument.Parse(d.Utf8Json);
                }
            });
            Time("ActivityStreamsJson.Parse", () =>
            {
                foreach (var d in documents)
                {
                    ActivityStreamsJson.Parse(d.Utf8Json.Span);
                }
            });
            var withoutContext = nodes.Select(n =>
            {
                var copy = n.DeepClone().AsObject();
                copy.Remove("@context");
                return System.Text.Encoding.UTF8.GetBytes(copy.ToJsonString());
            }).ToList();
            Time("ActivityStreamsJson.Parse of the documents stripped of @context", () =>
            {
                foreach (var d in withoutContext)
                {
                    ActivityStreamsJson.Parse(d);
                }
            });
            Time("ActivityStreamsJson.ParseWithoutContext", () =>
            {
                foreach (var d in documents)
                {
                    ActivityStreamsJson.ParseWithoutContext(d.Utf8Json.Span);
                }
            });
            var hash = new byte[64];
            Time("ComputeHashData", () =>
            {
                foreach (var n in nodes)
                {
                    var proof = n["proof"]!.AsObject();
                    Protocol.Proofs.DataIntegrityProof.ComputeHashData(n, proof, hash);
                }
            });
            using var scratch = new System.IO.MemoryStream();
            Time("canonical form from the bytes", () =>
            {
                foreach (var d in documents)
                {
                    ChatonsFed.Protocol.Json.JsonCanonicalizer.Canonicalize(d.Utf8Json.Span);
                }
            });
            var keys = actors.Select(a => Ed25519PublicKey.FromMultibase(a["assertionMethod"]![0]!["publicKeyMultibase"]!.GetValue<string>())).ToList();
            using var pair = Ed25519KeyPair.Generate();
            var signature = pair.Sign(hash);
            Time("Ed25519 verify (raw)", () =>
            {
                for (var i = 0; i < documents.Count; i++)
                {
                    pair.PublicKey.Verify(hash, signature);
                }
            });
            Time("key from multibase", () =>
            {
                foreach (var a in actors)
                {
                    for (var i = 0; i < 8; i++)
                    {
                        Ed25519PublicKey.FromMultibase(a["assertionMethod"]![0]!["publicKeyMultibase"]!.GetValue<string>());
                    }
                }
            });
            Time("ProofVerifier.Verify (parsed)", () =>
            {
                for (var i = 0; i < nodes.Count; i++)
                {
                    ProofVerifier.Verify(nodes[i], actors[i / 8]);
                }
            });
            Time("ProofVerifier.Verify (parsed, hashed from the text)", () =>
            {
                for (var i = 0; i < nodes.Count; i++)
                {
                    using var wire = JsonDocument.Parse(documents[i].Utf8Json);
                    ProofVerifier.Verify(JsonObject.Create(wire.RootElement)!, wire.RootElement, actors[i / 8]);
                }
            });
            Time("ChatonVerifier.Verify", () =>
            {
                foreach (var s in sets)
                {
                    verifier.Verify(s);
                }
            });
            Console.WriteLine();
        }

        void Time(string label, Action action)
        {
            // Processor time rather than wall time: the figures stay comparable on a machine busy with other work.
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            action();
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {cpu.TotalMicroseconds / documents.Count:F1} µs of CPU, {allocated / 1024.0 / documents.Count:F1} KiB allocated a document"));
        }
    }
}
