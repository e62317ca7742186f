using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Hosting;

/// <summary>
/// The data folder of one process, whatever roles it plays: appsettings.json, keys/, the LiteDB file chatonsfed.db
/// (every role's tables), the aggregator's directory.db and run/ (files of the running host).
/// </summary>
public sealed class DataFolder
{
    public const string SettingsFile = "appsettings.json";

    public DataFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public string Settings => System.IO.Path.Combine(Path, SettingsFile);

    public string RunFolder => System.IO.Path.Combine(Path, "run");

    /// <summary>Written by a running node: its loopback admin URL and a token valid for that run only (0600).</summary>
    public string AdminRunFile => System.IO.Path.Combine(RunFolder, "admin.json");

    /// <summary>Held by the one process that writes the folder's stores (see <see cref="DataFolderLock"/>).</summary>
    public string WriterLockFile => System.IO.Path.Combine(RunFolder, "writer.lock");

    /// <summary>Who holds <see cref="WriterLockFile"/>: its process id, what it is and, once it listens, its URL.</summary>
    public string WriterFile => System.IO.Path.Combine(RunFolder, "writer.json");

    public string KeysFolder(NodeOptions options) => System.IO.Path.Combine(Path, options?.KeysFolder ?? "keys");

    public string DatabaseFile(NodeOptions options) => System.IO.Path.Combine(Path, options?.Database ?? "chatonsfed.db");

    /// <summary>Takes the folder's one-writer lock for <paramref name="holder"/>; see <see cref="DataFolderLock.Take"/>.</summary>
    public DataFolderLock Lock(string holder) => DataFolderLock.Take(this, holder);

    /// <summary>
    /// Opens the folder's store, made by init beside the keys: one that is missing, empty, truncated or unreadable is
    /// refused (<see cref="DamagedStoreException"/>) and left as it is, never replaced by a new, empty store.
    /// </summary>
    public DataStore OpenStore(NodeOptions options) => DataStore.Open(DatabaseFile(options));

    /// <summary>The aggregator's directory (a cache of what the chatons publish).</summary>
    public string DirectoryFile(NodeOptions options) => System.IO.Path.Combine(Path, options?.Aggregator?.Database ?? "directory.db");

    /// <summary>Throws <see cref="OptionsValidationException"/>, with one message per bad key, unless the settings are valid.</summary>
    public static void ThrowIfInvalid(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = NodeOptionsValidator.Check(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(NodeOptions.Section, typeof(NodeOptions), errors);
        }
    }

    /// <summary>
    /// Creates a new data folder with its settings file and its keys, which it returns with the folder's lock, held
    /// until the roles have filled its database. Refuses a folder that exists and is not empty.
    /// </summary>
    public static (DataFolder Folder, HostKeys Keys, DataFolderLock Lock) Create(string path, NodeOptions options)
    {
        ThrowIfInvalid(options);
        var folder = new DataFolder(path);
        if (System.IO.Directory.Exists(folder.Path) && System.IO.Directory.EnumerateFileSystemEntries(folder.Path).Any())
        {
            throw new IOException($"{folder.Path} already exists and is not empty; a data folder is never overwritten (choose a new folder)");
        }

        System.IO.Directory.CreateDirectory(folder.Path);
        var writer = folder.Lock("chatonsfed init");
        try
        {
            File.WriteAllText(folder.Settings, SettingsJson(options));
            return (folder, HostKeys.Create(folder.KeysFolder(options)), writer);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>The settings as the node reads them: DIR/appsettings.json, then CHATONSFED__… environment variables.</summary>
    public IConfigurationRoot LoadConfiguration()
    {
        if (!File.Exists(Settings))
        {
            throw new IOException($"{Settings} not found; create the data folder with 'chatonsfed init --data {Path} …'");
        }

        return new ConfigurationBuilder()
            .AddJsonFile(Settings, optional: false, reloadOnChange: false)
            .AddEnvironmentVariables()
            .Build();
    }

    /// <summary>Reads and validates the node's options, failing with one message naming the key and the fix.</summary>
    public NodeOptions LoadOptions()
    {
        var options = new NodeOptions();
        LoadConfiguration().GetSection(NodeOptions.Section).Bind(options);
        ThrowIfInvalid(options);
        return options;
    }

    private static string SettingsJson(NodeOptions options)
    {
        var section = new JsonObject
        {
            ["PublicUrl"] = options.PublicUrl,
            ["Handle"] = options.Handle,
            ["AllowPrivateNetwork"] = options.AllowPrivateNetwork,
            ["MaxBodyBytes"] = options.MaxBodyBytes,
            ["MaxJsonDepth"] = options.MaxJsonDepth,
            ["InboxRequestsPerMinute"] = options.InboxRequestsPerMinute,
            ["AdminFailuresPerMinute"] = options.AdminFailuresPerMinute,
            ["KnownProxies"] = new JsonArray([.. options.KnownProxies.Select(p => (JsonNode)JsonValue.Create(p)!)]),
            [AdminOptions.Section] = new JsonObject { ["AllowProxied"] = options.Admin.AllowProxied },
            ["Database"] = options.Database,
            ["KeysFolder"] = options.KeysFolder,
            ["ServeChaton"] = options.ServeChaton,
        };
        var aggregator = options.Aggregator;
        if (aggregator.Enabled)
        {
            section[AggregatorOptions.Section] = new JsonObject
            {
                ["Enabled"] = true,
                ["Handle"] = aggregator.Handle,
                ["Name"] = aggregator.Name,
                ["Seeds"] = new JsonArray([.. aggregator.Seeds.Select(s => (JsonNode)JsonValue.Create(s)!)]),
                ["Database"] = aggregator.Database,
                ["PollInterval"] = aggregator.PollInterval.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
                ["StaleAfter"] = aggregator.StaleAfter.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
                ["RemoveAfter"] = aggregator.RemoveAfter.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
                ["ForgetAfter"] = aggregator.ForgetAfter.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
                ["FollowChatons"] = aggregator.FollowChatons,
                [AggregatorMembershipOptions.Section] = new JsonObject
                {
                    ["TrustRoots"] = new JsonArray([.. aggregator.Membership.TrustRoots.Select(r => (JsonNode)JsonValue.Create(r)!)]),
                    ["Quorum"] = aggregator.Membership.Quorum,
                },
                // Enabled is written only when set: unset, notes are posted when the public URL is on a public host.
                ["Notes"] = aggregator.Notes.Enabled is { } notes
                    ? new JsonObject { ["Enabled"] = notes, ["DigestAbove"] = aggregator.Notes.DigestAbove }
                    : new JsonObject { ["DigestAbove"] = aggregator.Notes.DigestAbove },
                ["Discovery"] = new JsonObject
                {
                    ["MaxDepth"] = aggregator.Discovery.MaxDepth,
                    ["MaxChatons"] = aggregator.Discovery.MaxChatons,
                    ["MaxNewPerSource"] = aggregator.Discovery.MaxNewPerSource,
                    ["PerHostConcurrency"] = aggregator.Discovery.PerHostConcurrency,
                    ["Concurrency"] = aggregator.Discovery.Concurrency,
                    ["MaxFollowingPages"] = aggregator.Discovery.MaxFollowingPages,
                },
            };
        }

        var root = new JsonObject
        {
            [NodeOptions.Section] = section,
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning", ["ChatonsFed"] = "Information" } },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
