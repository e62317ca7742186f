using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ChatonsFed.Protocol.Json;

/// <summary>
/// The canonical forms of the <c>@context</c> values seen most, keyed by their exact bytes as received. Documents of one
/// kind repeat the same @context word for word (a chaton's eight documents, and every chaton of one software), and it is
/// often most of a document's size: its canonical form, part of every proof's hash, is computed once per distinct text
/// instead of once per document. The same bytes always have the same canonical form, so a hit is exact, never a guess.
/// </summary>
internal static class CanonicalContextCache
{
    /// <summary>Distinct @context texts kept; later ones are canonicalized each time, as without the cache.</summary>
    public const int MaxEntries = 64;

    /// <summary>The longest @context text kept (bytes): bounds the cache to about 2 MiB whatever senders send.</summary>
    public const int MaxTextBytes = 16 * 1024;

    private static readonly ConcurrentDictionary<byte[], byte[]> Entries = new(ByteArrayComparer.Instance);

    /// <summary>The canonical form of <paramref name="context"/>: from the cache, or written to <paramref name="scratch"/>.</summary>
    /// <exception cref="ProtocolFormatException">The value cannot be canonicalized (a member given twice, too deep…).</exception>
    public static ArraySegment<byte> Get(JsonElement context, PooledBufferWriter scratch)
    {
        var raw = JsonMarshal.GetRawUtf8Value(context);
        if (Entries.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(raw, out var canonical))
        {
            return canonical;
        }

        scratch.Clear();
        JsonCanonicalizer.Canonicalize(context, scratch);
        var written = scratch.WrittenSegment;
        if (raw.Length <= MaxTextBytes && Entries.Count < MaxEntries)
        {
            Entries.TryAdd(raw.ToArray(), written.AsSpan().ToArray());
        }

        return written;
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = default(HashCode);
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
