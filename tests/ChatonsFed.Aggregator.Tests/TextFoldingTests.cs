using System.Globalization;
using System.Text;
using ChatonsFed.Directory.Text;
using CsCheck;

namespace ChatonsFed.Aggregator.Tests;

public sealed class TextFoldingTests
{
    [Theory]
    [InlineData("Écriture collaborative", "ecriture collaborative")]
    [InlineData("Hébergé à Montréal, Québec", "heberge a montreal, quebec")]
    [InlineData("Œuvre, cœur, ÆON, straße, ẞ", "oeuvre, coeur, aeon, strasse, ss")]
    [InlineData("Ñandú, Ångström, Łódź, Ørsted, Đakovo", "nandu, angstrom, lodz, orsted, dakovo")]
    [InlineData("Tiếng Việt, Ỳ", "tieng viet, y")]
    [InlineData("ﬁchier", "fichier")]
    [InlineData("e\u0301te\u0301", "ete")]
    public void Folds_case_accents_and_ligatures(string text, string folded)
    {
        Assert.Equal(folded, TextFolding.Fold(text));
    }

    [Fact]
    public void The_tests_run_with_invariant_globalization_where_normalize_does_not_decompose()
    {
        // Why the folding does not rely on string.Normalize: without ICU it leaves "é" whole.
        Assert.True(AppContext.TryGetSwitch("System.Globalization.Invariant", out var invariant) && invariant);
        Assert.Equal(1, "é".Normalize(NormalizationForm.FormD).Length);
        Assert.Equal("ecriture", TextFolding.Fold("ÉCRITURE"));
    }

    [Fact]
    public void Words_are_runs_of_letters_and_digits()
    {
        Assert.Equal(["stockage", "partage", "d", "images", "2", "0"], TextFolding.Words("Stockage / partage d'images — 2.0"));
        Assert.Empty(TextFolding.Words(null));
    }

    [Fact]
    public void Folding_is_idempotent_and_keeps_ascii_lowercase_as_is()
    {
        var latin = Gen.String[Gen.Char[(char)0x20, (char)0x24F], 0, 40];
        latin.Sample(text =>
        {
            var once = TextFolding.Fold(text);
            Assert.Equal(once, TextFolding.Fold(once));
            Assert.Equal(once.ToLower(CultureInfo.InvariantCulture), once);
        });
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789 -'"], 0, 40].Sample(text => Assert.Equal(text, TextFolding.Fold(text)));
    }
}
