using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Endpoints;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Storage;
using ChatonsFed.Protocol.Membership;

namespace ChatonsFed.Node.Features;

/// <summary>
/// The membership credentials the chaton issues, and its revocation list: signing and storing them, revoking, signing
/// them again with new keys, and what the node serves of them. No network I/O: every change runs in one transaction under
/// the store's write lock (<see cref="NodeOutbox.ChangeAsync"/>), and the activities it makes go to the delivery queue.
/// </summary>
public sealed class IssuedEndorsements(NodeOutbox outbox)
{
    private NodeStore Store => outbox.Store;

    private NodeUrls Urls => outbox.Builder.Urls;

    /// <summary>
    /// Signs a credential about <paramref name="subject"/>, valid <paramref name="validDays"/> days from now, stores and
    /// lists it, and queues its <c>Add</c> for the subject's inbox and every follower.
    /// </summary>
    public Task<EndorseResult> IssueAsync(EndorsementSubject subject, int validDays, IReadOnlyList<CriterionCheck> criteria, string? note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(criteria);
        var attestationDigest = AttestationDigest.Compute(subject.Attestation);
        return outbox.ChangeAsync(now =>
        {
            var status = StatusRecord(now);
            var allocated = StatusListBits.FromArray(status.Allocated);
            var index = FreeIndex(allocated);
            allocated.Set(index);
            status.Allocated = allocated.ToArray();
            Store.StatusLists.Upsert(status);

            var slug = FreeSlug();
            var draft = new CredentialDraft(Urls.Credential(slug), Urls.Actor, subject.ActorId, now, now.AddDays(validDays),
                subject.CharterVersion, subject.CharterDigest, subject.AttestationId, attestationDigest, criteria, note, Urls.StatusList, index);
            var signed = outbox.Builder.SignMembership(MembershipCredentialBuilder.Build(draft), outbox.Keys, now);
            var record = new IssuedCredentialRecord
            {
                Id = slug,
                CredentialId = draft.Id,
                Subject = subject.ActorId,
                SubjectInbox = subject.Inbox,
                ValidFrom = draft.ValidFrom,
                ValidUntil = draft.ValidUntil,
                StatusIndex = index,
            };
            Save(record, signed, now);
            var add = outbox.Builder.AddCredential(signed, outbox.Keys);
            var queued = outbox.Enqueue([add], now, [subject.Inbox]);
            return new EndorseResult
            {
                Id = draft.Id,
                Subject = subject.ActorId,
                ValidFrom = draft.ValidFrom,
                ValidUntil = draft.ValidUntil,
                DeliveriesQueued = queued,
                FollowersNotified = Store.Followers.Count(),
                Activities = [add["id"]!.GetValue<string>()],
            };
        }, cancellationToken);
    }

    /// <summary>
    /// Revokes the credential <paramref name="credentialId"/>, which this node issued: sets its bit, signs the list again
    /// (<c>validFrom</c> now), keeps the credential listed, and queues an <c>Update</c> of the list for its subject and
    /// every follower. A credential already revoked stays as it is.
    /// </summary>
    /// <exception cref="NodeInputException">This node did not issue <paramref name="credentialId"/>.</exception>
    public Task<RevokeResult> RevokeAsync(string? credentialId, CancellationToken cancellationToken)
    {
        var record = Find(credentialId);
        return outbox.ChangeAsync(now =>
        {
            var current = Store.IssuedCredentials.FindById(record.Id)!;
            if (current.Revoked is { } revoked)
            {
                return new RevokeResult { Id = current.CredentialId, AlreadyRevoked = true, Revoked = revoked };
            }

            var status = StatusRecord(now);
            var bits = StatusListBits.FromArray(status.Revoked);
            bits.Set(current.StatusIndex);
            status.Revoked = bits.ToArray();
            status.ValidFrom = now;
            Store.StatusLists.Upsert(status);
            var list = SaveStatusList(status, outbox.Keys, now);
            current.Revoked = now;
            Store.IssuedCredentials.Upsert(current);
            var update = outbox.Builder.UpdateStatusList(list, [current.Subject], outbox.Keys);
            var queued = outbox.Enqueue([update], now, [current.SubjectInbox]);
            return new RevokeResult
            {
                Id = current.CredentialId,
                Revoked = now,
                DeliveriesQueued = queued,
                FollowersNotified = Store.Followers.Count(),
                Activities = [update["id"]!.GetValue<string>()],
            };
        }, cancellationToken);
    }

    /// <summary>
    /// Signs the revocation list and every listed credential again with <paramref name="keys"/> (same content, a proof
    /// created now), and queues the <c>Add</c> of each credential not expired again. For <see cref="KeyRotation"/>, inside
    /// its transaction. Returns the activities and the number of deliveries queued.
    /// </summary>
    public (IReadOnlyList<string> Activities, int Queued) Resign(HostKeys keys, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (Store.StatusLists.FindById(1) is { } status)
        {
            SaveStatusList(status, keys, now);
        }

        var activities = new List<string>();
        var queued = 0;
        foreach (var record in Listed(now))
        {
            var unsigned = JsonNode.Parse(record.Json)!.AsObject();
            unsigned.Remove("proof");
            var signed = outbox.Builder.SignMembership(unsigned, keys, now);
            Save(record, signed, now);
            if (record.ValidUntil > now)
            {
                var add = outbox.Builder.AddCredential(signed, keys);
                queued += outbox.Enqueue([add], now, [record.SubjectInbox]);
                activities.Add(add["id"]!.GetValue<string>());
            }
        }

        return (activities, queued);
    }

