using System.Text.Json.Serialization;

namespace ChatonsFed.Protocol.Vocabulary;

/// <summary>Source-generated serialization metadata for the vocabulary; use it through <see cref="ActivityStreamsJson"/>.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters =
    [
        typeof(OneOrManyConverter<string>),
        typeof(OneOrManyConverter<Reference<JsonLdNode>>),
        typeof(OneOrManyConverter<Reference<PublicKey>>),
        typeof(OneOrManyConverter<Reference<Multikey>>),
        typeof(OneOrManyConverter<DataIntegrityProof>),
        typeof(OneOrManyConverter<CriterionDeclaration>),
        typeof(ReferenceConverter<JsonLdNode>),
        typeof(ReferenceConverter<Endpoints>),
        typeof(ReferenceConverter<PublicKey>),
        typeof(ReferenceConverter<Multikey>),
        typeof(LanguageMapConverter),
    ])]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Reference<JsonLdNode>))]
[JsonSerializable(typeof(Reference<Endpoints>))]
[JsonSerializable(typeof(Reference<PublicKey>))]
[JsonSerializable(typeof(Reference<Multikey>))]
[JsonSerializable(typeof(AsObject))]
[JsonSerializable(typeof(Link))]
[JsonSerializable(typeof(Mention))]
[JsonSerializable(typeof(Hashtag))]
[JsonSerializable(typeof(Document))]
[JsonSerializable(typeof(Image))]
[JsonSerializable(typeof(Note))]
[JsonSerializable(typeof(Place))]
[JsonSerializable(typeof(Tombstone))]
[JsonSerializable(typeof(PropertyValue))]
[JsonSerializable(typeof(Actor))]
[JsonSerializable(typeof(Person))]
[JsonSerializable(typeof(Service))]
[JsonSerializable(typeof(Application))]
[JsonSerializable(typeof(Group))]
[JsonSerializable(typeof(Organization))]
[JsonSerializable(typeof(Endpoints))]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(Create))]
[JsonSerializable(typeof(Update))]
[JsonSerializable(typeof(Delete))]
[JsonSerializable(typeof(Follow))]
[JsonSerializable(typeof(Accept))]
[JsonSerializable(typeof(Reject))]
[JsonSerializable(typeof(Undo))]
[JsonSerializable(typeof(Announce))]
[JsonSerializable(typeof(Like))]
[JsonSerializable(typeof(Add))]
[JsonSerializable(typeof(Remove))]
[JsonSerializable(typeof(Block))]
[JsonSerializable(typeof(Move))]
[JsonSerializable(typeof(Flag))]
[JsonSerializable(typeof(Collection))]
[JsonSerializable(typeof(OrderedCollection))]
[JsonSerializable(typeof(CollectionPage))]
[JsonSerializable(typeof(OrderedCollectionPage))]
[JsonSerializable(typeof(Multikey))]
[JsonSerializable(typeof(PublicKey))]
[JsonSerializable(typeof(DataIntegrityProof))]
[JsonSerializable(typeof(HostedService))]
[JsonSerializable(typeof(CharterAttestation))]
[JsonSerializable(typeof(CriterionDeclaration))]
internal sealed partial class VocabularyJsonContext : JsonSerializerContext;
