using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ChatonsFed.Directory.Node;
using ChatonsFed.Federation.Http;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Storage;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Features;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Node.Hosting;

/// <summary>The chaton node of a data folder: made with the folder, or opened without the web host.</summary>
public static class NodeDataFolder
{
    public const string DefaultCharterUrl = "https://chatons.org/fr/charte";
    public const string DefaultCharterVersion = "2016-v1";

    /// <summary>
    /// Creates a new data folder with its settings, keys, database and initial profile; returns the owner's
    /// admin credential, which is stored only as a hash. Refuses a folder that exists and is not empty.
    /// </summary>
    public static string Initialize(string path, NodeOptions options, string displayName, TimeProvider time)
    {
        DataFolder.ThrowIfInvalid(options);
        var name = FieldRules.Required("name", displayName, "the chaton's display name");
        var (folder, keys, writer) = DataFolder.Create(path, options);
        using var _ = writer;
        using var store = NodeStore.Owning(DataStore.Create(folder.DatabaseFile(options)));
        using var outbox = new NodeOutbox(store, keys, new NodeDocumentBuilder(new NodeUrls(options.BaseUrl), options.Handle, time), time);
        Publish(outbox, options.Handle, name);
        return CreateAdminCredential(outbox);
    }

    /// <summary>
    /// Opens the node directly (store and keys), for changes made while it is not running, holding the folder's lock
    /// until disposed; fails with <see cref="DataFolderInUseException"/> when a process (a running node) holds it.
    /// </summary>
    public static OfflineNode OpenOffline(this DataFolder folder, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var options = folder.LoadOptions();
        var writer = folder.Lock(OfflineHolder);
        NodeStore? store = null;
        OutboundClients? http = null;
        try
        {
            store = NodeStore.Owning(folder.OpenStore(options));
            var keys = HostKeys.Load(folder.KeysFolder(options));
            var outbound = options.OutboundHttp();
            http = OutboundClients.Create(outbound);
            var client = new ActivityPubClient(http.CreateFederationClient(), outbound, time);
            var outbox = new NodeOutbox(store, keys, new NodeDocumentBuilder(new NodeUrls(options.BaseUrl), options.Handle, time), time);
            return new OfflineNode(outbox, folder.KeysFolder(options), time, writer, http, client);
        }
        catch
        {
            http?.Dispose();
            store?.Dispose();
            writer.Dispose();
            throw;
        }
    }

    /// <summary>What the lock's description calls a process that works on a stopped node's files.</summary>
    public const string OfflineHolder = "a chatonsfed command working offline";

    /// <summary>Creates the records and documents of a new node in an empty store.</summary>
    private static void Publish(NodeOutbox outbox, string handle, string name)
    {
        var now = outbox.Now();
        var store = outbox.Store;
        var profile = new ProfileRecord { Handle = handle, Name = name, Published = now, Updated = now };
        var attestation = new AttestationRecord { CharterUrl = DefaultCharterUrl, CharterVersion = DefaultCharterVersion, Published = now, Updated = now };
        store.InTransaction(() =>
        {
            store.Profiles.Upsert(profile);
            store.Attestations.Upsert(attestation);
            outbox.SaveDocument(NodeUrls.ActorPath, outbox.Builder.Actor(profile, outbox.Keys), now);
            outbox.SaveServicesCollection(now);
            outbox.SaveDocument(NodeUrls.AttestationPath, outbox.Builder.Attestation(attestation, name, outbox.Keys), now);
            new IssuedEndorsements(outbox).CreateStatusList(now);
        });
    }

    /// <summary>Creates a new admin credential, stores its hash and returns it (shown once).</summary>
    private static string CreateAdminCredential(NodeOutbox outbox)
    {
        var token = "cf_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        outbox.Store.AdminCredentials.Upsert(new AdminCredentialRecord { TokenHash = hash, Created = outbox.Now() });
        return token;
    }
}
