using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Json;

namespace ChatonsFed.Protocol.Tests.Json;

/// <summary>Every case of tests/vectors/jcs-rfc8785.json (cyberphone test data and RFC 8785 appendix B).</summary>
public class JsonCanonicalizerVectorTests
{
    private static readonly JsonNode Vectors = RepositoryFiles.LoadVector("jcs-rfc8785.json");

    public static TheoryData<string> StringCaseNames() =>
        new(Vectors["string_cases"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));

    public static TheoryData<string, string> AppendixBNumbers()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in Vectors["number_cases_rfc8785_appendix_b"]!.AsArray())
        {
            data.Add(c!["ieee754_hex"]!.GetValue<string>(), c["expected"]?.GetValue<string>() ?? "error");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StringCaseNames))]
    public void Canonical_form_of_raw_input_matches_the_expected_bytes(string name)
    {
        var (input, expected) = StringCase(name);
        Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(JsonCanonicalizer.Canonicalize(input)));
    }

    [Theory]
    [MemberData(nameof(StringCaseNames))]
    public void Canonical_form_of_a_parsed_node_matches_the_expected_bytes(string name)
    {
        var (input, expected) = StringCase(name);
        var node = JsonNode.Parse(input);
        Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(JsonCanonicalizer.Canonicalize(node)));

        // Once materialised (enumerated), a node holds .NET strings and doubles rather than raw text.
        var rebuilt = Rebuild(JsonNode.Parse(input));
        Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(JsonCanonicalizer.Canonicalize(rebuilt)));
    }

    [Theory]
    [MemberData(nameof(StringCaseNames))]
    public void Canonical_form_of_a_json_element_matches_the_expected_bytes(string name)
    {
        var (input, expected) = StringCase(name);
        using var document = JsonDocument.Parse(input);
        Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(JsonCanonicalizer.Canonicalize(document.RootElement)));
    }

    [Theory]
    [MemberData(nameof(AppendixBNumbers))]
    public void Appendix_B_number_is_written_as_ECMAScript_does(string ieee754Hex, string expected)
    {
        var value = BitConverter.Int64BitsToDouble(unchecked((long)ulong.Parse(ieee754Hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
        if (expected == "error")
        {
            Assert.Throws<ProtocolFormatException>(() => JsonCanonicalizer.Canonicalize(JsonValue.Create(value)));
            return;
        }

        Assert.Equal(expected, Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(JsonValue.Create(value))));
        Assert.Equal(expected, Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(value.ToString("R", CultureInfo.InvariantCulture)))));
    }

    [Fact]
    public void All_ten_thousand_es6testfile_numbers_are_written_as_ECMAScript_does()
    {
        var section = Vectors["number_cases_es6testfile"]!;
        var lines = section["cases"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.Equal(section["count"]!.GetValue<int>(), lines.Count);

        // The lines themselves are the published test file: check they were not altered on the way.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
        Assert.Equal(section["sha256_first_10000_lines"]!.GetValue<string>(), Convert.ToHexStringLower(hash));

        var mismatches = new List<string>();
        Span<byte> buffer = stackalloc byte[EcmaScriptNumber.MaxLength];
        foreach (var line in lines)
        {
            var comma = line.IndexOf(',');
            var bits = ulong.Parse(line.AsSpan(0, comma), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var expected = line[(comma + 1)..];
            var value = BitConverter.Int64BitsToDouble(unchecked((long)bits));

            var direct = Encoding.UTF8.GetString(buffer[..EcmaScriptNumber.Format(value, buffer)]);
            var viaText = Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(value.ToString("R", CultureInfo.InvariantCulture))));
            if (direct != expected || viaText != expected)
            {
                mismatches.Add($"{line}: got {direct} (from a double) and {viaText} (from text)");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches, first ones:\n{string.Join('\n', mismatches.Take(10))}");
    }

    private static (byte[] Input, byte[] Expected) StringCase(string name)
    {
        var item = Vectors["string_cases"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;
        return (Encoding.UTF8.GetBytes(item["input_text"]!.GetValue<string>()),
            Convert.FromHexString(item["expected_canonical_hex"]!.GetValue<string>()));
    }

    private static JsonNode? Rebuild(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(m => KeyValuePair.Create(m.Key, Rebuild(m.Value)))),
        JsonArray a => new JsonArray(a.Select(Rebuild).ToArray()),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => JsonValue.Create(v.GetValue<double>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => JsonValue.Create(true),
        JsonValue v when v.GetValueKind() == JsonValueKind.False => JsonValue.Create(false),
        _ => null,
    };
}
