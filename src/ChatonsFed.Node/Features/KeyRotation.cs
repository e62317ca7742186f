using System.Globalization;
using System.Security.Cryptography;
using ChatonsFed.Hosting;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Documents;
using ChatonsFed.Protocol.Keys;

namespace ChatonsFed.Node.Features;

/// <summary>Replaces the node's key pairs: the actor publishes the new keys, announced by an <c>Update</c> signed with the old ones.</summary>
public sealed class KeyRotation(NodeOutbox outbox, string keysFolder, TimeProvider time)
{
    /// <summary>
    /// Makes new key pairs, re-signs every public document with them (membership credentials and revocation list
    /// included) and queues the actor's <c>Update</c>, then the <c>Add</c> of each credential not expired again.
    /// </summary>
    public async Task<ChangeResult> RotateAsync(CancellationToken cancellationToken = default)
    {
        var profile = outbox.Profile();
        NodeOutbox.EnsureActive(profile);
        var store = outbox.Store;
        var builder = outbox.Builder;
        await store.WriteLock.WaitAsync(cancellationToken);
        var old = outbox.Keys;
        try
        {
            var fresh = HostKeys.Rotate(keysFolder, time);
            var now = outbox.Now();
            profile.Updated = NodeOutbox.Bump(profile.Updated, now);
            var actor = builder.Actor(profile, fresh);
            var update = builder.Update(actor, old);
            var queued = 0;
            var followers = 0;
            IReadOnlyList<string> announced = [];
            store.InTransaction(() =>
            {
                store.Profiles.Upsert(profile);
                outbox.SaveDocument(NodeUrls.ActorPath, actor, now);
                // The other documents are re-signed with the new key so that they verify against the published actor.
                foreach (var service in outbox.Services())
                {
                    outbox.SaveDocument(NodeUrls.ServicePath(service.Id), builder.Service(service, fresh), now);
                }

                outbox.SaveDocument(NodeUrls.AttestationPath, builder.Attestation(outbox.Attestation(), profile.Name, fresh), now);
                outbox.SaveServicesCollection(now, fresh);
                queued = outbox.Enqueue([update], now);

                // The membership credentials and the revocation list too; each credential's Add is sent again, after the
                // Update, so that its subject holds the copy signed with the new key.
                var (adds, addsQueued) = new IssuedEndorsements(outbox).Resign(fresh, now);
                announced = adds;
                queued += addsQueued;
                followers = store.Followers.Count();
            });
            outbox.UseKeys(fresh);
            return new ChangeResult
            {
                DeliveriesQueued = queued,
                FollowersNotified = queued > 0 ? followers : 0,
                Activities = [update["id"]!.GetValue<string>(), .. announced],
            };
        }
        finally
        {
            store.WriteLock.Release();
        }
    }

    /// <summary>
    /// The keys in use, read from their files (no private key is read): for each, its id in the actor, its public key in
    /// short and when it was written; and when each earlier pair was retired (the dated folders under <c>retired/</c>).
    /// </summary>
    public KeyState Describe()
    {
        var urls = outbox.Builder.Urls;
        var ed25519 = Path.Combine(keysFolder, HostKeys.Ed25519PublicMultibase);
        var rsa = Path.Combine(keysFolder, HostKeys.RsaPublic);
        var retired = Path.Combine(keysFolder, "retired");
        var dates = System.IO.Directory.Exists(retired)
            ? System.IO.Directory.EnumerateDirectories(retired)
                .Select(d => DateTimeOffset.TryParseExact(Path.GetFileName(d), "yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null)
                .OfType<DateTimeOffset>()
                .OrderDescending()
                .ToList()
            : [];
        return new KeyState(
        [
            new KeyDescription(urls.Ed25519KeyId, "Ed25519", File.Exists(ed25519) ? File.ReadAllText(ed25519).Trim() : null, Written(ed25519)),
            new KeyDescription(urls.RsaKeyId, "RSA", File.Exists(rsa) ? Fingerprint(File.ReadAllText(rsa)) : null, Written(rsa)),
        ], dates);
    }

    private static DateTimeOffset? Written(string path) => File.Exists(path) ? new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero) : null;

    /// <summary><c>SHA256:</c> and the base64 of the SHA-256 of the public key's DER, as SSH prints fingerprints.</summary>
    private static string? Fingerprint(string pem) =>
        PemText.TryRead(pem, out _, out var der, out _) ? "SHA256:" + Convert.ToBase64String(SHA256.HashData(der)).TrimEnd('=') : null;
}

/// <summary>One key of the node: its id in the actor, its algorithm, its public key in short (null when its file is missing) and when it was written.</summary>
public sealed record KeyDescription(string Id, string Algorithm, string? PublicKey, DateTimeOffset? Written);

/// <summary>The keys in use, and when earlier keys were retired, the latest first.</summary>
public sealed record KeyState(IReadOnlyList<KeyDescription> Current, IReadOnlyList<DateTimeOffset> Retired);
