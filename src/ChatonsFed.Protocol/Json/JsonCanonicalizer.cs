using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatonsFed.Protocol.Json;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme (JCS): members sorted by UTF-16 code units, no whitespace,
/// minimal string escapes, numbers as ECMAScript prints them. Invalid input (NaN, Infinity, a lone
/// surrogate, a duplicate member name, malformed JSON, nesting deeper than <see cref="MaxDepth"/>)
/// raises <see cref="ProtocolFormatException"/>.
/// </summary>
public static class JsonCanonicalizer
{
    /// <summary>The deepest nesting of arrays and objects accepted.</summary>
    public const int MaxDepth = 256;

    public static byte[] Canonicalize(JsonNode? node)
    {
        using var buffer = new PooledBufferWriter();
        Canonicalize(node, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Canonicalize(JsonNode? node, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var o = new CanonicalOutput(output);
        WriteNode(ref o, node, 0);
        o.Flush();
    }

    public static byte[] Canonicalize(JsonElement element)
    {
        using var buffer = new PooledBufferWriter();
        Canonicalize(element, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Canonicalize(JsonElement element, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var o = new CanonicalOutput(output);
        WriteElement(ref o, element, 0);
        o.Flush();
    }

    /// <summary>Parses one JSON text (UTF-8) and returns its canonical form.</summary>
    public static byte[] Canonicalize(ReadOnlySpan<byte> utf8Json)
    {
        using var buffer = new PooledBufferWriter(Math.Max(utf8Json.Length, 256));
        Canonicalize(utf8Json, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses one JSON text (UTF-8) and writes its canonical form to <paramref name="output"/>.</summary>
    public static void Canonicalize(ReadOnlySpan<byte> utf8Json, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var document = Parse(utf8Json);
        Canonicalize(document.RootElement, output);
    }

    /// <summary>The canonical form as a string, for logs and tests; hash the bytes, not this.</summary>
    public static string CanonicalizeToString(JsonNode? node) => Encoding.UTF8.GetString(Canonicalize(node));

    /// <summary>SHA-256 of the canonical form of <paramref name="obj"/>, with the given top-level edits applied.</summary>
    internal static void HashSha256(JsonObject obj, in TopLevelEdits edits, PooledBufferWriter scratch, Span<byte> destination)
    {
        scratch.Clear();
        var o = new CanonicalOutput(scratch);
        WriteObject(ref o, obj, edits, 0);
        o.Flush();
        SHA256.HashData(scratch.WrittenSpan, destination);
    }

    /// <summary>
    /// SHA-256 of the canonical form of the object <paramref name="element"/>, with the given top-level edits applied:
    /// the same bytes as <see cref="HashSha256(JsonObject, in TopLevelEdits, PooledBufferWriter, Span{byte})"/> over the
    /// same JSON, read straight from the parsed text rather than from a tree of nodes.
    /// </summary>
    internal static void HashSha256(JsonElement element, in TopLevelEdits edits, PooledBufferWriter scratch, Span<byte> destination)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ProtocolFormatException($"expected a JSON object, found {element.ValueKind}");
        }

        scratch.Clear();
        var o = new CanonicalOutput(scratch);
        WriteElementObject(ref o, element, edits, 0);
        o.Flush();
        SHA256.HashData(scratch.WrittenSpan, destination);
    }

    /// <summary>The canonical form of <paramref name="obj"/> with the given top-level edits applied.</summary>
    internal static byte[] Canonicalize(JsonObject obj, in TopLevelEdits edits)
    {
        using var buffer = new PooledBufferWriter();
        var o = new CanonicalOutput(buffer);
        WriteObject(ref o, obj, edits, 0);
        o.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static JsonDocument Parse(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            var document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                document.Dispose();
                throw new ProtocolFormatException("the input holds more than one JSON value");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw new ProtocolFormatException($"the input is not valid JSON: {e.Message}", e);
        }
    }

    private static void WriteNode(ref CanonicalOutput o, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                o.WriteBytes("null"u8);
                break;
            case JsonObject obj:
                WriteObject(ref o, obj, default, depth);
                break;
            case JsonArray array:
                CheckDepth(depth);
                o.WriteByte((byte)'[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        o.WriteByte((byte)',');
                    }

                    WriteNode(ref o, array[i], depth + 1);
                }

                o.WriteByte((byte)']');
                break;
            case JsonValue value:
                WriteValue(ref o, value, depth);
                break;
            default:
                throw new ProtocolFormatException($"unsupported JSON node type {node.GetType().Name}");
        }
    }

    private static void WriteObject(ref CanonicalOutput o, JsonObject obj, in TopLevelEdits edits, int depth)
    {
        CheckDepth(depth);
        var capacity = obj.Count + 1;
        var members = ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Rent(capacity);
        var count = 0;
        try
        {
            var overridden = false;
            foreach (var member in obj)
            {
                if (edits.Omits(member.Key))
                {
                    continue;
                }

                if (edits.OverrideName is { } name && string.Equals(name, member.Key, StringComparison.Ordinal))
                {
                    // The value is written from edits.OverrideCanonicalValue below.
                    members[count++] = new(name, null);
                    overridden = true;
                    continue;
                }

                members[count++] = member;
            }

            if (!overridden && edits.OverrideName is { } added)
            {
                members[count++] = new(added, null);
            }

            var sorted = members.AsSpan(0, count);
            MemberSort.Sort(sorted, new MemberNameComparer());
            o.WriteByte((byte)'{');
            for (var i = 0; i < sorted.Length; i++)
            {
                if (i > 0)
                {
                    o.WriteByte((byte)',');
                }

                o.WriteString(sorted[i].Key);
                o.WriteByte((byte)':');
                if (edits.OverrideName is { } replaced && string.Equals(replaced, sorted[i].Key, StringComparison.Ordinal))
                {
                    o.WriteBytes(edits.OverrideCanonicalValue);
                }
                else
                {
                    WriteNode(ref o, sorted[i].Value, depth + 1);
                }
            }

            o.WriteByte((byte)'}');
        }
        finally
        {
            members.AsSpan(0, count).Clear();
            ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Return(members);
        }
    }

    private static void WriteValue(ref CanonicalOutput o, JsonValue value, int depth)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            WriteElement(ref o, element, depth);
            return;
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.String when value.TryGetValue<string>(out var text):
                o.WriteString(text);
                return;
            case JsonValueKind.Number when TryGetDouble(value, out var number):
                o.WriteNumber(number);
                return;
            case JsonValueKind.True:
                o.WriteBytes("true"u8);
                return;
            case JsonValueKind.False:
                o.WriteBytes("false"u8);
                return;
            case JsonValueKind.Null:
                o.WriteBytes("null"u8);
                return;
            default:
                // A value of some other .NET type (a char, a Guid, a decimal…): canonicalize what it serializes to.
                using (var document = Parse(Encoding.UTF8.GetBytes(value.ToJsonString())))
                {
                    WriteElement(ref o, document.RootElement, depth);
                }

                return;
        }
    }

