namespace ChatonsFed.Protocol.Json;

/// <summary>
/// Sorts object members. Objects are small, so a binary insertion sort specialised for the comparer beats
/// the general sort (which calls the comparer through an interface); large objects use the general sort.
/// </summary>
internal static class MemberSort
{
    private const int InsertionSortLimit = 48;

    public static void Sort<T, TComparer>(Span<T> items, TComparer comparer)
        where TComparer : struct, IComparer<T>
    {
        if (items.Length > InsertionSortLimit)
        {
            items.Sort(comparer);
            return;
        }

        for (var i = 1; i < items.Length; i++)
        {
            var item = items[i];
            var low = 0;
            var high = i;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (comparer.Compare(items[middle], item) <= 0)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            if (low < i)
            {
                items[low..i].CopyTo(items[(low + 1)..]);
                items[low] = item;
            }
        }
    }

    /// <summary>Ordinal comparison by UTF-16 code units (what RFC 8785 asks), inlined for short names.</summary>
    public static int CompareUtf16(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            var difference = a[i] - b[i];
            if (difference != 0)
            {
                return difference;
            }
        }

        return a.Length - b.Length;
    }
}
