using ChatonsFed.Hosting;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Documents;

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
            });
            outbox.UseKeys(fresh);
            return new ChangeResult { DeliveriesQueued = queued, Activities = [update["id"]!.GetValue<string>(), .. announced] };
        }
        finally
        {
            store.WriteLock.Release();
        }
    }
}
