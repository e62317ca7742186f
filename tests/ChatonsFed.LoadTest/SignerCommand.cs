using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.LoadTest;

/// <summary>
/// The actor that signs the load test's POSTs, served on 127.0.0.1 by a <see cref="LoopbackServer"/> so that both
/// servers can fetch its key (once: they cache it). Its inbox takes anything with 202, should a server answer it.
/// </summary>
internal static class SignerCommand
{
    public const string ActivityJson = LoopbackServer.ActivityJson;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = new Options(args);
        using var key = LoadOrCreateKey(options.Text("key"));
        var fetches = 0;

        string? actorJson = null;
        var server = await LoopbackServer.StartAsync(
            app =>
            {
                app.MapGet("/actor", () =>
                {
                    Interlocked.Increment(ref fetches);
                    return Results.Text(actorJson, ActivityJson);
                });
                app.MapPost("/inbox", () => Results.StatusCode(StatusCodes.Status202Accepted));
            },
            port: options.Number("port", 0));
        await using (server)
        {
            actorJson = Actor(server.Url, key).ToJsonString();
            Console.WriteLine($"READY {server.Url}/actor");

            // The caller holds stdin open for as long as the signer must run.
            await Console.In.ReadToEndAsync();
        }

        Console.WriteLine($"actor fetched {Volatile.Read(ref fetches)} times");
        return 0;
    }

    public static RsaKeyPair LoadOrCreateKey(string path)
    {
        if (File.Exists(path))
        {
            return RsaKeyPair.FromPkcs8Pem(File.ReadAllText(path));
        }

        var key = RsaKeyPair.Generate();
        File.WriteAllText(path, key.ExportPkcs8Pem());
        return key;
    }

    private static JsonObject Actor(string origin, RsaKeyPair key)
    {
        var id = origin + "/actor";
        return new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
            ["id"] = id,
            ["type"] = "Service",
            ["preferredUsername"] = "loadtest",
            ["name"] = "Load test signer",
            ["inbox"] = origin + "/inbox",
            ["outbox"] = origin + "/outbox",
            ["publicKey"] = new JsonObject
            {
                ["id"] = id + "#main-key",
                ["owner"] = id,
                ["publicKeyPem"] = key.Rsa.ExportSubjectPublicKeyInfoPem(),
            },
        };
    }
}
