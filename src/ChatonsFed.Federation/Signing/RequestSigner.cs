using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Federation.Signing;

/// <summary>Converts between <see cref="HttpRequestMessage"/> and <see cref="HttpRequestSnapshot"/>, and signs outgoing messages.</summary>
public static class RequestSigner
{
    /// <summary>The origin of a URL as signatures and the flavour memory see it: <c>scheme://host[:port]</c>, default port left out.</summary>
    public static string OriginOf(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped).ToLowerInvariant();
    }

    /// <summary>The request as a signature sees it: method, URL without fragment, every header set on it, and <paramref name="body"/>.</summary>
    public static HttpRequestSnapshot ToSnapshot(HttpRequestMessage message, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(message);
        var uri = message.RequestUri ?? throw new ArgumentException("the message has no URI", nameof(message));
        var headers = new HeaderFields();
        foreach (var (name, values) in message.Headers.NonValidated)
        {
            foreach (var value in values)
            {
                headers.Add(name, value);
            }
        }

        if (message.Content is not null)
        {
            foreach (var (name, values) in message.Content.Headers.NonValidated)
            {
                foreach (var value in values)
                {
                    headers.Add(name, value);
                }
            }
        }

        return new HttpRequestSnapshot(message.Method.Method, uri.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped), headers, body);
    }

    /// <summary>
    /// Signs <paramref name="message"/> with <paramref name="flavour"/>: RFC 9421 as Fedify sends it, or draft-cavage
    /// <c>rsa-sha256</c> over <c>(request-target) host date digest</c> as Mastodon sends it. Adds Host, Date, the body
    /// digest and the signature headers to the message.
    /// </summary>
    public static void Sign(HttpRequestMessage message, ReadOnlyMemory<byte> body, ActorSigningKey key, HttpSignatureFlavour flavour, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(key);
        var snapshot = ToSnapshot(message, body);
        var added = flavour switch
        {
            HttpSignatureFlavour.Rfc9421 => MessageSignature.SignForFederation(snapshot, key.Key, key.KeyId, now),
            HttpSignatureFlavour.Cavage => CavageSignature.Sign(snapshot, key.Key, key.KeyId, now),
            _ => throw new ArgumentOutOfRangeException(nameof(flavour), flavour, "choose a signature flavour"),
        };

        foreach (var (name, value) in added)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Host = value;
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }
    }

    /// <summary>The other flavour, for the second knock.</summary>
    public static HttpSignatureFlavour Other(HttpSignatureFlavour flavour) =>
        flavour == HttpSignatureFlavour.Cavage ? HttpSignatureFlavour.Rfc9421 : HttpSignatureFlavour.Cavage;
}
