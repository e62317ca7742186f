using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ChatonsFed.Protocol.HttpSignatures;

/// <summary>
/// Builds RFC 9421 signature bases: one line per covered component, in the order listed, then the
/// <c>@signature-params</c> line.
/// </summary>
public static class SignatureBase
{
    /// <summary>The signature base of a request for the given signature parameters (covered components and their parameters).</summary>
    public static bool TryCreate(HttpRequestSnapshot request, InnerList signatureParameters, [NotNullWhen(true)] out string? signatureBase, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        return TryCreate(new MessageContext(request, null, null), signatureParameters, out signatureBase, out error);
    }

    /// <summary>The signature base of a response; <c>;req</c> components come from <see cref="HttpResponseSnapshot.Request"/>.</summary>
    public static bool TryCreate(HttpResponseSnapshot response, InnerList signatureParameters, [NotNullWhen(true)] out string? signatureBase, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(response);
        return TryCreate(new MessageContext(response.Request, response, null), signatureParameters, out signatureBase, out error);
    }

    private static bool TryCreate(MessageContext context, InnerList signatureParameters, [NotNullWhen(true)] out string? signatureBase, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(signatureParameters);
        using var writer = new PooledByteWriter();
        if (!TryWrite(context, signatureParameters, writer, out error))
        {
            signatureBase = null;
            return false;
        }

        signatureBase = Encoding.UTF8.GetString(writer.WrittenSpan);
        return true;
    }

    internal static bool TryWrite(in MessageContext context, InnerList signatureParameters, PooledByteWriter writer, [NotNullWhen(false)] out string? error) =>
        TryWrite(context, signatureParameters, SerializedSignatureParameters.Create(signatureParameters), writer, out error);

    internal static bool TryWrite(in MessageContext context, InnerList signatureParameters, SerializedSignatureParameters serialized, PooledByteWriter writer, [NotNullWhen(false)] out string? error)
    {
        if (serialized.Duplicate is { } duplicate)
        {
            error = $"component {duplicate} is listed twice";
            return false;
        }

        var items = signatureParameters.Items;
        for (var i = 0; i < items.Count; i++)
        {
            if (!TryGetComponentValue(context, items[i], out var value, out error))
            {
                return false;
            }

            writer.Append(serialized.Identifiers[i]).Append(": ").Append(value).Append('\n');
        }

        writer.Append("\"@signature-params\": ").Append(serialized.Value);
        error = null;
        return true;
    }

