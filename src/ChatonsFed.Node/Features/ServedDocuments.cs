using System.Collections.Concurrent;
using ChatonsFed.Hosting.Endpoints;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Storage;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Node.Features;

/// <summary>
/// The answers of the signed public documents (the actor, the services collection, each service, the attestation), ready
/// to write: the stored bytes encoded once, with their strong ETag and Last-Modified, or the tombstone once the chaton
/// has left. An answer is kept with the store's <see cref="NodeStore.ServedVersion"/> it was read under and served only
/// while that version stands, so any write to the documents or the profile, whatever made it (an owner's change, a key
/// rotation, a leave, a new data folder), is seen by the next request. Only paths that hold a document are kept: the
/// cache holds at most one answer per stored document.
/// </summary>
public sealed class ServedDocuments(NodeStore store, NodeUrls urls)
{
    private readonly ConcurrentDictionary<string, ServedDocument> _answers = new(StringComparer.Ordinal);

    /// <summary>The answer for <paramref name="path"/>, or null when no document is stored there.</summary>
    public ServedDocument? Find(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var version = store.ServedVersion;
        if (_answers.TryGetValue(path, out var kept) && kept.Version == version)
        {
            return kept;
        }

        var profile = store.Profile;
        var document = store.FindDocument(path);
        if (profile is null || document is null)
        {
            _answers.TryRemove(path, out _);
            return null;
        }

        var answer = profile.Deleted is { } deleted
            ? new ServedDocument(version, Tombstone(urls, path, deleted), Left: true)
            : new ServedDocument(
                version,
                new DocumentResult(document.Json, DocumentResult.ActivityJson, document.ETag, document.Modified, document.Gone ? StatusCodes.Status410Gone : StatusCodes.Status200OK),
                Left: false);
        _answers[path] = answer;
        return answer;
    }

    /// <summary>The 410 answer at <paramref name="path"/> once the chaton has left: a tombstone of what was there.</summary>
    public static DocumentResult Tombstone(NodeUrls urls, string path, DateTimeOffset deleted)
    {
        ArgumentNullException.ThrowIfNull(urls);
        var tombstone = NodeDocumentBuilder.Tombstone(urls.BaseUrl + path, path == NodeUrls.ActorPath ? "Organization" : "Object", deleted);
        var json = tombstone.ToJsonString();
        return new DocumentResult(json, DocumentResult.ActivityJson, DocumentResult.ETagOf(json), deleted, StatusCodes.Status410Gone);
    }
}

/// <summary>A kept answer: the result to execute, the store version it was read under, and whether the chaton has left.</summary>
public sealed record ServedDocument(long Version, DocumentResult Result, bool Left);
