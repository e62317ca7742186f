using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ChatonsFed.Protocol.HttpSignatures;

/// <summary>
/// Parses RFC 8941 structured field values. Malformed input gives false and a reason; nothing throws.
/// </summary>
public static class StructuredFieldParser
{
    private const long MaxInteger = 999_999_999_999_999;

    public static bool TryParseDictionary(string? value, [NotNullWhen(true)] out StructuredDictionary? dictionary, [NotNullWhen(false)] out string? error)
    {
        dictionary = null;
        var reader = new Reader(value ?? string.Empty);
        reader.SkipSpaces();
        var result = new StructuredDictionary();
        while (!reader.AtEnd)
        {
            if (!reader.TryParseKey(out var key, out error))
            {
                return false;
            }

            StructuredMember member;
            if (reader.Peek == '=')
            {
                reader.Advance();
                if (!reader.TryParseMember(out var parsed, out error))
                {
                    return false;
                }

                member = parsed;
            }
            else
            {
                if (!reader.TryParseParameters(out var parameters, out error))
                {
                    return false;
                }

                member = new StructuredItem(BareItem.Boolean(true), parameters);
            }

            result.Set(key, member);
            if (!reader.TryParseListSeparator(out error))
            {
                return false;
            }
        }

        dictionary = result;
        error = null;
        return true;
    }

    public static bool TryParseList(string? value, [NotNullWhen(true)] out IReadOnlyList<StructuredMember>? list, [NotNullWhen(false)] out string? error)
    {
        list = null;
        var reader = new Reader(value ?? string.Empty);
        reader.SkipSpaces();
        var result = new List<StructuredMember>();
        while (!reader.AtEnd)
        {
            if (!reader.TryParseMember(out var member, out error))
            {
                return false;
            }

            result.Add(member);
            if (!reader.TryParseListSeparator(out error))
            {
                return false;
            }
        }

        list = result;
        error = null;
        return true;
    }

    public static bool TryParseItem(string? value, [NotNullWhen(true)] out StructuredItem? item, [NotNullWhen(false)] out string? error)
    {
        item = null;
        var reader = new Reader(value ?? string.Empty);
        reader.SkipSpaces();
        if (!reader.TryParseItem(out var parsed, out error))
        {
            return false;
        }

        reader.SkipSpaces();
        if (!reader.AtEnd)
        {
            error = reader.Fail("unexpected characters after the item");
            return false;
        }

        item = parsed;
        return true;
    }

    private struct Reader(string text)
    {
        private int _pos;

        public readonly bool AtEnd => _pos >= text.Length;

        public readonly char Peek => _pos < text.Length ? text[_pos] : '\0';

        public void Advance() => _pos++;

        public void SkipSpaces()
        {
            while (_pos < text.Length && text[_pos] == ' ')
            {
                _pos++;
            }
        }

        private void SkipOws()
        {
            while (_pos < text.Length && text[_pos] is ' ' or '\t')
            {
                _pos++;
            }
        }

        public readonly string Fail(string what) => $"{what} at position {_pos}";

        public bool TryParseListSeparator([NotNullWhen(false)] out string? error)
        {
            SkipOws();
            if (AtEnd)
            {
                error = null;
                return true;
            }

            if (Peek != ',')
            {
                error = Fail($"expected ',' but found '{Peek}'");
                return false;
            }

            Advance();
            SkipOws();
            if (AtEnd)
            {
                error = Fail("trailing ','");
                return false;
            }

            error = null;
            return true;
        }

        public bool TryParseMember([NotNullWhen(true)] out StructuredMember? member, [NotNullWhen(false)] out string? error)
        {
            if (Peek == '(')
            {
                var ok = TryParseInnerList(out var inner, out error);
                member = inner;
                return ok;
            }

            var parsed = TryParseItem(out var item, out error);
            member = item;
            return parsed;
        }

