using System.Text.Json.Nodes;

namespace ChatonsFed.Benchmarks;

/// <summary>A realistic chaton actor of about 2 KB in canonical form, for the proof benchmarks.</summary>
internal static class SampleDocuments
{
    public const string ActorId = "https://chaton.example/actor";

    public static JsonObject Actor(string publicKeyMultibase, string rsaPem) => new()
    {
        ["@context"] = new JsonArray(
            "https://www.w3.org/ns/activitystreams",
            "https://w3id.org/security/v1",
            "https://w3id.org/security/data-integrity/v1",
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/multikey/v1",
            new JsonObject { ["chatons"] = "https://chatons.org/ns#", ["toot"] = "http://joinmastodon.org/ns#", ["discoverable"] = "toot:discoverable" }),
        ["id"] = ActorId,
        ["type"] = "Organization",
        ["preferredUsername"] = "tilleul",
        ["name"] = "Le Tilleul numérique",
        ["summary"] = "Association d'hébergement éthique : courriel, pads, visioconférence et partage de fichiers pour les habitants de la vallée.",
        ["url"] = "https://tilleul.example/",
        ["inbox"] = ActorId + "/inbox",
        ["outbox"] = ActorId + "/outbox",
        ["followers"] = ActorId + "/followers",
        ["following"] = ActorId + "/following",
        ["endpoints"] = new JsonObject { ["sharedInbox"] = "https://chaton.example/inbox" },
        ["discoverable"] = true,
        ["chatons:structureType"] = "ASSOCIATION",
        ["chatons:country"] = "FR",
        ["location"] = new JsonObject { ["type"] = "Place", ["name"] = "Valence", ["latitude"] = 44.9334, ["longitude"] = 4.8924 },
        ["publicKey"] = new JsonObject { ["id"] = ActorId + "#main-key", ["owner"] = ActorId, ["publicKeyPem"] = rsaPem },
        ["assertionMethod"] = new JsonArray(new JsonObject
        {
            ["id"] = ActorId + "#ed25519-key",
            ["type"] = "Multikey",
            ["controller"] = ActorId,
            ["publicKeyMultibase"] = publicKeyMultibase,
        }),
    };
}
