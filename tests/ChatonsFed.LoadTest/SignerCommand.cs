using System.Net;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.LoadTest;

/// <summary>
/// The actor that signs the load test's POSTs, served on 127.0.0.1 so that both servers can fetch its key (once:
/// they cache it). Its inbox takes anything with 202, should a server answer it.
/// </summary>
internal static class SignerCommand
{
    public const string ActivityJson = "application/activity+json";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = new Options(args);
        using var key = LoadOrCreateKey(options.Text("key"));
        var fetches = 0;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Number("port", 0)));
        await using var app = builder.Build();
        string? actorJson = null;
        app.MapGet("/actor", () =>
        {
            Interlocked.Increment(ref fetches);
            return Results.Text(actorJson, ActivityJson);
        });
        app.MapPost("/inbox", () => Results.StatusCode(StatusCodes.Status202Accepted));
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var origin = $"http://127.0.0.1:{new Uri(address).Port}";
        actorJson = Actor(origin, key).ToJsonString();
        Console.WriteLine($"READY {origin}/actor");

        // The caller holds stdin open for as long as the signer must run.
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
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
