using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Discovery;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;
using WireMembership = ChatonsFed.Protocol.Vocabulary.Membership;

namespace ChatonsFed.Directory.Node;

/// <summary>
/// Builds the documents a chaton node serves and sends — actor, hosted services, services collection,
/// charter attestation, outbox/followers/following, activities and notes — from the domain, and signs
/// them with the node's Ed25519 key (eddsa-jcs-2022, verification method <c>{actor}#ed25519-key</c>).
/// <c>Build…</c> methods return unsigned vocabulary objects; <see cref="Sign(JsonLdNode)"/> adds the proof.
/// </summary>
public sealed partial class NodeDocuments
{
    /// <summary>The number of items on one page of outbox, followers and following, unless a caller says otherwise.</summary>
    public const int DefaultPageSize = 20;

    private readonly ProofSigner _signer;
    private readonly TimeProvider _time;

    /// <param name="proofKey">The node's Ed25519 key; its public half is published as the actor's <c>assertionMethod</c>.</param>
    /// <param name="rsaPublicKeyPem">The node's RSA public key (SPKI PEM), published as <c>publicKey</c> for HTTP signatures.</param>
    /// <param name="criteria">The charter criteria an attestation answers; the embedded list when absent.</param>
    public NodeDocuments(NodeAddress address, Ed25519KeyPair proofKey, string rsaPublicKeyPem, TimeProvider timeProvider, CharterCriteriaCatalog? criteria = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(proofKey);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Address = address.EnsureValid();
        if (!RsaPublicKey.TryFromPem(rsaPublicKeyPem, out var rsa, out var error))
        {
            throw new ArgumentException($"The node's RSA public key is not usable: {error}", nameof(rsaPublicKeyPem));
        }

        using (rsa)
        {
            RsaPublicKeyPem = rsa.ToPem();
        }

        Ed25519PublicKey = proofKey.PublicKey;
        Criteria = criteria ?? CharterCriteriaCatalog.LoadDefault();
        _time = timeProvider;
        _signer = new ProofSigner(proofKey, address.Ed25519KeyId, timeProvider);
    }

    public NodeAddress Address { get; }

    public CharterCriteriaCatalog Criteria { get; }

    public Ed25519PublicKey Ed25519PublicKey { get; }

    /// <summary>The RSA public key as the actor publishes it (SPKI PEM, normalized).</summary>
    public string RsaPublicKeyPem { get; }

    private string ActorId => Address.ActorId.AbsoluteUri;

    /// <summary>
    /// The JSON form of <paramref name="node"/> with a proof created now. The node must carry
    /// <see cref="ChatonsContext"/> (every <c>Build…</c> result does): without data-integrity/v1 in the
    /// context, consumers do not see the proof.
    /// </summary>
    public JsonObject Sign(JsonLdNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Sign(ActivityStreamsJson.ToJsonObject(node));
    }

    /// <inheritdoc cref="Sign(JsonLdNode)"/>
    public JsonObject Sign(JsonObject document) => Sign(document, _time.GetUtcNow());

    /// <summary>The JSON form of <paramref name="document"/> with a proof created at <paramref name="created"/>.</summary>
    public JsonObject Sign(JsonObject document, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!document.ContainsKey("@context"))
        {
            throw new ArgumentException("Only documents with the ChatonsFed @context are signed; a proof is invisible without it.", nameof(document));
        }

