using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Cli.Commands;

/// <summary>The owner's operations, whether the node runs (through its admin API) or not (on its files directly).</summary>
internal interface INodeAdministration : IAsyncDisposable
{
    /// <summary>"through the running node" or "offline", for messages.</summary>
    string Mode { get; }

    Task<ProfileRecord> GetProfileAsync(CancellationToken cancellationToken);

    Task<ChangeResult> SetProfileAsync(ProfileChanges changes, CancellationToken cancellationToken);

    Task<IReadOnlyList<ServiceRecord>> ListServicesAsync(CancellationToken cancellationToken);

    Task<ChangeResult> AddServiceAsync(ServiceChanges changes, CancellationToken cancellationToken);

    Task<ChangeResult> UpdateServiceAsync(string slug, ServiceChanges changes, CancellationToken cancellationToken);

    Task<ChangeResult> RemoveServiceAsync(string slug, CancellationToken cancellationToken);

    Task<ChangeResult> SetAttestationAsync(AttestationChanges changes, CancellationToken cancellationToken);

    Task<ChangeResult> RotateKeysAsync(CancellationToken cancellationToken);

    Task<ChangeResult> LeaveAsync(CancellationToken cancellationToken);

    Task BlockAsync(string domain, CancellationToken cancellationToken);

    Task<bool> UnblockAsync(string domain, CancellationToken cancellationToken);
}

internal static class NodeAdministration
{
    /// <summary>Uses the running node when DIR/run/admin.json names one that answers; otherwise opens the files.</summary>
    public static async Task<INodeAdministration> OpenAsync(DirectoryInfo data, CancellationToken cancellationToken)
    {
        var folder = new DataFolder(data.FullName);
        if (!File.Exists(folder.Settings))
        {
            throw new CliException($"{folder.Settings} not found; create the data folder with 'chatonsfed init --data {folder.Path} …'");
        }

        var remote = await RemoteNodeAdministration.TryConnectAsync(folder, cancellationToken);
        if (remote is not null)
        {
            return remote;
        }

        try
        {
            return new LocalNodeAdministration(NodeCommands.Guard(() => folder.OpenOffline(TimeProvider.System)));
        }
        catch (IOException ex)
        {
            throw new CliException(CliApplication.OneLine(ex.Message));
        }
    }
}

internal sealed class LocalNodeAdministration(OfflineNode node) : INodeAdministration
{
    public string Mode => "offline";

    public Task<ProfileRecord> GetProfileAsync(CancellationToken cancellationToken) => Task.FromResult(node.Profile.Get());

    public Task<ChangeResult> SetProfileAsync(ProfileChanges changes, CancellationToken cancellationToken) => Guard(() => node.Profile.SetAsync(changes, cancellationToken));

    public Task<IReadOnlyList<ServiceRecord>> ListServicesAsync(CancellationToken cancellationToken) => Task.FromResult(node.Services.List());

    public Task<ChangeResult> AddServiceAsync(ServiceChanges changes, CancellationToken cancellationToken) => Guard(() => node.Services.AddAsync(changes, cancellationToken));

    public Task<ChangeResult> UpdateServiceAsync(string slug, ServiceChanges changes, CancellationToken cancellationToken) => Guard(() => node.Services.UpdateAsync(slug, changes, cancellationToken));

    public Task<ChangeResult> RemoveServiceAsync(string slug, CancellationToken cancellationToken) => Guard(() => node.Services.RemoveAsync(slug, cancellationToken));

    public Task<ChangeResult> SetAttestationAsync(AttestationChanges changes, CancellationToken cancellationToken) => Guard(() => node.Attestation.SetAsync(changes, cancellationToken));

    public Task<ChangeResult> RotateKeysAsync(CancellationToken cancellationToken) => Guard(() => node.KeyRotation.RotateAsync(cancellationToken));

    public Task<ChangeResult> LeaveAsync(CancellationToken cancellationToken) => Guard(() => node.Leaving.LeaveAsync(cancellationToken));

    public Task BlockAsync(string domain, CancellationToken cancellationToken) => Guard(async () =>
    {
        await node.Blocks.BlockAsync(domain, cancellationToken);
        return true;
    });

    public Task<bool> UnblockAsync(string domain, CancellationToken cancellationToken) => Guard(() => node.Blocks.UnblockAsync(domain, cancellationToken));

    public ValueTask DisposeAsync()
    {
        node.Dispose();
        return ValueTask.CompletedTask;
    }

    private static Task<T> Guard<T>(Func<Task<T>> action) => NodeCommands.GuardAsync(action);
}

