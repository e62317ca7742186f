using System.Globalization;
using System.Text;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.ChatonsInfos;
using ChatonsFed.Hosting.ChatonsInfos;

namespace ChatonsFed.Aggregator.ChatonsInfosSource;

/// <summary>Which entries a search or an export takes: the verified ones (the default), the unsigned ones from ChatonsInfos, or both.</summary>
public enum DirectorySource
{
    /// <summary>Verified entries, read from signed documents.</summary>
    Verified,

    /// <summary>Unsigned entries, read from ChatonsInfos files.</summary>
    ChatonsInfos,
    /// <summary>Both, each marked.</summary>
    All,
}

/// <summary>
/// The directory as a ChatonsInfos federation file: a <c>subs.</c> line per verified chaton pointing at the organization
/// file its node serves (<c>/.well-known/chatonsinfos/{handle}.properties</c>), and, when asked, a line per unsigned
/// entry pointing at the organization file it was read from. Nothing in it depends on the aggregator that writes it
/// but the name of its settings: no address of its own, and a <c>file.datetime</c> taken from the chatons' documents.
/// </summary>
public static class ChatonsInfosExport
{
    /// <summary>The prefix of the <c>subs.</c> ids of unsigned entries.</summary>
    public const string UnsignedPrefix = "unsigned-";

    public static string Write(string name, IReadOnlyList<ChatonListing> verified, IReadOnlyList<ChatonListing> fromChatonsInfos)
    {
        ArgumentNullException.ThrowIfNull(verified);
        ArgumentNullException.ThrowIfNull(fromChatonsInfos);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var subs = new List<SubReference>();
        foreach (var listing in verified.OrderBy(l => l.ActorId, StringComparer.Ordinal))
        {
            if (OrganizationFile(listing) is { } file)
            {
                subs.Add(new SubReference(UniqueId(ids, $"{listing.PreferredUsername}-{file.Authority}"), file, 0));
            }
        }

        foreach (var listing in fromChatonsInfos.OrderBy(l => l.ActorId, StringComparer.Ordinal))
        {
            if (Uri.TryCreate(listing.ActorId, UriKind.Absolute, out var file))
            {
                var stem = Path.GetFileNameWithoutExtension(file.AbsolutePath);
                subs.Add(new SubReference(UniqueId(ids, $"{UnsignedPrefix}{file.Authority}-{stem}"), file, 0));
            }
        }

        var updated = verified.Select(l => l.LastUpdated).Max();
        var federation = new ChatonsInfosFederation
        {
            File = new ChatonsInfosFileHeader(
                ChatonsInfosClass.Federation,
                ChatonsInfosWriter.Protocol,
                updated?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                ChatonsInfosMapping.Generator,
                null),
            Name = string.IsNullOrWhiteSpace(name) ? "CHATONS" : name,
            Subs = subs,
        };
        return ChatonsInfosWriter.Write(federation);
    }

    public static byte[] WriteBytes(string name, IReadOnlyList<ChatonListing> verified, IReadOnlyList<ChatonListing> fromChatonsInfos) =>
        new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(Write(name, verified, fromChatonsInfos));

    /// <summary>
    /// The organization file a ChatonsFed node serves for this chaton: on the actor's base (its id without the final
    /// <c>/actor</c>, else its origin), named after its handle; null without a handle.
    /// </summary>
    public static Uri? OrganizationFile(ChatonListing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        if (string.IsNullOrEmpty(listing.PreferredUsername) || !Uri.TryCreate(listing.ActorId, UriKind.Absolute, out var actor))
        {
            return null;
        }

        var id = actor.GetLeftPart(UriPartial.Path);
        var root = id.EndsWith("/actor", StringComparison.Ordinal) ? id[..^"/actor".Length] : actor.GetLeftPart(UriPartial.Authority);
        return Uri.TryCreate(root + ChatonsInfosMapping.OrganizationPath(Uri.EscapeDataString(listing.PreferredUsername)), UriKind.Absolute, out var file) ? file : null;
    }

    /// <summary>A <c>subs.</c> id made of the letters, digits, <c>.</c>, <c>-</c> and <c>_</c> of <paramref name="text"/>, made unique by a number.</summary>
    private static string UniqueId(HashSet<string> taken, string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-');
        }

        var id = builder.ToString().Trim('-');
        if (id.Length == 0)
        {
            id = "chaton";
        }

        var unique = id;
        for (var n = 2; !taken.Add(unique); n++)
        {
            unique = string.Create(CultureInfo.InvariantCulture, $"{id}-{n}");
        }

        return unique;
    }
}