        return _signer.Sign(document, created);
    }

    /// <summary>The chaton's <c>Organization</c> actor.</summary>
    /// <exception cref="ArgumentException">The profile does not validate; the message lists every problem.</exception>
    public Organization BuildActor(ChatonProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ThrowIfInvalid("profile", profile.Validate());

        var actor = new Organization
        {
            Context = ChatonsContext.Element,
            Id = ActorId,
            PreferredUsername = Address.Handle,
            Name = profile.Name,
            Summary = HtmlText.Paragraphs(profile.Summary),
            Inbox = Address.Inbox.AbsoluteUri,
            Outbox = Address.Outbox.AbsoluteUri,
            Followers = Address.Followers.AbsoluteUri,
            Following = Address.Following.AbsoluteUri,
            Endpoints = new Reference<Endpoints>(new Endpoints { SharedInbox = Address.SharedInbox.AbsoluteUri }),
            ManuallyApprovesFollowers = false,
            Discoverable = profile.Discoverable,
            Indexable = profile.Indexable,
            Published = new Timestamp(profile.Published),
            Updated = new Timestamp(profile.Updated),
            Attachment = OneOrMany.Array(ProfileFields(profile)),
            PublicKey = new OneOrMany<Reference<PublicKey>>(new Reference<PublicKey>(new PublicKey
            {
                Id = Address.MainKeyId,
                Type = new OneOrMany<string>("CryptographicKey"),
                Owner = ActorId,
                PublicKeyPem = RsaPublicKeyPem,
            })),
            AssertionMethod = OneOrMany.Array(new Reference<Protocol.Vocabulary.Multikey>(new Protocol.Vocabulary.Multikey
            {
                Id = Address.Ed25519KeyId,
                Controller = ActorId,
                PublicKeyMultibase = Ed25519PublicKey.ToMultibase(),
            })),
            StructureType = WireNames.ToWire(profile.StructureType),
            Country = profile.Country,
            Services = new Reference<JsonLdNode>(Address.Services.AbsoluteUri),
            CharterAttestation = new Reference<JsonLdNode>(Address.Attestation.AbsoluteUri),
            Contact = profile.Contact,
            LegalNotice = profile.LegalNotice?.AbsoluteUri,

            // The membership collections (the vocabulary does not model them): what the chaton holds and what it issued.
            ExtensionData = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
            {
                ["endorsements"] = StringElement(Address.Endorsements.AbsoluteUri),
                ["issuedEndorsements"] = StringElement(Address.IssuedEndorsements.AbsoluteUri),
            },
        };

        if (profile.Website is { } website)
        {
            actor.Url = new OneOrMany<Reference<JsonLdNode>>(new Reference<JsonLdNode>(website.AbsoluteUri));
        }

        if (profile.Icon is { } icon)
        {
            actor.Icon = new OneOrMany<Reference<JsonLdNode>>(new Reference<JsonLdNode>(ImageAt(icon)));
        }

        if (profile.Image is { } image)
        {
            actor.Image = new OneOrMany<Reference<JsonLdNode>>(new Reference<JsonLdNode>(ImageAt(image)));
        }

        if (profile.Location is { } location)
        {
            var place = new Place { Name = location.Name, Latitude = location.Latitude, Longitude = location.Longitude };

            // AS2 has no address term and the shared context defines none, so the address line goes in the Place's summary.
            place.Summary = location.Address;
            actor.Location = new OneOrMany<Reference<JsonLdNode>>(new Reference<JsonLdNode>(place));
        }

        if (profile.Membership is { } membership)
        {
            actor.Membership = new WireMembership
            {
                Status = WireNames.ToWire(membership.Status),
                Since = membership.Since,
                Until = membership.Until,
            };
        }

        return actor;
    }

    /// <summary>One <c>HostedService</c>, typed <c>["Object", "HostedService"]</c>.</summary>
    public HostedService BuildService(HostedServiceEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ThrowIfInvalid($"service \"{entry.Slug}\"", entry.Validate());

        var service = new HostedService
        {
            Context = ChatonsContext.Element,
            Id = Address.ServiceId(entry.Slug).AbsoluteUri,
            AttributedTo = new OneOrMany<Reference<JsonLdNode>>(new Reference<JsonLdNode>(ActorId)),
            Name = entry.Name,
            Summary = entry.Summary,
            Url = new OneOrMany<Reference<JsonLdNode>>(new Reference<JsonLdNode>(entry.Url.AbsoluteUri)),
            Category = entry.Category,
            Registration = WireNames.ToWire(entry.Registration),
            Capacity = WireNames.ToWire(entry.Capacity),
            Status = WireNames.ToWire(entry.Status),
            Published = new Timestamp(entry.Published),
            Updated = new Timestamp(entry.Updated),
        };

        if (entry.Software is { } software)
        {
            service.Software = new ServiceSoftware
            {
                Name = software.Name,
                Version = software.Version,
                License = software.License,
                SourceCode = software.SourceCode?.AbsoluteUri,
            };
        }

        if (entry.Hosting is { } hosting)
        {
            service.Hosting = new ServiceHosting
            {
                ServerType = hosting.ServerType,
                ProviderType = hosting.ProviderType,
                Country = hosting.Country,
            };
        }

        return service;
    }

    /// <summary>
    /// The services collection: the ids of every hosted service, in the order given. Unlike the example,
    /// it carries the ChatonsFed context and is meant to be signed, so a copy passed on by an aggregator
    /// still proves which services the chaton listed.
    /// </summary>
    public OrderedCollection BuildServices(IEnumerable<HostedServiceEntry> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var list = services.ToList();
        var duplicate = list.GroupBy(s => s.Slug, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two services share the slug \"{duplicate.Key}\"; a slug is unique on a node.", nameof(services));
        }

        return new OrderedCollection
        {
            Context = ChatonsContext.Element,
            Id = Address.Services.AbsoluteUri,
            AttributedTo = new OneOrMany<Reference<JsonLdNode>>(new Reference<JsonLdNode>(ActorId)),
            TotalItems = list.Count,
            OrderedItems = OneOrMany.Array(list.Select(s => new Reference<JsonLdNode>(Address.ServiceId(s.Slug).AbsoluteUri))),
        };
    }

    /// <summary>The <c>CharterAttestation</c>: one entry per criterion of <see cref="Criteria"/>, in the list's order.</summary>
    /// <param name="chatonName">The chaton's name, for the attestation's title.</param>
    /// <exception cref="ArgumentException">The declaration is invalid or does not answer exactly the criteria of the list.</exception>
    public CharterAttestation BuildAttestation(CharterDeclaration declaration, string chatonName)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        ArgumentException.ThrowIfNullOrWhiteSpace(chatonName);
        ThrowIfInvalid("charter declaration", declaration.Validate(Criteria));

        var answers = declaration.Criteria.ToDictionary(a => a.Id, StringComparer.Ordinal);
        return new CharterAttestation
        {
            Context = ChatonsContext.Element,
            Id = Address.Attestation.AbsoluteUri,
            AttributedTo = new OneOrMany<Reference<JsonLdNode>>(new Reference<JsonLdNode>(ActorId)),
            Name = $"Déclaration de {chatonName} sur la charte CHATONS",
            Charter = new CharterVersion
            {
                Url = declaration.Charter.Url.AbsoluteUri,
                Version = declaration.Charter.Version,
                Digest = declaration.Charter.Digest,
            },
            Criteria = OneOrMany.Array(Criteria.Criteria.Select(c => new CriterionDeclaration
            {
                Id = c.Id,
                Met = answers[c.Id].Met,
                Note = string.IsNullOrEmpty(answers[c.Id].Note) ? null : answers[c.Id].Note,
            })),
            Published = new Timestamp(declaration.Published),
            Updated = new Timestamp(declaration.Updated),
        };
    }

    /// <summary>The WebFinger answer for <see cref="NodeAddress.AcctUri"/>: the actor as <c>self</c>, the website as profile page.</summary>
    public JsonResourceDescriptor BuildWebFinger(ChatonProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return JsonResourceDescriptor.ForActor(AccountHandle.Parse(Address.AcctUri), ActorId, profile.Website?.AbsoluteUri);
    }

    private static JsonElement StringElement(string text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(text);
        }

        return JsonElement.Parse(buffer.WrittenSpan);
    }

    private static Image ImageAt(Uri url)
    {
        var image = new Image { Url = new OneOrMany<Reference<JsonLdNode>>(new Reference<JsonLdNode>(url.AbsoluteUri)) };
        image.MediaType = Path.GetExtension(url.AbsolutePath).ToUpperInvariant() switch
        {
            ".PNG" => "image/png",
            ".JPG" or ".JPEG" => "image/jpeg",
            ".GIF" => "image/gif",
            ".WEBP" => "image/webp",
            ".SVG" => "image/svg+xml",
            ".AVIF" => "image/avif",
            _ => null,
        };
        return image;
    }

    private static void ThrowIfInvalid(string what, IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new ArgumentException($"The {what} cannot be published: {string.Join(" ", problems)}");
        }
    }

    // The fields Mastodon shows under the bio: the website, the contact, and where the services are listed.
    private IEnumerable<Reference<JsonLdNode>> ProfileFields(ChatonProfile profile)
    {
        if (profile.Website is { } website)
        {
            yield return Field("Site web", HtmlText.Link(website.AbsoluteUri));
        }

        if (profile.Contact is { } contact)
        {
            yield return Field("Contact", contact.StartsWith("mailto:", StringComparison.Ordinal)
                ? HtmlText.Escape(Uri.UnescapeDataString(contact["mailto:".Length..]))
                : HtmlText.Link(contact));
        }

        yield return Field("Services", HtmlText.Link((profile.ServicesPage ?? Address.Services).AbsoluteUri));

        static Reference<JsonLdNode> Field(string name, string value) =>
            new(new PropertyValue { Name = name, Value = value });
    }
}
