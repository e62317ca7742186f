using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Node.Hosting;

/// <summary>The chaton node of a data folder: made with the folder, or opened without the web host.</summary>
public static class NodeDataFolder
{
    /// <summary>
    /// Creates a new data folder with its settings, keys, database and initial profile; returns the owner's
    /// admin credential, which is stored only as a hash. Refuses a folder that exists and is not empty.
    /// </summary>
    public static string Initialize(string path, NodeOptions options, string displayName, TimeProvider time)
    {
        DataFolder.ThrowIfInvalid(options);
        if (string.IsNullOrWhiteSpace(displayName))
        {
            throw new NodeInputException("--name is required: the chaton's display name");
        }

        var (folder, keys) = DataFolder.Create(path, options);
        using var store = NodeStore.Open(folder.DatabaseFile(options));
        using var node = new ChatonNode(store, keys, new NodeDocumentBuilder(new NodeUrls(options.BaseUrl), options.Handle, time), folder.KeysFolder(options), time);
        node.Initialize(options.Handle, displayName.Trim());
        return node.CreateAdminCredential();
    }

    /// <summary>Opens the node directly (store and keys), for changes made while it is not running.</summary>
    public static ChatonNode OpenOffline(this DataFolder folder, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var options = folder.LoadOptions();
        var store = NodeStore.Open(folder.DatabaseFile(options));
        try
        {
            var keys = HostKeys.Load(folder.KeysFolder(options));
            return new ChatonNode(store, keys, new NodeDocumentBuilder(new NodeUrls(options.BaseUrl), options.Handle, time), folder.KeysFolder(options), time);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }
}