internal sealed class RemoteNodeAdministration : INodeAdministration
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _client;

    private RemoteNodeAdministration(HttpClient client)
    {
        _client = client;
    }

    public string Mode => "through the running node";

    public static async Task<RemoteNodeAdministration?> TryConnectAsync(DataFolder folder, CancellationToken cancellationToken)
    {
        var client = await TryConnectClientAsync(folder, "profile", cancellationToken);
        return client is null ? null : new RemoteNodeAdministration(client);
    }

    /// <summary>
    /// A client of the running node's admin API (base address <c>…/api/admin/</c>, with this run's token), when
    /// DIR/run/admin.json names a node that answers <paramref name="probe"/>; null otherwise.
    /// </summary>
    public static async Task<HttpClient?> TryConnectClientAsync(DataFolder folder, string probe, CancellationToken cancellationToken)
    {
        if (!File.Exists(folder.AdminRunFile))
        {
            return null;
        }

        string url;
        string token;
        try
        {
            using var run = JsonDocument.Parse(await File.ReadAllTextAsync(folder.AdminRunFile, cancellationToken));
            url = run.RootElement.GetProperty("url").GetString()!;
            token = run.RootElement.GetProperty("token").GetString()!;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return null;
        }

        var client = LocalClients.Shared.CreateClient(OutboundHttp.Admin);
        client.BaseAddress = new Uri(url.TrimEnd('/') + "/api/admin/");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromSeconds(3));
            using var response = await client.GetAsync(probe, attempt.Token);
            if (response.IsSuccessStatusCode)
            {
                return client;
            }
        }
        catch (HttpRequestException)
        {
            // Not running (a stale run file): fall back to the files.
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Did not answer in time: the files are tried next, and LiteDB says if they are in use.
        }

        client.Dispose();
        return null;
    }

    public Task<ProfileRecord> GetProfileAsync(CancellationToken cancellationToken) => SendAsync<ProfileRecord>(HttpMethod.Get, "profile", null, cancellationToken);

    public Task<ChangeResult> SetProfileAsync(ProfileChanges changes, CancellationToken cancellationToken) => SendAsync<ChangeResult>(HttpMethod.Patch, "profile", changes, cancellationToken);

    public async Task<IReadOnlyList<ServiceRecord>> ListServicesAsync(CancellationToken cancellationToken) => await SendAsync<List<ServiceRecord>>(HttpMethod.Get, "services", null, cancellationToken);

    public Task<ChangeResult> AddServiceAsync(ServiceChanges changes, CancellationToken cancellationToken) => SendAsync<ChangeResult>(HttpMethod.Post, "services", changes, cancellationToken);

    public Task<ChangeResult> UpdateServiceAsync(string slug, ServiceChanges changes, CancellationToken cancellationToken) => SendAsync<ChangeResult>(HttpMethod.Patch, "services/" + Uri.EscapeDataString(slug), changes, cancellationToken);

    public Task<ChangeResult> RemoveServiceAsync(string slug, CancellationToken cancellationToken) => SendAsync<ChangeResult>(HttpMethod.Delete, "services/" + Uri.EscapeDataString(slug), null, cancellationToken);

    public Task<ChangeResult> SetAttestationAsync(AttestationChanges changes, CancellationToken cancellationToken) => SendAsync<ChangeResult>(HttpMethod.Patch, "attestation", changes, cancellationToken);

    public Task<ChangeResult> RotateKeysAsync(CancellationToken cancellationToken) => SendAsync<ChangeResult>(HttpMethod.Post, "keys/rotate", null, cancellationToken);

    public Task<ChangeResult> LeaveAsync(CancellationToken cancellationToken) => SendAsync<ChangeResult>(HttpMethod.Delete, "actor", null, cancellationToken);

    public async Task BlockAsync(string domain, CancellationToken cancellationToken) =>
        await SendAsync<object>(HttpMethod.Put, "blocks/" + Uri.EscapeDataString(domain), null, cancellationToken);

    public async Task<bool> UnblockAsync(string domain, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "blocks/" + Uri.EscapeDataString(domain));
        using var response = await _client.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return true;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var response = await _client.SendAsync(request, timeout.Token);
        await EnsureSuccessAsync(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return default!;
        }

        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (text.StartsWith('"'))
        {
            text = JsonSerializer.Deserialize<string>(text) ?? text;
        }

        throw new CliException(text.Length > 0 ? FieldFlags.InMessage(CliApplication.OneLine(text)) : $"the node answered {(int)response.StatusCode} {response.ReasonPhrase}");
    }
}
