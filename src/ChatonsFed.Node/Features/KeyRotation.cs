using ChatonsFed.Hosting;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Documents;

namespace ChatonsFed.Node.Features;

/// <summary>Replaces the node's key pairs: the actor publishes the new keys, announced by an <c>Update</c> signed with the old ones.</summary>
public sealed class KeyRotation(NodeOutbox outbox, string keysFolder, TimeProvider time)
{
    /// <summary>Makes new key pairs, re-signs every public document with them and queues the actor's <c>Update</c>.</summary>
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
            });
            outbox.UseKeys(fresh);
            return new ChangeResult { DeliveriesQueued = queued, Activities = [update["id"]!.GetValue<string>()] };
        }
        finally
        {
            store.WriteLock.Release();
        }
    }
}
