using System.IO.Compression;

namespace ChatonsFed.Aggregator.Storage;

/// <summary>
/// Packs a chaton's documents into one Brotli stream. Signed documents repeat the same @context two times each, so
/// compressing them together takes most of their size away while keeping every byte as received.
/// </summary>
internal static class DocumentBlob
{
    private const int Quality = 5;
    private const int Window = 22;

    public static byte[] Pack(IReadOnlyList<byte[]> documents)
    {
        var total = documents.Sum(d => d.Length);
        var plain = new byte[total];
        var offset = 0;
        foreach (var document in documents)
        {
            document.CopyTo(plain, offset);
            offset += document.Length;
        }

        var packed = new byte[BrotliEncoder.GetMaxCompressedLength(total)];
        if (!BrotliEncoder.TryCompress(plain, packed, out var written, Quality, Window))
        {
            throw new InvalidOperationException("Brotli could not compress the documents.");
        }

        return packed[..written];
    }

    /// <exception cref="InvalidDataException">The blob does not hold documents of these lengths.</exception>
    public static byte[][] Unpack(byte[] packed, IReadOnlyList<int> lengths)
    {
        var total = lengths.Sum();
        var plain = new byte[total];
        if (!BrotliDecoder.TryDecompress(packed, plain, out var written) || written != total)
        {
            throw new InvalidDataException($"A stored blob does not decompress to the {total} bytes its documents add up to.");
        }

        var documents = new byte[lengths.Count][];
        var offset = 0;
        for (var i = 0; i < lengths.Count; i++)
        {
            documents[i] = plain[offset..(offset + lengths[i])];
            offset += lengths[i];
        }

        return documents;
    }
}
