using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.LoadTest;

/// <summary>
/// Writes distinct inbox POSTs, each a Create of a Note with its own activity and object ids, a Date of now, a
/// Digest of its body and a draft-cavage rsa-sha256 signature over (request-target) host date digest: what Mastodon
/// sends, and what the receiver must verify in full (no two requests share a signature or an id).
/// </summary>
internal static class RequestsCommand
{
    /// <summary>Ends each raw request in the files; it cannot occur inside one (the JSON body has no line break).</summary>
    public const string Separator = "\n#--\n";

    public static int Run(IReadOnlyList<string> args)
    {
        var options = new Options(args);
        using var key = SignerCommand.LoadOrCreateKey(options.Text("key"));
        var actor = options.Text("actor");
        var inbox = new Uri(options.Text("inbox"));
        var count = options.Number("count");
        var files = options.Number("files", 1);
        var prefix = options.Text("out");
        var signingKey = HttpSignatureKey.FromRsa(key.Rsa, hasPrivateKey: true);
        var now = TimeProvider.System.GetUtcNow();
        var run = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

        var requests = new string[count];
        Parallel.For(0, count, i => requests[i] = Request(inbox, actor, signingKey, now, $"{run}-{i}"));

        for (var f = 0; f < files; f++)
        {
            using var writer = new StreamWriter($"{prefix}-{f}.txt", append: false, new UTF8Encoding(false));
            for (var i = f; i < count; i += files)
            {
                writer.Write(requests[i]);
                writer.Write(Separator);
            }
        }

        Console.WriteLine($"{count} signed requests for {inbox} in {files} file(s) {prefix}-*.txt");
        return 0;
    }

    private static string Request(Uri inbox, string actor, HttpSignatureKey key, DateTimeOffset now, string suffix)
    {
        var published = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = $"{actor}/activities/{suffix}",
            ["type"] = "Create",
            ["actor"] = actor,
            ["published"] = published,
            ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
            ["object"] = new JsonObject
            {
                ["id"] = $"{actor}/notes/{suffix}",
                ["type"] = "Note",
                ["attributedTo"] = actor,
                ["content"] = $"<p>Load test note {suffix}</p>",
                ["published"] = published,
                ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
            },
        }.ToJsonString());

        var headers = new HeaderFields();
        headers.Add("Content-Type", SignerCommand.ActivityJson);
        var snapshot = new HttpRequestSnapshot("POST", inbox.AbsoluteUri, headers, body);
        CavageSignature.Sign(snapshot, key, actor + "#main-key", now);

        var raw = new StringBuilder();
        raw.Append(CultureInfo.InvariantCulture, $"POST {inbox.PathAndQuery} HTTP/1.1\r\n");
        foreach (var (name, value) in snapshot.Headers)
        {
            raw.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        raw.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n");
        raw.Append(Encoding.UTF8.GetString(body));
        return raw.ToString();
    }
}
