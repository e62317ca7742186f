using System.Numerics;
using System.Text;
using ChatonsFed.Protocol.Keys;
using CsCheck;

namespace ChatonsFed.Protocol.Tests.Keys;

public class Base58BtcTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("00", "1")]
    [InlineData("0000", "11")]
    [InlineData("000001", "112")]
    [InlineData("61", "2g")]
    [InlineData("626262", "a3gV")]
    [InlineData("636363", "aPEr")]
    [InlineData("ff", "5Q")]
    [InlineData("ffffffff", "7YXq9G")]
    [InlineData("48656c6c6f20576f726c6421", "2NEpo7TZRRrLZSi2U")]
    [InlineData("516b6fcd0f", "ABnLTmg")]
    [InlineData("00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L")]
    public void Known_values_encode_and_decode(string hex, string text)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.Equal(text, Base58Btc.Encode(bytes));
        Assert.Equal(hex, Convert.ToHexStringLower(Base58Btc.Decode(text)));
    }

    [Theory]
    [InlineData("0", '0')]
    [InlineData("2NEpO7", 'O')]
    [InlineData("I", 'I')]
    [InlineData("abl", 'l')]
    [InlineData("ab+", '+')]
    [InlineData("abé", 'é')]
    public void Characters_outside_the_alphabet_are_named_in_the_error(string text, char bad)
    {
        Assert.False(Base58Btc.TryDecode(text, out _, out var error));
        Assert.Contains($"'{bad}'", error);
        var e = Assert.Throws<ProtocolFormatException>(() => Base58Btc.Decode(text));
        Assert.Contains("not a base58btc character", e.Message);
    }

    [Fact]
    public void A_too_small_destination_is_reported_not_overrun()
    {
        Span<byte> small = stackalloc byte[3];
        Assert.False(Base58Btc.TryDecode("2NEpo7TZRRrLZSi2U", small, out _, out var error));
        Assert.Contains("needs 12 bytes", error);
    }

    [Fact]
    public void Encoding_matches_a_big_integer_reference_and_round_trips()
    {
        Gen.Frequency((3, Gen.Byte.Array[0, 80]), (1, Gen.Byte[0, 1].Array[0, 12]), (1, Gen.Byte.Array[200, 400])).Sample(bytes =>
        {
            var text = Base58Btc.Encode(bytes);
            Assert.Equal(Reference(bytes), text);
            Assert.Equal(bytes, Base58Btc.Decode(text));
        });
    }

    private static string Reference(byte[] bytes)
    {
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var sb = new StringBuilder();
        while (value > 0)
        {
            sb.Insert(0, Base58Btc.Alphabet[(int)(value % 58)]);
            value /= 58;
        }

        return new string('1', bytes.TakeWhile(b => b == 0).Count()) + sb;
    }
}
