namespace ChatonsFed.Protocol.Json;

/// <summary>Compares UTF-8 text in the order its UTF-16 form would sort, without transcoding.</summary>
internal static class Utf8Order
{
    /// <summary>
    /// UTF-8 byte order is code point order, which matches UTF-16 order except that code points at or
    /// above U+10000 (lead bytes F0-F4, surrogates D800-DBFF in UTF-16) sort before U+E000-U+FFFF
    /// (lead bytes EE-EF) in UTF-16. Both texts agree up to the first differing byte, so that byte sits
    /// at the same position in a character in both, and only that lead-byte pair needs swapping.
    /// </summary>
    public static int CompareAsUtf16(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var common = a.CommonPrefixLength(b);
        if (common == a.Length || common == b.Length)
        {
            return a.Length.CompareTo(b.Length);
        }

        return Key(a[common]).CompareTo(Key(b[common]));
    }

    private static int Key(byte value) => value is 0xEE or 0xEF ? value + 0x10 : value;
}
