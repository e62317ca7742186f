using System.Globalization;
using System.Text;

namespace ChatonsFed.Directory.Text;

/// <summary>
/// Case and accent folding for search: "Écriture" and "ecriture" fold alike. It does not rely on
/// <see cref="string.Normalize(NormalizationForm)"/>, which leaves text unchanged when the runtime runs with
/// invariant globalization (no ICU): Latin letters are folded through a table made from Unicode's compatibility
/// decompositions, ligatures are spelt out (œ → oe, ß → ss), combining marks are dropped, and everything else is
/// lowercased with the invariant casing that the runtime carries itself. The result is the same with or without ICU.
/// </summary>
public static class TextFolding
{
    private const int LatinStart = 0x00C0;
    private const int ExtendedStart = 0x1E00;

    // The base letter of each code point from U+00C0 to U+024F, lowercased; a space where it has no single-letter base
    // (it is then looked up in Ligatures, or only lowercased). Generated from NFKD, letters and digits kept.
    private const string Latin =
        "aaaaaa ceeeeiiiidnooooo ouuuuy  aaaaaa ceeeeiiiidnooooo ouuuuy y" +
        "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii  jjkk lllllll" +
        "lllnnnnnn nnoooooo  rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs" +
        "b                      i        oo             uu    zz         " +
        "             aaiioouuuuuuuuuu aaaa    ggkkoooo  j   gg  nnaa    " +
        "aaaaeeeeiiiioooorrrruuuusstt  hh      aaeeooooooooyy            " +
        "                ";

    // The same for Latin Extended Additional, U+1E00 to U+1EFF (Vietnamese, Welsh and other letters with two marks).
    private const string Extended =
        "aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmm" +
        "mmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvv" +
        "wwwwwwwwwwxxxxyyzzzzzzhtwy s    aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeee" +
        "eeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy      ";

    // Small letters only: text is lowercased before it is looked up.
    private static readonly Dictionary<char, string> Ligatures = new()
    {
        ['æ'] = "ae",
        ['ǣ'] = "ae",
        ['ǽ'] = "ae",
        ['œ'] = "oe",
        ['þ'] = "th",
        ['ß'] = "ss",
        ['ĳ'] = "ij",
        ['ǆ'] = "dz",
        ['ǳ'] = "dz",
        ['ǉ'] = "lj",
        ['ǌ'] = "nj",
        ['ǿ'] = "o",
        ['ﬀ'] = "ff",
        ['ﬁ'] = "fi",
        ['ﬂ'] = "fl",
        ['ﬃ'] = "ffi",
        ['ﬄ'] = "ffl",
        ['ﬅ'] = "st",
        ['ﬆ'] = "st",
    };

    /// <summary>The text lowercased, without accents, ligatures spelt out.</summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var folded = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            AppendFolded(folded, c);
        }

        return folded.ToString();
    }

    /// <summary>The folded words of the text: runs of letters and digits, in order, repeats included.</summary>
    public static IEnumerable<string> Words(string? text)
    {
        var folded = Fold(text);
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var inWord = i < folded.Length && char.IsLetterOrDigit(folded[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                yield return folded[start..i];
                start = -1;
            }
        }
    }

    private static void AppendFolded(StringBuilder folded, char c)
    {
        // Lowercase first: some capitals (Ƀ) have no decomposition while their small letter (ƀ) is in the table.
        c = char.ToLowerInvariant(c);
        if (c < 0x80)
        {
            folded.Append(c);
            return;
        }

        var mapped = c switch
        {
            >= (char)LatinStart when c < LatinStart + Latin.Length => Latin[c - LatinStart],
            >= (char)ExtendedStart when c < ExtendedStart + Extended.Length => Extended[c - ExtendedStart],
            _ => ' ',
        };
        if (mapped != ' ')
        {
            folded.Append(mapped);
        }
        else if (Ligatures.TryGetValue(c, out var spelt))
        {
            folded.Append(spelt);
        }
        else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
        {
            folded.Append(c);
        }
    }
}
