using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Admin;
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

    Task<EndorseResult> EndorseAsync(EndorseRequest request, CancellationToken cancellationToken);

    Task<RevokeResult> RevokeAsync(string credentialId, CancellationToken cancellationToken);

    Task<MembershipOverview> ListMembershipAsync(CancellationToken cancellationToken);

    /// <summary>Sets the web page's password (stored as a slow salted hash); every web page session ends.</summary>
    Task SetPasswordAsync(string password, CancellationToken cancellationToken);
}

internal static class NodeAdministration
{
    /// <summary>
    /// Works on the files when this process takes the folder's lock (nothing serves it); otherwise through the admin
    /// API of the process that holds it, or stops with one line saying why it cannot.
    /// </summary>
    public static async Task<INodeAdministration> OpenAsync(DirectoryInfo data, CancellationToken cancellationToken)
    {
        var folder = new DataFolder(data.FullName);
        if (!File.Exists(folder.Settings))
        {
            throw new CliException($"{folder.Settings} not found; create the data folder with 'chatonsfed init --data {folder.Path} …'");
        }

        try
        {
            return new LocalNodeAdministration(NodeCommands.Guard(() => folder.OpenOffline(TimeProvider.System)));
        }
        catch (DataFolderInUseException held)
        {
            return new RemoteNodeAdministration(await RemoteNodeAdministration.ConnectClientAsync(folder, held, "profile", cancellationToken));
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

    public Task<EndorseResult> EndorseAsync(EndorseRequest request, CancellationToken cancellationToken) => Guard(() => node.Membership.EndorseAsync(request, cancellationToken));

    public Task<RevokeResult> RevokeAsync(string credentialId, CancellationToken cancellationToken) => Guard(() => node.Membership.RevokeAsync(credentialId, cancellationToken));

    public Task<MembershipOverview> ListMembershipAsync(CancellationToken cancellationToken) => Task.FromResult(node.Membership.List());

    public Task SetPasswordAsync(string password, CancellationToken cancellationToken) => Guard(async () =>
    {
        await AdminPassword.SetAsync(node.Store.Shared, password, TimeProvider.System, cancellationToken);
        return true;
    });

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
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);
    private readonly HttpClient _client;

    public RemoteNodeAdministration(HttpClient client)
    {
        _client = client;
    }

    public string Mode => "through the running node";

    /// <summary>
    /// A client of the admin API (base address <c>…/api/admin/</c>, with this run's token) of the node that holds the
    /// folder (<paramref name="held"/>), as DIR/run/admin.json names it, once it has answered <paramref name="probe"/>.
    /// Otherwise one line saying why it cannot be reached: the files are never opened while another process holds them.
    /// </summary>
    public static async Task<HttpClient> ConnectClientAsync(DataFolder folder, DataFolderInUseException held, string probe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(held);
        var prefix = $"{folder.Path} is in use by {held.Holder?.ToString() ?? "another process"}";
        const string NothingDone = "the command did nothing";
        if (held.Holder is { Holder: { } holder } && holder != DataFolderLock.ServeHolder)
        {
            throw new CliException($"{prefix}; try again when it has finished ({NothingDone})");
        }

        if (!File.Exists(folder.AdminRunFile))
        {
            throw new CliException($"{prefix}, but its run file {folder.AdminRunFile} is missing, so its admin API cannot be reached; restart the node (it writes the file at start); {NothingDone}");
        }

        string url;
        string token;
        try
        {
            using var run = JsonDocument.Parse(await File.ReadAllTextAsync(folder.AdminRunFile, cancellationToken));
            url = run.RootElement.GetProperty("url").GetString()!;
            token = run.RootElement.GetProperty("token").GetString()!;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{prefix}, but its run file {folder.AdminRunFile} cannot be read ({CliApplication.OneLine(ex.Message)}); restart the node (it writes the file at start); {NothingDone}");
        }

        var client = LocalClients.Shared.CreateClient(OutboundHttp.Admin);
        client.BaseAddress = new Uri(url.TrimEnd('/') + "/api/admin/");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var api = $"{prefix}, whose admin API at {url}";
        string refusal;
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(ProbeTimeout);
            using var response = await client.GetAsync(probe, attempt.Token);
            if (response.IsSuccessStatusCode)
            {
                return client;
            }

            refusal = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                    $"{api} refused the token of {folder.AdminRunFile} ({(int)response.StatusCode} {response.ReasonPhrase}); restart the node to write a new run file",
                HttpStatusCode.TooManyRequests =>
                    $"{api} has locked this address out after failed sign-ins, for {RetryAfter(response)}; try again then",
                _ => $"{api} answered {(int)response.StatusCode} {response.ReasonPhrase} to {probe}",
            };
        }
        catch (HttpRequestException ex)
        {
            refusal = $"{api} does not answer ({CliApplication.OneLine(ex.Message)})";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            refusal = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{api} did not answer within {ProbeTimeout.TotalSeconds} s");
        }

        client.Dispose();
        throw new CliException($"{refusal}; {NothingDone}");
    }

    private static string RetryAfter(HttpResponseMessage response)
    {
        var retry = response.Headers.RetryAfter;
        var delay = retry?.Delta ?? (retry?.Date is { } date ? date - TimeProvider.System.GetUtcNow() : null);
        return delay is { } d ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Math.Max(1, (int)Math.Ceiling(d.TotalSeconds))} s") : "a while";
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

    // The node fetches the subject's actor and attestation first: each fetch may take its own time limit.
    public Task<EndorseResult> EndorseAsync(EndorseRequest request, CancellationToken cancellationToken) => SendAsync<EndorseResult>(HttpMethod.Post, "membership/endorse", request, cancellationToken, seconds: 180);

    public Task<RevokeResult> RevokeAsync(string credentialId, CancellationToken cancellationToken) => SendAsync<RevokeResult>(HttpMethod.Post, "membership/revoke", new RevokeRequest { Id = credentialId }, cancellationToken);

    public Task<MembershipOverview> ListMembershipAsync(CancellationToken cancellationToken) => SendAsync<MembershipOverview>(HttpMethod.Get, "membership", null, cancellationToken);

    public async Task SetPasswordAsync(string password, CancellationToken cancellationToken) =>
        await SendAsync<object>(HttpMethod.Put, "password", new AdminPasswordRequest { Password = password }, cancellationToken);

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken, int seconds = 30)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        HttpResponseMessage sent;
        try
        {
            sent = await _client.SendAsync(request, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the running node did not answer {method} /api/admin/{path} within {seconds} s; check whether it made the change before trying again"));
        }

        using var response = sent;
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
        else if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            // A problem document: its detail says why.
            try
            {
                using var problem = JsonDocument.Parse(text);
                if (problem.RootElement.ValueKind == JsonValueKind.Object && problem.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
                {
                    text = detail.GetString()!;
                }
            }
            catch (JsonException)
            {
                // Shown as it came.
            }
        }

        throw new CliException(text.Length > 0 ? FieldFlags.InMessage(CliApplication.OneLine(text)) : $"the node answered {(int)response.StatusCode} {response.ReasonPhrase}");
    }
}
