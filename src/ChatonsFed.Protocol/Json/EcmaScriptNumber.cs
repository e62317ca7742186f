using System.Globalization;

namespace ChatonsFed.Protocol.Json;

/// <summary>Writes a double the way ECMAScript's Number.prototype.toString does, as RFC 8785 requires.</summary>
internal static class EcmaScriptNumber
{
    /// <summary>Longest output: sign, "0.", five zeros and 17 digits, or 17 digits with a point and "e-324".</summary>
    public const int MaxLength = 32;

    /// <summary>Formats <paramref name="value"/> into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes) and returns the length.</summary>
    public static int Format(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            throw new ProtocolFormatException("JSON canonicalization (RFC 8785) cannot represent NaN or Infinity");
        }

        if (value == 0)
        {
            // Covers -0 as well, which ECMAScript prints as "0".
            destination[0] = (byte)'0';
            return 1;
        }

        // .NET's "R" gives the shortest digit string that round-trips, the same digits ECMAScript picks;
        // only the layout (where the point goes, when to use an exponent) differs, so it is redone here.
        Span<byte> raw = stackalloc byte[MaxLength];
        if (!value.TryFormat(raw, out var rawLength, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("a double did not fit its formatting buffer");
        }

        raw = raw[..rawLength];
        var pos = 0;
        var negative = raw[0] == (byte)'-';
        if (negative)
        {
            pos = 1;
        }

        // Significant digits (without leading zeros) and the count of digits before the point.
        Span<byte> digits = stackalloc byte[24];
        var digitCount = 0;
        var integerDigits = 0;
        var seenPoint = false;
        var leadingZeros = 0;
        for (; pos < raw.Length; pos++)
        {
            var c = raw[pos];
            if (c == (byte)'.')
            {
                seenPoint = true;
                continue;
            }

            if (c == (byte)'E')
            {
                break;
            }

            if (!seenPoint)
            {
                integerDigits++;
            }

            if (digitCount == 0 && c == (byte)'0')
            {
                leadingZeros++;
                continue;
            }

            digits[digitCount++] = c;
        }

        var exponent = 0;
        if (pos < raw.Length)
        {
            // "E+21" or "E-07"
            var exponentNegative = raw[pos + 1] == (byte)'-';
            for (var i = pos + 2; i < raw.Length; i++)
            {
                exponent = (exponent * 10) + (raw[i] - '0');
            }

            if (exponentNegative)
            {
                exponent = -exponent;
            }
        }

        while (digitCount > 1 && digits[digitCount - 1] == (byte)'0')
        {
            digitCount--;
        }

        // value = 0.d1d2...dk * 10^n, in the terms of ECMA-262 Number::toString.
        var k = digitCount;
        var n = integerDigits - leadingZeros + exponent;
        var o = 0;
        if (negative)
        {
            destination[o++] = (byte)'-';
        }

        if (k <= n && n <= 21)
        {
            digits[..k].CopyTo(destination[o..]);
            o += k;
            destination.Slice(o, n - k).Fill((byte)'0');
            o += n - k;
        }
        else if (0 < n && n <= 21)
        {
            digits[..n].CopyTo(destination[o..]);
            o += n;
            destination[o++] = (byte)'.';
            digits[n..k].CopyTo(destination[o..]);
            o += k - n;
        }
        else if (-6 < n && n <= 0)
        {
            destination[o++] = (byte)'0';
            destination[o++] = (byte)'.';
            destination.Slice(o, -n).Fill((byte)'0');
            o += -n;
            digits[..k].CopyTo(destination[o..]);
            o += k;
        }
        else
        {
            destination[o++] = digits[0];
            if (k > 1)
            {
                destination[o++] = (byte)'.';
                digits[1..k].CopyTo(destination[o..]);
                o += k - 1;
            }

            destination[o++] = (byte)'e';
            var e = n - 1;
            destination[o++] = e < 0 ? (byte)'-' : (byte)'+';
            e = Math.Abs(e);
            if (!e.TryFormat(destination[o..], out var written, default, CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException("an exponent did not fit its formatting buffer");
            }

            o += written;
        }

        return o;
    }
}
