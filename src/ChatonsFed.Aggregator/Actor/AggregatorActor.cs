using System.Text.Json.Nodes;
using ChatonsFed.Federation.Signing;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Aggregator.Actor;

/// <summary>
/// The aggregator's <c>Application</c> actor at <c>{base}/aggregator</c>: the node's RSA key for HTTP signatures
/// (<c>#main-key</c>) and its Ed25519 key for proofs (<c>#ed25519-key</c>), signed with the latter. Its bytes only change
/// when the node's keys or profile dates do, so its ETag is stable across restarts.
/// </summary>
/// <param name="identity">The data folder's current keys, and when their owner was first published and last changed (the
/// command line's offline commands serve no actor: there the dates throw).</param>
public sealed class AggregatorActor(AggregatorUrls urls, AggregatorOptions options, ISigningIdentity identity, TimeProvider time)
{
    private readonly Lock _gate = new();
    private (object Keys, DateTimeOffset Updated, string Json)? _cached;

    public AggregatorUrls Urls => urls;

    /// <summary>The signed actor document and the time it last changed.</summary>
    public (string Json, DateTimeOffset Modified) Document()
    {
        var profile = identity.ActorDates();
        var current = identity.Keys;
        lock (_gate)
        {
            if (_cached is not { } cached || !ReferenceEquals(cached.Keys, current) || cached.Updated != profile.Updated)
            {
                cached = (current, profile.Updated, Build(current, profile.Published, profile.Updated).ToJsonString());
                _cached = cached;
            }

            return (cached.Json, cached.Updated);
        }
    }

    private JsonObject Build(HostKeys keys, DateTimeOffset published, DateTimeOffset updated)
    {
        var actor = new JsonObject
        {
            ["@context"] = ChatonsContext.ToJsonNode(),
            ["id"] = urls.Actor,
            ["type"] = "Application",
            ["preferredUsername"] = options.Handle,
            ["name"] = options.Name,
            ["summary"] = "<p>Annuaire fédéré des CHATONS : il suit les acteurs des chatons, vérifie chaque signature et publie l’annuaire (recherche, carte, exports).</p>",
            ["url"] = urls.DirectoryApi + "/search",
            ["inbox"] = urls.Inbox,
            ["outbox"] = urls.Outbox,
            ["followers"] = urls.Followers,
            ["following"] = urls.Following,
            // Follows are accepted at once: followers get the directory's news (spec/aggregator.md section 9).
            ["manuallyApprovesFollowers"] = false,
            ["discoverable"] = false,
            ["indexable"] = false,
            ["published"] = ProofSigner.FormatCreated(published),
            ["updated"] = ProofSigner.FormatCreated(updated),
            ["publicKey"] = new JsonObject
            {
                ["id"] = urls.RsaKeyId,
                ["type"] = "CryptographicKey",
                ["owner"] = urls.Actor,
                ["publicKeyPem"] = keys.Rsa.PublicKey.ToPem(),
            },
            ["assertionMethod"] = new JsonArray(new JsonObject
            {
                ["id"] = urls.Ed25519KeyId,
                ["type"] = "Multikey",
                ["controller"] = urls.Actor,
                ["publicKeyMultibase"] = keys.Ed25519.PublicKey.ToMultibase(),
            }),
        };
        return new ProofSigner(keys.Ed25519, urls.Ed25519KeyId, time).Sign(actor, updated);
    }

    /// <summary>Signs documents the aggregator publishes or sends (its actor, its <c>Follow</c> activities).</summary>
    public ProofSigner Signer() => new(identity.Keys.Ed25519, urls.Ed25519KeyId, time);

    /// <summary>The data folder's RSA key under the actor's key id, for the requests the aggregator signs.</summary>
    public ActorSigningKey SigningKey() => new(urls.RsaKeyId, HttpSignatureKey.FromRsa(identity.Keys.Rsa.Rsa, hasPrivateKey: true));
}
