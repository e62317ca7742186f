using System.Text.Json.Serialization;

namespace ChatonsFed.Protocol.Vocabulary;

/// <summary>A FEP-521a <c>Multikey</c> verification method (an actor's <c>assertionMethod</c>).</summary>
public sealed record Multikey : JsonLdNode
{
    public Multikey()
    {
        Type = new OneOrMany<string>("Multikey");
    }

    [JsonPropertyName("controller")]
    public string? Controller { get; set; }

    /// <summary>The key as multibase (base58btc, <c>z</c>…) of its multicodec form; <c>z6Mk</c>… for Ed25519.</summary>
    [JsonPropertyName("publicKeyMultibase")]
    public string? PublicKeyMultibase { get; set; }

    [JsonPropertyName("expires")]
    public Timestamp? Expires { get; set; }

    [JsonPropertyName("revoked")]
    public Timestamp? Revoked { get; set; }
}

/// <summary>The legacy <c>publicKey</c> of an actor (security/v1): an RSA key in PEM for HTTP signatures.</summary>
public sealed record PublicKey : JsonLdNode
{
    [JsonPropertyName("owner")]
    public string? Owner { get; set; }

    [JsonPropertyName("publicKeyPem")]
    public string? PublicKeyPem { get; set; }
}

/// <summary>A Data Integrity proof (FEP-8b32), for example with cryptosuite <c>eddsa-jcs-2022</c>.</summary>
public sealed record DataIntegrityProof : JsonLdNode
{
    public DataIntegrityProof()
    {
        Type = new OneOrMany<string>("DataIntegrityProof");
    }

    [JsonPropertyName("cryptosuite")]
    public string? Cryptosuite { get; set; }

    [JsonPropertyName("verificationMethod")]
    public string? VerificationMethod { get; set; }

    [JsonPropertyName("proofPurpose")]
    public string? ProofPurpose { get; set; }

    [JsonPropertyName("proofValue")]
    public string? ProofValue { get; set; }

    /// <summary>Kept as the text received: the proof hashes it as is.</summary>
    [JsonPropertyName("created")]
    public Timestamp? Created { get; set; }

    [JsonPropertyName("expires")]
    public Timestamp? Expires { get; set; }

    [JsonPropertyName("domain")]
    public string? Domain { get; set; }

    [JsonPropertyName("challenge")]
    public string? Challenge { get; set; }

    [JsonPropertyName("nonce")]
    public string? Nonce { get; set; }
}