        private bool TryParseInnerList([NotNullWhen(true)] out InnerList? list, [NotNullWhen(false)] out string? error)
        {
            list = null;
            Advance(); // '('
            var items = new List<StructuredItem>();
            while (true)
            {
                SkipSpaces();
                if (AtEnd)
                {
                    error = Fail("inner list is not closed");
                    return false;
                }

                if (Peek == ')')
                {
                    Advance();
                    if (!TryParseParameters(out var parameters, out error))
                    {
                        return false;
                    }

                    list = new InnerList(items, parameters);
                    return true;
                }

                if (!TryParseItem(out var item, out error))
                {
                    return false;
                }

                items.Add(item);
                if (AtEnd)
                {
                    error = Fail("inner list is not closed");
                    return false;
                }

                if (Peek is not ' ' and not ')')
                {
                    error = Fail("expected ' ' or ')' in inner list");
                    return false;
                }
            }
        }

        public bool TryParseItem([NotNullWhen(true)] out StructuredItem? item, [NotNullWhen(false)] out string? error)
        {
            item = null;
            if (!TryParseBareItem(out var bare, out error) || !TryParseParameters(out var parameters, out error))
            {
                return false;
            }

            item = new StructuredItem(bare, parameters);
            return true;
        }

        public bool TryParseParameters([NotNullWhen(true)] out StructuredParameters? parameters, [NotNullWhen(false)] out string? error)
        {
            parameters = new StructuredParameters();
            while (Peek == ';')
            {
                Advance();
                SkipSpaces();
                if (!TryParseKey(out var key, out error))
                {
                    parameters = null;
                    return false;
                }

                var value = BareItem.Boolean(true);
                if (Peek == '=')
                {
                    Advance();
                    if (!TryParseBareItem(out value, out error))
                    {
                        parameters = null;
                        return false;
                    }
                }

                parameters.Set(key, value);
            }

            error = null;
            return true;
        }

