using System.Text.Json.Nodes;
using ChatonsFed.Federation.Http;
using ChatonsFed.Federation.Keys;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Storage;
using ChatonsFed.Protocol.Membership;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Node.Features;

/// <summary>
/// The membership credentials about the chaton that it holds and lists. An issuer's <c>Add</c> makes the node fetch the
/// credential from the issuer's origin and check it with itself as subject (MEMBERSHIP steps 1–13 and 16, and the
/// issuer's status list for 14–15); an issuer's <c>Update</c> of its status list makes it read the list again and mark
/// what it holds. Fetches go through the node's <see cref="ActivityPubClient"/> (address policy, size, time and redirect
/// limits) and happen before the store is locked. Each method answers a sentence for the inbox's log; the inbox answers
/// 202 whatever it says.
/// </summary>
public sealed class HeldEndorsements(NodeOutbox outbox, ActivityPubClient client, RemoteKeyResolver resolver, TimeProvider time)
{
    /// <summary>Credentials held from one issuer at most; past it the one that ends first is dropped.</summary>
    public const int MaxPerIssuer = 10;

    /// <summary>Credentials held at most, all issuers together (as many as an aggregator reads); past it new ones are not taken.</summary>
    public const int MaxHeld = MembershipCollections.MaxHeldItems;

    /// <summary>What a credential or status list is asked for as.</summary>
    public const string Accept = "application/vc, application/ld+json;q=0.9, application/json;q=0.8";

    private NodeStore Store => outbox.Store;

    private string Self => outbox.Builder.Urls.Actor;