    internal static bool IdentifierEquals(StructuredItem a, StructuredItem b)
    {
        if (a.Value != b.Value || a.Parameters.Count != b.Parameters.Count)
        {
            return false;
        }

        foreach (var (key, value) in a.Parameters)
        {
            if (!b.Parameters.TryGetValue(key, out var other) || other != value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value of one covered component, without its name.</summary>
    internal static bool TryGetComponentValue(in MessageContext context, StructuredItem component, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        if (!component.Value.TryGetString(out var name))
        {
            error = $"component {component} is not a string";
            return false;
        }

        var fromRequest = false;
        foreach (var (key, parameter) in component.Parameters)
        {
            var allowed = key switch
            {
                "req" => true,
                "name" => name == "@query-param",
                "sf" or "key" or "bs" or "tr" => !name.StartsWith('@'),
                _ => false,
            };
            if (!allowed)
            {
                error = $"component parameter '{key}' is not supported on {name}";
                return false;
            }

            if (key == "req")
            {
                if (parameter.Kind != BareItemKind.Boolean || !parameter.AsBoolean)
                {
                    error = $"component parameter 'req' on {name} must be true";
                    return false;
                }

                fromRequest = true;
            }
        }

        HttpRequestSnapshot? request;
        HttpResponseSnapshot? response;
        if (fromRequest)
        {
            if (context.Response is null)
            {
                error = $"component {name};req is only allowed when signing a response";
                return false;
            }

            if (context.Request is null)
            {
                error = $"component {name};req needs the request the response answers";
                return false;
            }

            request = context.Request;
            response = null;
        }
        else
        {
            request = context.Response is null ? context.Request : null;
            response = context.Response;
        }

        return name.StartsWith('@')
            ? TryGetDerivedValue(name, component.Parameters, request, response, fromRequest ? null : context.TargetUriFragment, out value, out error)
            : TryGetFieldValue(name, component.Parameters, request?.Headers ?? response!.Headers, out value, out error);
    }

    private static bool TryGetDerivedValue(
        string name,
        StructuredParameters parameters,
        HttpRequestSnapshot? request,
        HttpResponseSnapshot? response,
        string? targetUriFragment,
        [NotNullWhen(true)] out string? value,
        [NotNullWhen(false)] out string? error)
    {
        value = null;
        if (name == "@status")
        {
            if (response is null)
            {
                error = "@status is only defined for responses";
                return false;
            }

            value = response.StatusCode.ToString("000", System.Globalization.CultureInfo.InvariantCulture);
            error = null;
            return true;
        }

        if (name == "@signature-params")
        {
            error = "@signature-params cannot be a covered component";
            return false;
        }

        if (request is null)
        {
            error = $"{name} is only defined for requests";
            return false;
        }

        switch (name)
        {
            case "@method":
                value = request.Method;
                break;
            case "@target-uri":
                value = targetUriFragment is null ? request.TargetUri : request.TargetUri + "#" + targetUriFragment;
                break;
            case "@authority":
                value = request.Authority;
                break;
            case "@scheme":
                value = request.Scheme;
                break;
            case "@request-target":
                value = request.RequestTarget;
                break;
            case "@path":
                value = request.Path;
                break;
            case "@query":
                value = "?" + request.Query;
                break;
            case "@query-param":
                return QueryParameters.TryGetSignatureValue(request.Query, parameters, out value, out error);
            default:
                error = $"unknown derived component '{name}'";
                return false;
        }

        error = null;
        return true;
    }

    private static bool TryGetFieldValue(string name, StructuredParameters parameters, HeaderFields headers, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        if (name.Length == 0 || name.Any(c => c is >= 'A' and <= 'Z'))
        {
            error = $"header component name '{name}' must be lowercase";
            return false;
        }

        if (parameters.ContainsKey("tr"))
        {
            error = $"trailer fields are not supported ('{name}';tr)";
            return false;
        }

        var hasSf = parameters.ContainsKey("sf");
        var hasBs = parameters.ContainsKey("bs");
        parameters.TryGetValue("key", out var dictionaryKey);
        var hasKey = parameters.ContainsKey("key");
        if (hasBs && (hasSf || hasKey))
        {
            error = $"'{name}' cannot combine ;bs with ;sf or ;key";
            return false;
        }

        if (hasBs)
        {
            var values = headers.GetValues(name);
            if (values.Count == 0)
            {
                error = $"header '{name}' is not present";
                return false;
            }

            var builder = new StringBuilder();
            foreach (var raw in values)
            {
                if (builder.Length > 0)
                {
                    builder.Append(", ");
                }

                builder.Append(':').Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(HeaderFields.Canonicalize(raw)))).Append(':');
            }

            value = builder.ToString();
            error = null;
            return true;
        }

        var combined = headers.GetCombinedValue(name);
        if (combined is null)
        {
            error = $"header '{name}' is not present";
            return false;
        }

        if (hasKey)
        {
            if (dictionaryKey.Kind != BareItemKind.String)
            {
                error = $"the ;key parameter of '{name}' must be a string";
                return false;
            }

            if (!StructuredFieldParser.TryParseDictionary(combined, out var dictionary, out var parseError))
            {
                error = $"header '{name}' is not a structured dictionary: {parseError}";
                return false;
            }

            if (!dictionary.TryGetValue(dictionaryKey.AsText, out var member))
            {
                error = $"header '{name}' has no member '{dictionaryKey.AsText}'";
                return false;
            }

            value = StructuredFieldSerializer.Serialize(member);
            error = null;
            return true;
        }

        if (hasSf)
        {
            return TryReserialize(name, combined, out value, out error);
        }

        value = combined;
        error = null;
        return true;
    }

    /// <summary>Strict re-serialization for ;sf: the field's registered type when known, otherwise dictionary, then list.</summary>
    private static bool TryReserialize(string name, string combined, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? error)
    {
        var isKnownList = name is "accept-ch" or "cache-status" or "proxy-status" or "variants";
        var isKnownItem = name is "origin-agent-cluster" or "priority-item";
        if (isKnownItem && StructuredFieldParser.TryParseItem(combined, out var item, out error))
        {
            value = StructuredFieldSerializer.Serialize(item);
            return true;
        }

        if (!isKnownList && StructuredFieldParser.TryParseDictionary(combined, out var dictionary, out error))
        {
            value = StructuredFieldSerializer.Serialize(dictionary);
            return true;
        }

        if (StructuredFieldParser.TryParseList(combined, out var list, out error))
        {
            value = StructuredFieldSerializer.Serialize(list);
            return true;
        }

        value = null;
        error = $"header '{name}' is not a structured field: {error}";
        return false;
    }
}

/// <summary>The serialized forms of a signature's covered components and of its whole parameter list, made once per signature.</summary>
internal sealed class SerializedSignatureParameters
{
    private SerializedSignatureParameters(string[] identifiers, string value, string? duplicate)
    {
        Identifiers = identifiers;
        Value = value;
        Duplicate = duplicate;
    }

    public string[] Identifiers { get; }

    /// <summary>The <c>@signature-params</c> value.</summary>
    public string Value { get; }

    /// <summary>The first component listed twice, if any.</summary>
    public string? Duplicate { get; }

    public static SerializedSignatureParameters Create(InnerList parameters)
    {
        var items = parameters.Items;
        var identifiers = new string[items.Count];
        string? duplicate = null;
        var builder = new StringBuilder(64);
        for (var i = 0; i < items.Count; i++)
        {
            builder.Clear();
            StructuredFieldSerializer.AppendMember(builder, items[i]);
            identifiers[i] = builder.ToString();
            for (var j = 0; j < i && duplicate is null; j++)
            {
                if (SignatureBase.IdentifierEquals(items[j], items[i]))
                {
                    duplicate = identifiers[i];
                }
            }
        }

        builder.Clear();
        StructuredFieldSerializer.AppendMember(builder, parameters);
        return new SerializedSignatureParameters(identifiers, builder.ToString(), duplicate);
    }
}

/// <summary>The message a signature covers: a request, or a response and the request it answers.</summary>
internal readonly record struct MessageContext(HttpRequestSnapshot? Request, HttpResponseSnapshot? Response, string? TargetUriFragment);
