using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Server.Admin;
using ChatonsFed.Server.Configuration;
using ChatonsFed.Server.Documents;
using ChatonsFed.Server.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Server.Hosting;

/// <summary>A node's data folder: appsettings.json, keys/, the LiteDB file and run/ (files of the running node).</summary>
public sealed class NodeDataFolder
{
    public const string SettingsFile = "appsettings.json";

    public NodeDataFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public string Settings => System.IO.Path.Combine(Path, SettingsFile);

    public string RunFolder => System.IO.Path.Combine(Path, "run");

    /// <summary>Written by a running node: its loopback admin URL and a token valid for that run only (0600).</summary>
    public string AdminRunFile => System.IO.Path.Combine(RunFolder, "admin.json");

    public string KeysFolder(NodeOptions options) => System.IO.Path.Combine(Path, options?.KeysFolder ?? "keys");

    public string DatabaseFile(NodeOptions options) => System.IO.Path.Combine(Path, options?.Database ?? "chatonsfed.db");

    /// <summary>The aggregator's directory (a cache of what the chatons publish).</summary>
    public string DirectoryFile(NodeOptions options) => System.IO.Path.Combine(Path, options?.Aggregator?.Database ?? "directory.db");

    /// <summary>
    /// Creates a new data folder with its settings, keys, database and initial profile; returns the owner's
    /// admin credential, which is stored only as a hash. Refuses a folder that exists and is not empty.
    /// </summary>
    public static string Initialize(string path, NodeOptions options, string displayName, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = NodeOptionsValidator.Check(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(NodeOptions.Section, typeof(NodeOptions), errors);
        }

        if (string.IsNullOrWhiteSpace(displayName))
        {
            throw new NodeInputException("--name is required: the chaton's display name");
        }

        var folder = new NodeDataFolder(path);
        if (System.IO.Directory.Exists(folder.Path) && System.IO.Directory.EnumerateFileSystemEntries(folder.Path).Any())
        {
            throw new IOException($"{folder.Path} already exists and is not empty; a data folder is never overwritten (choose a new folder)");
        }

        System.IO.Directory.CreateDirectory(folder.Path);
        File.WriteAllText(folder.Settings, SettingsJson(options));
        var keys = NodeKeys.Create(folder.KeysFolder(options));
        using var store = NodeStore.Open(folder.DatabaseFile(options));
        using var node = new ChatonNode(store, keys, new NodeDocumentBuilder(new NodeUrls(options.BaseUrl), options.Handle, time), folder.KeysFolder(options), time);
        node.Initialize(options.Handle, displayName.Trim());
        return node.CreateAdminCredential();
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
        var errors = NodeOptionsValidator.Check(options);
        return errors.Count > 0 ? throw new OptionsValidationException(NodeOptions.Section, typeof(NodeOptions), errors) : options;
    }

    /// <summary>Opens the node directly (store and keys), for changes made while it is not running.</summary>
    public ChatonNode OpenOffline(TimeProvider time)
    {
        var options = LoadOptions();
        var store = NodeStore.Open(DatabaseFile(options));
        try
        {
            var keys = NodeKeys.Load(KeysFolder(options));
            return new ChatonNode(store, keys, new NodeDocumentBuilder(new NodeUrls(options.BaseUrl), options.Handle, time), KeysFolder(options), time);
        }
        catch
        {
            store.Dispose();
            throw;
        }
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
                ["Discovery"] = new JsonObject
                {
                    ["MaxDepth"] = aggregator.Discovery.MaxDepth,
                    ["MaxChatons"] = aggregator.Discovery.MaxChatons,
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
