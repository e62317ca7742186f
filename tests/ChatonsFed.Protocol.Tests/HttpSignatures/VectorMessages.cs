using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Protocol.Tests.HttpSignatures;

/// <summary>Turns the HTTP/1.1 message text of the shared vector files into snapshots.</summary>
internal static class VectorMessages
{
    public const string Rfc9421File = "http-message-signatures-rfc9421.json";
    public const string CavageFile = "http-signatures-cavage12-mastodon.json";

    private static readonly Lazy<JsonNode> Rfc9421 = new(() => RepositoryFiles.LoadVector(Rfc9421File));
    private static readonly Lazy<JsonNode> Cavage = new(() => RepositoryFiles.LoadVector(CavageFile));

    public static JsonNode Rfc9421Vectors => Rfc9421.Value;

    public static JsonNode CavageVectors => Cavage.Value;

    public static HttpRequestSnapshot ParseRequest(string message, string scheme = "https")
    {
        var (startLine, headers, body) = Split(message);
        var parts = startLine.Split(' ');
        var method = parts[0];
        var target = parts[1];
        var host = headers.GetCombinedValue("host") ?? "www.example.com";
        if (target.StartsWith('/'))
        {
            return new HttpRequestSnapshot(method, $"{scheme}://{host}{target}", headers, body);
        }

        if (target.Contains("://", StringComparison.Ordinal))
        {
            return new HttpRequestSnapshot(method, target, headers, body, requestTarget: target);
        }

        return new HttpRequestSnapshot(method, $"{scheme}://{host}", headers, body, requestTarget: target);
    }

    public static HttpResponseSnapshot ParseResponse(string message, HttpRequestSnapshot? request = null)
    {
        var (startLine, headers, body) = Split(message);
        var status = int.Parse(startLine.Split(' ')[1]);
        return new HttpResponseSnapshot(status, headers, body, request);
    }

    /// <summary>Header lines only (no start line), e.g. the component examples that show just fields.</summary>
    public static HeaderFields ParseHeaderLines(string text)
    {
        var headers = new HeaderFields();
        string? name = null;
        string? value = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > 0 && line[0] is ' ' or '\t' && name is not null)
            {
                value += "\n" + line; // obs-fold, kept for the canonicalisation to replace
                continue;
            }

            if (name is not null)
            {
                headers.Add(name, value!);
            }

            var colon = line.IndexOf(':');
            name = line[..colon];
            value = line[(colon + 1)..];
        }

        if (name is not null)
        {
            headers.Add(name, value!);
        }

        return headers;
    }

    /// <summary>Adds the Signature-Input and Signature lines of a vector's signature_headers when the message lacks them.</summary>
    public static void AddSignatureHeaders(HeaderFields headers, string signatureHeaders)
    {
        if (headers.Contains("Signature-Input"))
        {
            return;
        }

        foreach (var line in signatureHeaders.Split('\n'))
        {
            if (line.StartsWith("Signature-Input: ", StringComparison.Ordinal))
            {
                headers.Add("Signature-Input", line["Signature-Input: ".Length..]);
            }
            else if (line.StartsWith("Signature: ", StringComparison.Ordinal))
            {
                headers.Add("Signature", line["Signature: ".Length..]);
            }
        }
    }

    public static HttpSignatureKey Rfc9421PublicKey(string keyId)
    {
        var key = Rfc9421Vectors["keys"]![keyId]!;
        return keyId switch
        {
            "test-shared-secret" => HttpSignatureKey.FromHmacSecret(Convert.FromBase64String((string)key["base64"]!)),
            "test-key-rsa" => HttpSignatureKey.ImportPem((string)key["public_pem_pkcs1"]!),
            "test-key-rsa-pss" => HttpSignatureKey.ImportPem((string)key["public_pem_spki"]!, HttpSignatureAlgorithm.RsaPssSha512),
            _ => HttpSignatureKey.ImportPem((string)key["public_pem_spki"]!),
        };
    }

    public static HttpSignatureKey Rfc9421PrivateKey(string keyId)
    {
        var key = Rfc9421Vectors["keys"]![keyId]!;
        return keyId switch
        {
            "test-shared-secret" => HttpSignatureKey.FromHmacSecret(Convert.FromBase64String((string)key["base64"]!)),
            "test-key-rsa" => HttpSignatureKey.ImportPem((string)key["private_pem_pkcs1"]!),
            "test-key-rsa-pss" => HttpSignatureKey.ImportPem((string)key["private_pem_pkcs8"]!),
            "test-key-ecc-p256" => HttpSignatureKey.ImportPem((string)key["private_pem_sec1"]!),
            _ => HttpSignatureKey.ImportPem((string)key["private_pem_pkcs8"]!),
        };
    }

    public static HttpSignatureKey CavagePublicKey() => HttpSignatureKey.ImportPem((string)CavageVectors["key"]!["public_pem"]!);

    public static HttpSignatureKey CavagePrivateKey() => HttpSignatureKey.ImportPem((string)CavageVectors["key"]!["private_pem_pkcs1"]!);

    private static (string StartLine, HeaderFields Headers, byte[] Body) Split(string message)
    {
        var blank = message.IndexOf("\n\n", StringComparison.Ordinal);
        var head = blank >= 0 ? message[..blank] : message;
        var body = blank >= 0 ? message[(blank + 2)..] : string.Empty;

        // The Section 4.3 proxy vector has two blank lines before its body; the digest it covers is of the body alone.
        body = body.TrimStart('\n');
        var firstLineEnd = head.IndexOf('\n');
        var startLine = firstLineEnd >= 0 ? head[..firstLineEnd] : head;
        var headerText = firstLineEnd >= 0 ? head[(firstLineEnd + 1)..] : string.Empty;
        var headers = headerText.Length == 0 ? new HeaderFields() : ParseHeaderLines(headerText);
        return (startLine, headers, Encoding.UTF8.GetBytes(body));
    }
}