        public bool TryParseKey([NotNullWhen(true)] out string? key, [NotNullWhen(false)] out string? error)
        {
            key = null;
            if (!(Peek is >= 'a' and <= 'z' || Peek == '*'))
            {
                error = AtEnd ? Fail("expected a key but the value ended") : Fail($"a key cannot start with '{Peek}'");
                return false;
            }

            var start = _pos;
            while (!AtEnd && (Peek is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' or '-' or '.' or '*'))
            {
                _pos++;
            }

            key = text[start.._pos];
            error = null;
            return true;
        }

        private bool TryParseBareItem(out BareItem item, [NotNullWhen(false)] out string? error)
        {
            item = default;
            var c = Peek;
            if (c == '-' || c is >= '0' and <= '9')
            {
                return TryParseNumber(out item, out error);
            }

            if (c == '"')
            {
                return TryParseString(out item, out error);
            }

            if (c == '*' || c is >= 'A' and <= 'Z' or >= 'a' and <= 'z')
            {
                var start = _pos;
                _pos++;
                while (!AtEnd && (IsTChar(Peek) || Peek is ':' or '/'))
                {
                    _pos++;
                }

                item = BareItem.Token(text[start.._pos]);
                error = null;
                return true;
            }

            if (c == ':')
            {
                return TryParseByteSequence(out item, out error);
            }

            if (c == '?')
            {
                Advance();
                if (Peek is '0' or '1')
                {
                    item = BareItem.Boolean(Peek == '1');
                    Advance();
                    error = null;
                    return true;
                }

                error = Fail("a boolean must be ?0 or ?1");
                return false;
            }

            error = AtEnd ? Fail("expected an item but the value ended") : Fail($"unexpected character '{c}'");
            return false;
        }

        private bool TryParseNumber(out BareItem item, [NotNullWhen(false)] out string? error)
        {
            item = default;
            var start = _pos;
            if (Peek == '-')
            {
                _pos++;
            }

            if (!(Peek is >= '0' and <= '9'))
            {
                error = Fail("a number needs a digit");
                return false;
            }

            var digitsStart = _pos;
            var dot = -1;
            while (!AtEnd)
            {
                var c = Peek;
                if (c is >= '0' and <= '9')
                {
                    _pos++;
                }
                else if (c == '.' && dot < 0)
                {
                    if (_pos - digitsStart > 12)
                    {
                        error = Fail("a decimal has at most 12 integer digits");
                        return false;
                    }

                    dot = _pos;
                    _pos++;
                }
                else
                {
                    break;
                }

                if (dot < 0 && _pos - digitsStart > 15)
                {
                    error = Fail("an integer has at most 15 digits");
                    return false;
                }

                if (dot >= 0 && _pos - digitsStart > 16)
                {
                    error = Fail("a decimal has at most 16 characters");
                    return false;
                }
            }

            var number = text.AsSpan(start, _pos - start);
            if (dot < 0)
            {
                var value = long.Parse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                if (value is > MaxInteger or < -MaxInteger)
                {
                    error = Fail("integer out of range");
                    return false;
                }

                item = BareItem.Integer(value);
                error = null;
                return true;
            }

            var fraction = _pos - dot - 1;
            if (fraction is 0 or > 3)
            {
                error = Fail("a decimal needs 1 to 3 fraction digits");
                return false;
            }

            item = BareItem.Decimal(decimal.Parse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
            error = null;
            return true;
        }

        private bool TryParseString(out BareItem item, [NotNullWhen(false)] out string? error)
        {
            item = default;
            Advance(); // opening quote

            // Most strings hold no escapes: take them as one slice.
            var end = text.AsSpan(_pos).IndexOfAny('"', '\\');
            if (end >= 0 && text[_pos + end] == '"' && !text.AsSpan(_pos, end).ContainsAnyExceptInRange(' ', '~'))
            {
                item = BareItem.String(text.Substring(_pos, end));
                _pos += end + 1;
                error = null;
                return true;
            }

            var builder = new System.Text.StringBuilder();
            while (!AtEnd)
            {
                var c = Peek;
                _pos++;
                if (c == '\\')
                {
                    if (AtEnd)
                    {
                        error = Fail("string ends inside an escape");
                        return false;
                    }

                    var next = Peek;
                    if (next is not '"' and not '\\')
                    {
                        error = Fail($"'\\{next}' is not a valid escape in a string");
                        return false;
                    }

                    builder.Append(next);
                    _pos++;
                }
                else if (c == '"')
                {
                    item = BareItem.String(builder.ToString());
                    error = null;
                    return true;
                }
                else if (c is < ' ' or > '~')
                {
                    error = Fail("a string may only hold printable ASCII");
                    return false;
                }
                else
                {
                    builder.Append(c);
                }
            }

            error = Fail("string is not closed");
            return false;
        }

        private bool TryParseByteSequence(out BareItem item, [NotNullWhen(false)] out string? error)
        {
            item = default;
            Advance(); // ':'
            var start = _pos;
            while (!AtEnd && Peek != ':')
            {
                var c = Peek;
                if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '+' or '/' or '='))
                {
                    error = Fail($"'{c}' is not a base64 character");
                    return false;
                }

                _pos++;
            }

            if (AtEnd)
            {
                error = Fail("byte sequence is not closed");
                return false;
            }

            var encoded = text.AsSpan(start, _pos - start);
            _pos++; // closing ':'
            // RFC 8941 asks parsers not to fail when '=' padding is missing.
            if (encoded.Length % 4 is 2 or 3)
            {
                encoded = string.Concat(encoded, encoded.Length % 4 == 2 ? "==" : "=");
            }

            var buffer = new byte[encoded.Length * 3 / 4 + 3];
            if (!Convert.TryFromBase64Chars(encoded, buffer, out var written))
            {
                error = Fail("byte sequence is not valid base64");
                return false;
            }

            item = BareItem.ByteSequence(buffer.AsSpan(0, written).ToArray());
            error = null;
            return true;
        }

        private static bool IsTChar(char c) =>
            c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
                or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
    }
}