    /// <summary>The credentials still listed (until <see cref="MembershipCollections.Retention"/> after their end), newest first.</summary>
    public IReadOnlyList<IssuedCredentialRecord> Listed(DateTimeOffset now) =>
        [.. Store.IssuedCredentials.FindAll()
            .Where(r => now < r.ValidUntil + MembershipCollections.Retention)
            .OrderByDescending(r => r.ValidFrom)
            .ThenBy(r => r.CredentialId, StringComparer.Ordinal)];

    /// <summary>The credentials issued, as the owner's list shows them.</summary>
    public IReadOnlyList<CredentialEntry> Entries(DateTimeOffset now) =>
        [.. Listed(now).Select(r => new CredentialEntry(r.CredentialId, Urls.Actor, r.Subject, r.ValidFrom, r.ValidUntil,
            r.Revoked is not null ? CredentialStates.WireName(CredentialState.Revoked)
            : now >= r.ValidUntil ? CredentialStates.WireName(CredentialState.Expired)
            : CredentialStates.WireName(CredentialState.Valid)))];

    /// <summary>The served revocation list; made (all zeros) when the node has none yet.</summary>
    public async Task<DocumentRecord> StatusListDocumentAsync(CancellationToken cancellationToken)
    {
        if (Store.FindDocument(NodeUrls.StatusListPath) is { } held)
        {
            return held;
        }

        await outbox.ChangeAsync(now => StatusRecord(now), cancellationToken);
        return Store.FindDocument(NodeUrls.StatusListPath)!;
    }

    /// <summary>Makes the all-zero revocation list of a new node, inside the caller's transaction.</summary>
    internal void CreateStatusList(DateTimeOffset now) => StatusRecord(now);

    /// <summary>The node's revocation list record, made with its signed document when there is none yet.</summary>
    private StatusListRecord StatusRecord(DateTimeOffset now)
    {
        if (Store.StatusLists.FindById(1) is { } existing)
        {
            return existing;
        }

        var empty = StatusListBits.CreateEmpty().ToArray();
        var status = new StatusListRecord { Revoked = empty, Allocated = [.. empty], ValidFrom = now };
        Store.StatusLists.Upsert(status);
        SaveStatusList(status, outbox.Keys, now);
        return status;
    }

    private JsonObject SaveStatusList(StatusListRecord status, HostKeys keys, DateTimeOffset now)
    {
        var unsigned = StatusListDocument.Build(Urls.StatusList, Urls.Actor, status.ValidFrom, StatusListBits.FromArray(status.Revoked));
        var signed = outbox.Builder.SignMembership(unsigned, keys, now);
        outbox.SaveDocument(NodeUrls.StatusListPath, signed, now);
        return signed;
    }

    private void Save(IssuedCredentialRecord record, JsonObject signed, DateTimeOffset now)
    {
        record.Json = signed.ToJsonString();
        record.ETag = DocumentResult.ETagOf(record.Json);
        record.Modified = now;
        Store.IssuedCredentials.Upsert(record);
    }

    private IssuedCredentialRecord Find(string? credentialId)
    {
        var id = credentialId?.Trim() ?? string.Empty;
        var prefix = Urls.IssuedEndorsements + "/";
        if (id.Length == 0)
        {
            throw new NodeInputException("the credential id is missing; 'chatonsfed membership list' shows the ids of the credentials this chaton issued");
        }

        return id.StartsWith(prefix, StringComparison.Ordinal) && Store.IssuedCredentials.FindById(id[prefix.Length..]) is { } record && record.CredentialId == id
            ? record
            : throw new NodeInputException($"{id} is not a credential this chaton issued (those are {prefix}…); 'chatonsfed membership list' shows them");
    }

    /// <summary>A random index no credential was given, so that no two credentials share a bit.</summary>
    private static int FreeIndex(StatusListBits allocated)
    {
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var candidate = RandomNumberGenerator.GetInt32(allocated.Length);
            if (!allocated.IsSet(candidate))
            {
                return candidate;
            }
        }

        var start = RandomNumberGenerator.GetInt32(allocated.Length);
        for (var step = 0; step < allocated.Length; step++)
        {
            var candidate = (start + step) % allocated.Length;
            if (!allocated.IsSet(candidate))
            {
                return candidate;
            }
        }

        throw new NodeInputException($"every one of the {allocated.Length} indexes of the revocation list is taken; this node cannot issue more credentials");
    }

    private string FreeSlug()
    {
        while (true)
        {
            var slug = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            if (Store.IssuedCredentials.FindById(slug) is null)
            {
                return slug;
            }
        }
    }
}