    /// <summary>
    /// An <c>Add</c> by <paramref name="issuer"/> (the verified signer) of <paramref name="objectId"/> to
    /// <paramref name="targetId"/>: taken as a credential only when the object is on the issuer's origin and the target,
    /// when there is one, is the issuer's <c>issuedEndorsements</c>. Returns what was done, and whether anything changed.
    /// </summary>
    public async Task<(string Reason, bool Changed)> AddAsync(string issuer, string? objectId, string? targetId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        if (!ProofVerifier.TryParseHttpUrl(objectId, out var credentialUrl) || !ProofVerifier.SameOrigin(credentialUrl, new Uri(issuer)))
        {
            return ("Add noted; its object is not a URL on the sender's origin", false);
        }

        if (await resolver.ResolveActorAsync(new Uri(issuer), cancellationToken).ConfigureAwait(false) is not { } cachedActor)
        {
            return ("Add noted; the sender's actor could not be fetched", false);
        }

        // An Add to another collection (Mastodon's featured posts…) is not about a credential.
        if (targetId is not null && Text(cachedActor["issuedEndorsements"]) != targetId)
        {
            return ("Add noted; its target is not the sender's issued endorsements", false);
        }

        var fetch = await client.FetchDocumentAsync(credentialUrl, Accept, cancellationToken).ConfigureAwait(false);
        if (!fetch.IsOk)
        {
            return ($"credential {objectId} not taken: {fetch.Reason}", false);
        }

        var parsed = CredentialVerifier.Parse(fetch.Body.Span, CredentialSource.HeldBy(Self));
        if (!parsed.Succeeded)
        {
            return ($"credential {objectId} not taken: {parsed.Failure}: {parsed.Detail}", false);
        }

        var credential = parsed.Credential!;
        if (credential.Id != objectId || credential.Issuer != issuer)
        {
            return ($"credential {objectId} not taken: it is {credential.Id}, issued by {credential.Issuer}, not what {issuer} announced", false);
        }

        var (issuerActor, keyProblem) = await IssuerKeyAsync(issuer, cachedActor, actor => CredentialVerifier.CheckProof(parsed, actor) is { } failure ? $"{failure.Failure}: {failure.Detail}" : null, cancellationToken).ConfigureAwait(false);
        if (keyProblem is not null)
        {
            return ($"credential {objectId} not taken: {keyProblem}", false);
        }

        var (bits, _) = await StatusListAsync(credential.StatusListUrl, issuer, issuerActor!, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var (state, detail) = CredentialVerifier.StateAt(credential, now, bits);
        if (state is CredentialState.NotYetValid or CredentialState.Expired)
        {
            return ($"credential {objectId} not taken: {CredentialStates.WireName(state)}: {detail}", false);
        }

        var json = System.Text.Encoding.UTF8.GetString(fetch.Body.Span);
        return await outbox.ChangeAsync(_ => Hold(credential, json, bits, state, now), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An <c>Update</c> by <paramref name="issuer"/> whose object is <paramref name="objectId"/>: when it is the status list
    /// of credentials held from that issuer, the list is fetched again and each one whose bit is set is marked revoked.
    /// Null when the object is not such a list.
    /// </summary>
    public async Task<(string Reason, bool Changed)?> UpdateStatusListAsync(string issuer, string? objectId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        if (objectId is null || Store.HeldCredentials.Find(r => r.Issuer == issuer && r.StatusListUrl == objectId).Count == 0)
        {
            return null;
        }

        var issuerActor = await resolver.ResolveActorAsync(new Uri(issuer), cancellationToken).ConfigureAwait(false);
        if (issuerActor is null)
        {
            return ($"status list {objectId} not read: the issuer's actor could not be fetched", false);
        }

        var (bits, problem) = await StatusListAsync(objectId, issuer, issuerActor, cancellationToken).ConfigureAwait(false);
        if (bits is null && (await resolver.RefreshActorAsync(issuer, null, cancellationToken).ConfigureAwait(false)).Document is { } fresh)
        {
            // The issuer's keys may have been rotated since its actor was cached.
            (bits, problem) = await StatusListAsync(objectId, issuer, fresh, cancellationToken).ConfigureAwait(false);
        }

        if (bits is null)
        {
            return ($"status list {objectId} not read: {problem}", false);
        }

        var now = time.GetUtcNow();
        var revoked = await outbox.ChangeAsync(_ =>
        {
            var marked = 0;
            foreach (var record in Store.HeldCredentials.Find(r => r.Issuer == issuer && r.StatusListUrl == objectId))
            {
                if (Mark(record, bits, now))
                {
                    marked++;
                    Store.HeldCredentials.Upsert(record);
                }
            }

            return marked;
        }, cancellationToken).ConfigureAwait(false);
        return ($"status list {objectId} read again: {revoked} credential(s) held from {issuer} newly marked", revoked > 0);
    }

    /// <summary>The credentials held and still listed (until <see cref="MembershipCollections.Retention"/> after their end), newest first.</summary>
    public static IReadOnlyList<HeldCredentialRecord> Listed(NodeStore store, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        return [.. store.HeldCredentials.FindAll()
            .Where(r => now < r.ValidUntil + MembershipCollections.Retention)
            .OrderByDescending(r => r.ValidFrom)
            .ThenBy(r => r.Id, StringComparer.Ordinal)];
    }

    /// <summary>The credentials held by <paramref name="subject"/>, as the owner's list shows them.</summary>
    public static IReadOnlyList<CredentialEntry> Entries(NodeStore store, string subject, DateTimeOffset now) =>
        [.. Listed(store, now).Select(r => new CredentialEntry(r.Id, r.Issuer, subject, r.ValidFrom, r.ValidUntil, CredentialStates.WireName(StateOf(r, now))))];

    /// <summary>What a held credential is now, from what the node saw of its issuer's list.</summary>
    public static CredentialState StateOf(HeldCredentialRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        return CredentialVerifier.StateAt(record.ValidFrom, record.ValidUntil, record.Revoked is not null ? true : record.StatusKnown ? false : null, now);
    }

    private (string Reason, bool Changed) Hold(MembershipCredential credential, string json, StatusListBits? bits, CredentialState state, DateTimeOffset now)
    {
        var held = Store.HeldCredentials;
        foreach (var gone in held.FindAll().Where(r => now >= r.ValidUntil + MembershipCollections.Retention))
        {
            held.Delete(gone.Id);
        }

        var existing = held.FindById(credential.Id);
        if (existing is not null && existing.ProofCreated > credential.ProofCreated)
        {
            return ($"credential {credential.Id} not taken: the copy held was signed later", false);
        }

        if (existing is null)
        {
            if (held.Count() >= MaxHeld)
            {
                return ($"credential {credential.Id} not taken: this node holds {MaxHeld} credentials already", false);
            }

            // Past the cap, the credentials of this issuer that end first give way, the new one included.
            var fromIssuer = held.Find(r => r.Issuer == credential.Issuer);
            var ending = fromIssuer.Select(r => (r.Id, r.ValidUntil)).Append((credential.Id, credential.ValidUntil))
                .OrderByDescending(c => c.ValidUntil).ThenBy(c => c.Id, StringComparer.Ordinal).Skip(MaxPerIssuer).Select(c => c.Id).ToList();
            if (ending.Contains(credential.Id))
            {
                return ($"credential {credential.Id} not taken: {MaxPerIssuer} credentials held from {credential.Issuer} end later", false);
            }

            foreach (var dropped in ending)
            {
                held.Delete(dropped);
            }
        }

        var record = new HeldCredentialRecord
        {
            Id = credential.Id,
            Issuer = credential.Issuer,
            Json = json,
            ValidFrom = credential.ValidFrom,
            ValidUntil = credential.ValidUntil,
            ProofCreated = credential.ProofCreated,
            StatusListUrl = credential.StatusListUrl,
            StatusIndex = credential.StatusListIndex,
            Received = now,
            Revoked = existing?.Revoked,
            StatusKnown = existing?.StatusKnown ?? false,
        };
        if (bits is not null)
        {
            Mark(record, bits, now);
        }

        held.Upsert(record);
        return ($"credential {credential.Id} verified and held ({CredentialStates.WireName(state)})", true);
    }

    /// <summary>Notes what <paramref name="bits"/> says of <paramref name="record"/>; true when that changed it. A revocation is never undone.</summary>
    private static bool Mark(HeldCredentialRecord record, StatusListBits bits, DateTimeOffset now)
    {
        if (!bits.Contains(record.StatusIndex))
        {
            return false;
        }

        var changed = !record.StatusKnown;
        record.StatusKnown = true;
        if (record.Revoked is null && bits.IsSet(record.StatusIndex))
        {
            record.Revoked = now;
            changed = true;
        }

        return changed;
    }

    /// <summary>
    /// The issuer's actor verified by its own proof, with which <paramref name="check"/> passes: the copy given, else the
    /// actor fetched again from its origin once (its keys may have been rotated since the copy was cached).
    /// </summary>
    private async Task<(JsonObject? Actor, string? Problem)> IssuerKeyAsync(string issuer, JsonObject held, Func<JsonObject, string?> check, CancellationToken cancellationToken)
    {
        var problem = IssuerActorCheck.Check(held, issuer) is { } notVerified ? "the issuer's actor does not verify: " + notVerified : check(held);
        if (problem is null)
        {
            return (held, null);
        }

        var refresh = await resolver.RefreshActorAsync(issuer, null, cancellationToken).ConfigureAwait(false);
        if (refresh.Document is not { } fresh)
        {
            return (null, problem);
        }

        problem = IssuerActorCheck.Check(fresh, issuer) is { } freshNotVerified ? "the issuer's actor does not verify: " + freshNotVerified : check(fresh);
        return problem is null ? (fresh, null) : (null, problem);
    }

    /// <summary>The issuer's status list fetched from <paramref name="url"/> and verified (MEMBERSHIP 5.2); null with the reason when it cannot be.</summary>
    private async Task<(StatusListBits? Bits, string? Problem)> StatusListAsync(string url, string issuer, JsonObject issuerActor, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var listUrl))
        {
            return (null, $"{url} is not a URL");
        }

        var fetch = await client.FetchDocumentAsync(listUrl, Accept, cancellationToken).ConfigureAwait(false);
        if (!fetch.IsOk)
        {
            return (null, fetch.Reason);
        }

        var verdict = StatusListDocument.Verify(fetch.Body.Span, url, issuer, issuerActor, time.GetUtcNow());
        return verdict.Accepted ? (verdict.Bits, null) : (null, $"{verdict.Failure}: {verdict.Detail}");
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
