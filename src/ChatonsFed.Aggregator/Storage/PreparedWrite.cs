using ChatonsFed.Aggregator.Listing;

namespace ChatonsFed.Aggregator.Storage;

/// <summary>What a chaton's held documents are written as: their bytes compressed together, and the listing read from them.</summary>
internal sealed class PreparedWrite
{
    private readonly byte[][] _documents;

    private PreparedWrite(byte[][] documents, byte[] blob, string listing)
    {
        _documents = documents;
        Blob = blob;
        Listing = listing;
    }

    /// <summary>The documents' bytes in their stored order, compressed together (<see cref="DocumentBlob"/>).</summary>
    public byte[] Blob { get; }

    /// <summary>The <see cref="ChatonListing"/> as JSON, without the observation.</summary>
    public string Listing { get; }

    public static PreparedWrite Of(HeldChaton held)
    {
        byte[][] documents = [.. held.Ordered().Select(d => d.Bytes)];
        return new PreparedWrite(documents, DocumentBlob.Pack(documents), ListingJson.Serialize(held.ToListing(ChatonObservation.None)));
    }

    /// <summary>Whether <paramref name="ordered"/> are the very documents (the same arrays, in the same order) this was made from.</summary>
    public bool Matches(IReadOnlyList<(DocumentRecord Meta, byte[] Bytes)> ordered)
    {
        if (ordered.Count != _documents.Length)
        {
            return false;
        }

        for (var i = 0; i < _documents.Length; i++)
        {
            if (!ReferenceEquals(ordered[i].Bytes, _documents[i]))
            {
                return false;
            }
        }

        return true;
    }
}
