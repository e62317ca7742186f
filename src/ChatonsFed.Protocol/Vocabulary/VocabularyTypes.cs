using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace ChatonsFed.Protocol.Vocabulary;

/// <summary>Which .NET type stands for a JSON-LD <c>type</c> value.</summary>
public static class VocabularyTypes
{
    private const string ActivityStreamsPrefix = "https://www.w3.org/ns/activitystreams#";
    private const string ChatonsPrefix = "https://chatons.org/ns#";

    private static readonly FrozenDictionary<string, Type> ByName = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["Object"] = typeof(AsObject),
        ["Link"] = typeof(Link),
        ["Mention"] = typeof(Mention),
        ["Hashtag"] = typeof(Hashtag),
        ["Document"] = typeof(Document),
        ["Image"] = typeof(Image),
        ["Note"] = typeof(Note),
        ["Place"] = typeof(Place),
        ["Tombstone"] = typeof(Tombstone),
        ["PropertyValue"] = typeof(PropertyValue),
        ["Person"] = typeof(Person),
        ["Service"] = typeof(Service),
        ["Application"] = typeof(Application),
        ["Group"] = typeof(Group),
        ["Organization"] = typeof(Organization),
        ["Create"] = typeof(Create),
        ["Update"] = typeof(Update),
        ["Delete"] = typeof(Delete),
        ["Follow"] = typeof(Follow),
        ["Accept"] = typeof(Accept),
        ["Reject"] = typeof(Reject),
        ["Undo"] = typeof(Undo),
        ["Announce"] = typeof(Announce),
        ["Like"] = typeof(Like),
        ["Add"] = typeof(Add),
        ["Remove"] = typeof(Remove),
        ["Block"] = typeof(Block),
        ["Move"] = typeof(Move),
        ["Flag"] = typeof(Flag),
        ["Collection"] = typeof(Collection),
        ["OrderedCollection"] = typeof(OrderedCollection),
        ["CollectionPage"] = typeof(CollectionPage),
        ["OrderedCollectionPage"] = typeof(OrderedCollectionPage),
        ["Multikey"] = typeof(Multikey),
        ["CryptographicKey"] = typeof(PublicKey),
        ["DataIntegrityProof"] = typeof(DataIntegrityProof),
        [ChatonsTypes.HostedService] = typeof(HostedService),
        [ChatonsTypes.CharterAttestation] = typeof(CharterAttestation),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The type name without an <c>as:</c>, <c>chatons:</c> or full namespace prefix.</summary>
    public static string LocalName(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        foreach (var prefix in (ReadOnlySpan<string>)[ActivityStreamsPrefix, ChatonsPrefix, "as:", "chatons:"])
        {
            if (typeName.StartsWith(prefix, StringComparison.Ordinal))
            {
                return typeName[prefix.Length..];
            }
        }

        return typeName;
    }

    internal static bool SameTypeName(string received, string expected) =>
        string.Equals(LocalName(received), LocalName(expected), StringComparison.Ordinal);

    /// <summary>
    /// The .NET type for a node with these <c>type</c> values: a chatons type wherever it stands,
    /// otherwise the first type this vocabulary knows; <c>null</c> when none is known.
    /// </summary>
    public static Type? Resolve(IEnumerable<string>? typeNames)
    {
        if (typeNames is null)
        {
            return null;
        }

        Type? first = null;
        foreach (var name in typeNames)
        {
            if (!ByName.TryGetValue(LocalName(name), out var type))
            {
                continue;
            }

            if (type == typeof(HostedService) || type == typeof(CharterAttestation))
            {
                return type;
            }

            first ??= type;
        }

        return first;
    }

    /// <summary>The .NET type to read a node into, where a <paramref name="declared"/> value is expected.</summary>
    internal static Type ResolveFor(Type declared, IEnumerable<string>? typeNames, bool looksLikeLink)
    {
        var resolved = Resolve(typeNames);
        if (resolved is not null && declared.IsAssignableFrom(resolved))
        {
            return resolved;
        }

        if (!declared.IsAbstract)
        {
            return declared;
        }

        return looksLikeLink && declared.IsAssignableFrom(typeof(Link)) ? typeof(Link) : typeof(AsObject);
    }

    internal static bool TryGetType(string typeName, [NotNullWhen(true)] out Type? type) =>
        ByName.TryGetValue(LocalName(typeName), out type);
}