    private static bool TryGetDouble(JsonValue value, out double number)
    {
        if (value.TryGetValue(out number))
        {
            return true;
        }

        if (value.TryGetValue<float>(out var f))
        {
            number = f;
            return true;
        }

        if (value.TryGetValue<int>(out var i))
        {
            number = i;
            return true;
        }

        if (value.TryGetValue<long>(out var l))
        {
            number = l;
            return true;
        }

        return false;
    }

    private static void WriteElement(ref CanonicalOutput o, JsonElement element, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteElementObject(ref o, element, default, depth);
                return;
            case JsonValueKind.Array:
                CheckDepth(depth);
                o.WriteByte((byte)'[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        o.WriteByte((byte)',');
                    }

                    first = false;
                    WriteElement(ref o, item, depth + 1);
                }

                o.WriteByte((byte)']');
                return;
            case JsonValueKind.String:
                WriteElementString(ref o, element);
                return;
            case JsonValueKind.Number:
                WriteElementNumber(ref o, element);
                return;
            case JsonValueKind.True:
                o.WriteBytes("true"u8);
                return;
            case JsonValueKind.False:
                o.WriteBytes("false"u8);
                return;
            case JsonValueKind.Null:
                o.WriteBytes("null"u8);
                return;
            default:
                throw new ProtocolFormatException($"cannot canonicalize a JSON element of kind {element.ValueKind}");
        }
    }

    private static void WriteElementObject(ref CanonicalOutput o, JsonElement element, in TopLevelEdits edits, int depth)
    {
        CheckDepth(depth);
        var capacity = element.GetPropertyCount();
        var members = ArrayPool<JsonProperty>.Shared.Rent(Math.Max(capacity, 1));
        try
        {
            var count = 0;
            var edited = edits.Omit is not null || edits.OverrideName is not null;
            int omitted = 0, alsoOmitted = 0, overridden = 0;
            foreach (var property in element.EnumerateObject())
            {
                if (edited)
                {
                    // Members left out or replaced are still counted, so that a name given twice is refused as it
                    // is anywhere else in the document.
                    if (edits.Omit is { } omit && property.NameEquals(omit))
                    {
                        Once(ref omitted, omit);
                        continue;
                    }

                    if (edits.AlsoOmit is { } alsoOmit && property.NameEquals(alsoOmit))
                    {
                        Once(ref alsoOmitted, alsoOmit);
                        continue;
                    }

                    if (edits.OverrideName is { } name && property.NameEquals(name))
                    {
                        Once(ref overridden, name);
                        continue;
                    }
                }

                members[count++] = property;
            }

            var sorted = members.AsSpan(0, count);
            var comparer = new PropertyNameComparer();
            MemberSort.Sort(sorted, comparer);
            var pending = edits.OverrideName;
            o.WriteByte((byte)'{');
            var written = 0;
            for (var i = 0; i < sorted.Length; i++)
            {
                if (i > 0 && comparer.Compare(sorted[i - 1], sorted[i]) == 0)
                {
                    throw new ProtocolFormatException($"the JSON object has the member \"{sorted[i].Name}\" more than once");
                }

                if (pending is not null && MemberSort.CompareUtf16(pending, sorted[i].Name) < 0)
                {
                    WriteOverride(ref o, pending, edits.OverrideCanonicalValue, ref written);
                    pending = null;
                }

                if (written++ > 0)
                {
                    o.WriteByte((byte)',');
                }

                var rawName = JsonMarshal.GetRawUtf8PropertyName(sorted[i]);
                if (rawName.IndexOf((byte)'\\') < 0)
                {
                    o.WriteUnescapedUtf8String(rawName);
                }
                else
                {
                    o.WriteString(sorted[i].Name);
                }

                o.WriteByte((byte)':');
                WriteElement(ref o, sorted[i].Value, depth + 1);
            }

            if (pending is not null)
            {
                WriteOverride(ref o, pending, edits.OverrideCanonicalValue, ref written);
            }

            o.WriteByte((byte)'}');
        }
        finally
        {
            ArrayPool<JsonProperty>.Shared.Return(members, clearArray: true);
        }

        static void Once(ref int seen, string name)
        {
            if (seen++ > 0)
            {
                throw new ProtocolFormatException($"the JSON object has the member \"{name}\" more than once");
            }
        }

        static void WriteOverride(ref CanonicalOutput o, string name, ArraySegment<byte> canonicalValue, ref int written)
        {
            if (written++ > 0)
            {
                o.WriteByte((byte)',');
            }

            o.WriteString(name);
            o.WriteByte((byte)':');
            o.WriteBytes(canonicalValue);
        }
    }

    private static void WriteElementString(ref CanonicalOutput o, JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (raw.Length >= 2 && raw[0] == (byte)'"')
        {
            raw = raw[1..^1];
        }

        // Without a backslash the raw text is already canonical: the parser has checked it is valid
        // UTF-8 and JSON forbids unescaped quotes and control characters inside strings.
        if (raw.IndexOf((byte)'\\') < 0)
        {
            o.WriteUnescapedUtf8String(raw);
            return;
        }

        string text;
        try
        {
            text = element.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new ProtocolFormatException("a JSON string holds an invalid escape sequence or unpaired surrogate", e);
        }

        o.WriteString(text);
    }

    private static void WriteElementNumber(ref CanonicalOutput o, JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);

        // Integers of up to 15 digits are exact doubles that ECMAScript prints digit for digit.
        var digits = raw.Length > 0 && raw[0] == (byte)'-' ? raw[1..] : raw;
        if (digits.Length is > 0 and <= 15 && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            if (digits.Length == 1 && digits[0] == (byte)'0')
            {
                o.WriteByte((byte)'0');
            }
            else
            {
                o.WriteBytes(raw);
            }

            return;
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new ProtocolFormatException($"the JSON number {Encoding.UTF8.GetString(raw)} is outside the range of an IEEE 754 double");
        }

        o.WriteNumber(value);
    }

    private static void CheckDepth(int depth)
    {
        if (depth >= MaxDepth)
        {
            throw new ProtocolFormatException($"the JSON value nests deeper than {MaxDepth} levels");
        }
    }

    /// <summary>Orders member names by UTF-16 code units, as RFC 8785 section 3.2.3 requires.</summary>
    private readonly struct MemberNameComparer : IComparer<KeyValuePair<string, JsonNode?>>
    {
        public int Compare(KeyValuePair<string, JsonNode?> x, KeyValuePair<string, JsonNode?> y) =>
            MemberSort.CompareUtf16(x.Key, y.Key);
    }

    /// <summary>Orders raw property names by UTF-16 code units without decoding them when they hold no escapes.</summary>
    private readonly struct PropertyNameComparer : IComparer<JsonProperty>
    {
        public int Compare(JsonProperty x, JsonProperty y)
        {
            var a = JsonMarshal.GetRawUtf8PropertyName(x);
            var b = JsonMarshal.GetRawUtf8PropertyName(y);
            if (a.IndexOf((byte)'\\') >= 0 || b.IndexOf((byte)'\\') >= 0)
            {
                return MemberSort.CompareUtf16(x.Name, y.Name);
            }

            return Utf8Order.CompareAsUtf16(a, b);
        }
    }
}
