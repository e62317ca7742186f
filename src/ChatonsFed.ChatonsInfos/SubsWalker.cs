namespace ChatonsFed.ChatonsInfos;

/// <summary>The bytes of a file a <c>subs.</c> line points to, or why they could not be had.</summary>
public sealed record FetchedFile(byte[]? Bytes, string? Error)
{
    public static FetchedFile Ok(byte[] bytes) => new(bytes, null);

    public static FetchedFile Failed(string error) => new(null, error);
}

/// <summary>One file a <c>subs.</c> line points to: parsed, or the reason it was not.</summary>
public sealed record SubResult<T>(SubReference Sub, T? File, string? Error, IReadOnlyList<ChatonsInfosWarning> Warnings)
    where T : ChatonsInfosFile;

/// <summary>An organization and the service files of its <c>subs.</c> lines.</summary>
public sealed record OrganizationWithServices(ChatonsInfosOrganization Organization, IReadOnlyList<SubResult<ChatonsInfosService>> Services);

/// <summary>
/// Follows <c>subs.</c> lines (federation → organizations → services) through a fetch function the caller gives, so
/// that this library does no I/O and the caller's address policy applies to every file. Bounded by
/// <see cref="ChatonsInfosLimits"/>: files in all, depth, and each URL read once (a loop is reported, not followed).
/// </summary>
public sealed class SubsWalker
{
    private readonly Func<Uri, CancellationToken, Task<FetchedFile>> _fetch;
    private readonly ChatonsInfosLimits _limits;
    private readonly HashSet<string> _visited = new(StringComparer.Ordinal);
    private int _files;

    public SubsWalker(Func<Uri, CancellationToken, Task<FetchedFile>> fetch, ChatonsInfosLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        _fetch = fetch;
        _limits = limits ?? ChatonsInfosLimits.Default;
    }

    /// <summary>Marks a URL as read (the first file's own address), so that a <c>subs.</c> line back to it is a loop.</summary>
    public void Visited(Uri? url)
    {
        if (url is not null)
        {
            _visited.Add(Key(url));
        }
    }

    /// <summary>The service files of <paramref name="organization"/>, at depth <paramref name="depth"/> (1 when the organization file came first).</summary>
    public async Task<OrganizationWithServices> ReadServicesAsync(ChatonsInfosOrganization organization, CancellationToken cancellationToken, int depth = 1)
    {
        ArgumentNullException.ThrowIfNull(organization);
        Visited(organization.File.Url);
        var services = new List<SubResult<ChatonsInfosService>>();
        foreach (var sub in organization.Subs)
        {
            services.Add(await ReadAsync(sub, depth, ChatonsInfosParser.ParseService, cancellationToken));
        }

        return new OrganizationWithServices(organization, services);
    }

    /// <summary>The organization files of <paramref name="federation"/> (their service files are not read).</summary>
    public async Task<IReadOnlyList<SubResult<ChatonsInfosOrganization>>> ReadOrganizationsAsync(ChatonsInfosFederation federation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(federation);
        Visited(federation.File.Url);
        var organizations = new List<SubResult<ChatonsInfosOrganization>>();
        foreach (var sub in federation.Subs)
        {
            organizations.Add(await ReadAsync(sub, 1, ChatonsInfosParser.ParseOrganization, cancellationToken));
        }

        return organizations;
    }

    private async Task<SubResult<T>> ReadAsync<T>(SubReference sub, int depth, Parser<T> parse, CancellationToken cancellationToken)
        where T : ChatonsInfosFile
    {
        if (depth > _limits.MaxDepth)
        {
            return new(sub, null, $"subs.{sub.Id}: deeper than {_limits.MaxDepth} levels of subs., not followed", []);
        }

        if (!_visited.Add(Key(sub.Url)))
        {
            return new(sub, null, $"subs.{sub.Id}: {sub.Url} was already read (a loop or a repeat), not followed again", []);
        }

        if (++_files > _limits.MaxFiles)
        {
            return new(sub, null, $"subs.{sub.Id}: more than {_limits.MaxFiles} files in all, not read", []);
        }

        FetchedFile fetched;
        try
        {
            fetched = await _fetch(sub.Url, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or UnauthorizedAccessException)
        {
            fetched = FetchedFile.Failed(ex.Message);
        }

        if (fetched.Bytes is null)
        {
            return new(sub, null, $"subs.{sub.Id}: {sub.Url}: {fetched.Error ?? "not read"}", []);
        }

        var result = parse(fetched.Bytes, _limits);
        if (result.Value is null)
        {
            return new(sub, null, $"subs.{sub.Id}: {sub.Url}: {result.Error}", result.Warnings);
        }

        var warnings = result.Value.Subs.Count > 0 && typeof(T) == typeof(ChatonsInfosService)
            ? [.. result.Warnings, new ChatonsInfosWarning(0, $"{result.Value.Subs.Count} subs. line(s) in a service file, not followed")]
            : result.Warnings;
        return new(sub, result.Value, null, warnings);
    }

    private static string Key(Uri url) => new UriBuilder(url) { Fragment = string.Empty }.Uri.AbsoluteUri;

    private delegate ChatonsInfosResult<T> Parser<T>(ReadOnlySpan<byte> bytes, ChatonsInfosLimits? limits)
        where T : ChatonsInfosFile;
}
