using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>
/// A <see cref="LoopbackServer"/> serving the files put in <see cref="Files"/> (by path) as text/plain, 404 otherwise; a
/// path under <c>/slow/</c> answers nothing for a minute (or until the server stops), as a server that hangs.
/// </summary>
internal sealed class FileServer : IAsyncDisposable
{
    private LoopbackServer _server = null!;

    private FileServer()
    {
    }

    /// <summary>http://127.0.0.1:PORT, without a final slash.</summary>
    public string Url => _server.Url;

    public ConcurrentDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public int Requests => _server.RequestCount;

    public static async Task<FileServer> StartAsync()
    {
        var files = new FileServer();
        files._server = await LoopbackServer.StartAsync(files.ServeAsync);
        return files;
    }

    private async Task ServeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/slow", StringComparison.Ordinal))
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _server.Stopping);
            await Task.Delay(TimeSpan.FromMinutes(1), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        if (Files.TryGetValue(context.Request.Path.Value ?? string.Empty, out var bytes))
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    /// <summary>Serves <paramref name="text"/> (UTF-8) at <paramref name="path"/>; returns its URL.</summary>
    public string Put(string path, string text) => Put(path, System.Text.Encoding.UTF8.GetBytes(text));

    public string Put(string path, byte[] bytes)
    {
        Files[path] = bytes;
        return Url + path;
    }

    /// <summary>The first line of a ChatonsInfos file of class <paramref name="type"/>.</summary>
    public static string Header(string type) => $"# [File]\nfile.class = {type}\nfile.protocol = ChatonsInfos-0.5\nfile.datetime = 2026-10-02T08:00:00\n\n";

    public static string Organization(string name, string website) => Header("organization") + $"organization.name = {name}\norganization.website = {website}\n";

    /// <summary>
    /// Rive Bleue, an organization without a node: a file with its description, place (Nantes) and membership, and two
    /// service files (a pad on Etherpad 1.9.7, a visio on Jitsi Meet). Returns the organization file's URL.
    /// </summary>
    public string PutRiveBleue()
    {
        var u = Url;
        Put("/rivebleue.properties", Organization("Rive Bleue", "https://rivebleue.example/") + $"""
            organization.description = Association d'hébergement en bord de Loire.
            organization.type = association
            organization.contact.email = contact@rivebleue.example
            organization.country.code = fr
            organization.geolocation.latitude = 47,2184
            organization.geolocation.longitude = -1,5536
            organization.geolocation.address = Nantes
            organization.memberof.chatons.status.level = ACTIVE
            organization.memberof.chatons.startDate = 12/03/2018
            subs.pad = '{u}/rivebleue-pad.properties'
            subs.visio = {u}/rivebleue-visio.properties

            """);
        Put("/rivebleue-pad.properties", Header("service") + """
            service.name = Pad Rive Bleue
            service.website = https://pad.rivebleue.example/
            service.registration = None
            service.registration.load = open
            service.status.level = OK
            software.name = Etherpad
            software.version = 1.9.7
            software.license.name = Apache-2.0

            """);
        Put("/rivebleue-visio.properties", Header("service") + "service.name = Visio\nservice.website = https://visio.rivebleue.example/\nservice.registration = Free\nsoftware.name = Jitsi Meet\n");
        return Url + "/rivebleue.properties";
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
