using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Protocol.Membership;
using LiteDB;

namespace ChatonsFed.Aggregator.Storage;

/// <summary>
/// The membership documents the directory holds, in the same file as the chatons' (a rebuild empties both, and both
/// come back from the documents): the authentic credentials, the issuers' status lists, and the actors of issuers that
/// are not listed chatons (trust roots, other issuers). Kept in memory as well, in step with the file, like the index.
/// </summary>
public sealed partial class DirectoryStore
{
    private const string CredentialsCollection = "credentials";
    private const string StatusListsCollection = "statusLists";
    private const string IssuersCollection = "issuers";

    private static readonly string[] MembershipCollections = [CredentialsCollection, StatusListsCollection, IssuersCollection];

    private readonly Dictionary<string, HeldCredential> _heldCredentials = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HeldStatusList> _heldStatusLists = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HeldActor> _heldIssuers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _credentialsByIssuer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _credentialsBySubject = new(StringComparer.Ordinal);
    private ILiteCollection<CredentialRecord> _credentials = null!;
    private ILiteCollection<StatusListRecord> _statusLists = null!;
    private ILiteCollection<IssuerActorRecord> _issuers = null!;

    /// <summary>Every credential held, ordered by id.</summary>
    public IReadOnlyList<HeldCredential> Credentials
    {
        get
        {
            lock (_gate)
            {
                return [.. _heldCredentials.Values.OrderBy(c => c.Id, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Every status list held, ordered by URL.</summary>
    public IReadOnlyList<HeldStatusList> StatusLists
    {
        get
        {
            lock (_gate)
            {
                return [.. _heldStatusLists.Values.OrderBy(l => l.Url, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>The credentials held as listed by <paramref name="owner"/>'s <c>issuedEndorsements</c> (<paramref name="issued"/>) or <c>endorsements</c>.</summary>
    public IReadOnlyList<HeldCredential> CredentialsListedBy(string owner, bool issued)
    {
        ArgumentNullException.ThrowIfNull(owner);
        lock (_gate)
        {
            return (issued ? _credentialsByIssuer : _credentialsBySubject).GetValueOrDefault(owner) is { } ids
                ? [.. ids.Select(id => _heldCredentials[id]).Where(c => issued ? c.ListedByIssuer : c.ListedBySubject).OrderBy(c => c.Id, StringComparer.Ordinal)]
                : [];
        }
    }

    public HeldCredential? FindCredential(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            return _heldCredentials.GetValueOrDefault(id);
        }
    }

    public HeldStatusList? FindStatusList(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        lock (_gate)
        {
            return _heldStatusLists.GetValueOrDefault(url);
        }
    }

    /// <summary>The actor held for an issuer that is not a listed chaton; null when there is none.</summary>
    public HeldActor? FindIssuerActor(string actorId)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        lock (_gate)
        {
            return _heldIssuers.GetValueOrDefault(actorId);
        }
    }

    /// <summary>
    /// Takes authentic credentials. A copy replaces the one held with the same id when its proof is not older; the
    /// collections that list either stay marked. An issuer holding <paramref name="maxPerIssuer"/> credentials already
    /// gets no new one: each refused is returned (and logged once per call, with the count).
    /// </summary>
    public IReadOnlyList<DocumentRejection> TakeCredentials(IReadOnlyList<HeldCredential> credentials, int maxPerIssuer) =>
        TakeCollections([new CollectionRead(null, false, credentials, null)], maxPerIssuer);

    /// <summary>
    /// After a read of <paramref name="owner"/>'s <c>issuedEndorsements</c> (<paramref name="issued"/>) or
    /// <c>endorsements</c>: the credentials it no longer lists (not in <paramref name="listed"/>) lose that mark, and
    /// those listed nowhere any more are forgotten.
    /// </summary>
    public void ReconcileCollection(string owner, bool issued, IReadOnlySet<string> listed)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(listed);
        TakeCollections([new CollectionRead(owner, issued, [], listed)], int.MaxValue);
    }

    /// <summary>
    /// What a membership poll read, all at once and in one transaction: for each read, its authentic credentials
    /// taken as <see cref="TakeCredentials"/> does, then, when the collection was read, the credentials it no longer
    /// lists unmarked as <see cref="ReconcileCollection"/> does. Each credential changed is written once.
    /// </summary>
    public IReadOnlyList<DocumentRejection> TakeCollections(IReadOnlyList<CollectionRead> reads, int maxPerIssuer)
    {
        ArgumentNullException.ThrowIfNull(reads);
        lock (_gate)
        {
            var changed = new HashSet<string>(StringComparer.Ordinal);
            var refused = new List<DocumentRejection>();
            string? flooding = null;
            foreach (var read in reads)
            {
                foreach (var credential in read.Credentials)
                {
                    if (_heldCredentials.TryGetValue(credential.Id, out var held))
                    {
                        var better = Better(held, credential);
                        if (!Same(held, better))
                        {
                            Hold(better);
                            changed.Add(better.Id);
                        }

                        continue;
                    }

                    var issuer = credential.Credential.Issuer;
                    if ((_credentialsByIssuer.GetValueOrDefault(issuer)?.Count ?? 0) >= maxPerIssuer)
                    {
                        flooding ??= issuer;
                        refused.Add(new DocumentRejection(DocumentKind.Credential, credential.Id, RejectionReason.TooManyCredentials,
                            $"{issuer} already has {maxPerIssuer} credentials held here; no more are taken from it"));
                        continue;
                    }

                    Hold(credential);
                    changed.Add(credential.Id);
                }

                if (read.Listed is { } listed && read.Owner is { } owner
                    && (read.Issued ? _credentialsByIssuer : _credentialsBySubject).GetValueOrDefault(owner) is { } ids)
                {
                    foreach (var credential in ids.Select(id => _heldCredentials[id]).Where(c => (read.Issued ? c.ListedByIssuer : c.ListedBySubject) && !listed.Contains(c.Id)).ToList())
                    {
                        var unmarked = read.Issued ? credential with { ListedByIssuer = false } : credential with { ListedBySubject = false };
                        if (unmarked.ListedByIssuer || unmarked.ListedBySubject)
                        {
                            Hold(unmarked);
                        }
                        else
                        {
                            Forget(unmarked.Id);
                        }

                        changed.Add(unmarked.Id);
                    }
                }
            }

            Write(changed);
            if (refused.Count > 0)
            {
                // One line for the lot: a flood must not push every other refusal out of the log.
                var first = refused[0];
                _diagnostics.Record(flooding, [first with { Message = first.Message + (refused.Count > 1 ? $" ({refused.Count} refused)" : string.Empty) }], _time.GetUtcNow());
            }

            return refused;
        }

        // Nothing to write: the same bytes, listed by the same collections, with the same validators.
        static bool Same(HeldCredential held, HeldCredential kept) =>
            held.ListedByIssuer == kept.ListedByIssuer && held.ListedBySubject == kept.ListedBySubject && held.ETag == kept.ETag
            && held.LastModified == kept.LastModified && held.Utf8Json.Span.SequenceEqual(kept.Utf8Json.Span);

        // Of two authentic copies of one id, the one signed later; the collections that listed either still do.
        static HeldCredential Better(HeldCredential held, HeldCredential incoming)
        {
            var sameParties = held.Credential.Issuer == incoming.Credential.Issuer && held.Credential.Subject == incoming.Credential.Subject;
            var kept = incoming.Credential.ProofCreated >= held.Credential.ProofCreated ? incoming : held;
            return sameParties
                ? kept with { ListedByIssuer = held.ListedByIssuer || incoming.ListedByIssuer, ListedBySubject = held.ListedBySubject || incoming.ListedBySubject }
                : kept;
        }
    }

    /// <summary>
    /// The end of a membership poll: collections of actors that were not read because they are neither listed nor
    /// trust roots (<paramref name="owners"/>) no longer list anything, credentials listed nowhere are forgotten, and so
    /// are the status lists no credential names and the issuer actors no credential needs (<paramref name="keepActors"/>
    /// are kept whatever).
    /// </summary>
    public void ForgetUnread(IReadOnlySet<string> owners, IReadOnlySet<string> keepActors)
    {
        ArgumentNullException.ThrowIfNull(owners);
        ArgumentNullException.ThrowIfNull(keepActors);
        lock (_gate)
        {
            var changed = _heldCredentials.Values
                .Where(c => (c.ListedByIssuer && !owners.Contains(c.Credential.Issuer)) || (c.ListedBySubject && !owners.Contains(c.Credential.Subject)))
                .Select(c => c with
                {
                    ListedByIssuer = c.ListedByIssuer && owners.Contains(c.Credential.Issuer),
                    ListedBySubject = c.ListedBySubject && owners.Contains(c.Credential.Subject),
                })
                .ToList();
            foreach (var credential in changed)
            {
                if (credential.ListedByIssuer || credential.ListedBySubject)
                {
                    Hold(credential);
                }
                else
                {
                    Forget(credential.Id);
                }
            }

            Write(changed.Select(c => c.Id).ToHashSet(StringComparer.Ordinal));
            var named = _heldCredentials.Values.Select(c => c.Credential.StatusListUrl).ToHashSet(StringComparer.Ordinal);
            var issuers = _heldCredentials.Values.Select(c => c.Credential.Issuer).ToHashSet(StringComparer.Ordinal);
            var lists = _heldStatusLists.Keys.Where(url => !named.Contains(url)).ToList();
            var actors = _heldIssuers.Keys.Where(id => !issuers.Contains(id) && !keepActors.Contains(id)).ToList();
            if (lists.Count == 0 && actors.Count == 0)
            {
                return;
            }

            InTransaction(() =>
            {
                foreach (var url in lists)
                {
                    _statusLists.Delete(url);
                }

                foreach (var id in actors)
                {
                    _issuers.Delete(id);
                }
            });
            foreach (var url in lists)
            {
                _heldStatusLists.Remove(url);
            }

            foreach (var id in actors)
            {
                _heldIssuers.Remove(id);
            }
        }
    }

    /// <summary>
    /// Takes a status list version that verified: its bits join those held (bits are only ever set), and it becomes the
    /// copy held when it is not older than it. Either way the list counts as verified at <paramref name="at"/>.
    /// </summary>
    public HeldStatusList TakeStatusList(HeldStatusList version, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(version);
        lock (_gate)
        {
            var list = version with { VerifiedAt = at };
            if (_heldStatusLists.TryGetValue(version.Url, out var held) && held.Issuer == version.Issuer)
            {
                var bits = held.Bits.Union(version.Bits);
                list = version.ValidFrom >= held.ValidFrom
                    ? list with { Bits = bits }
                    : held with { Bits = bits, VerifiedAt = at, ETag = version.ETag, LastModified = version.LastModified };
            }

            InTransaction(() => _statusLists.Upsert(ToRecord(list)));
            _heldStatusLists[list.Url] = list;
            return list;
        }
    }

    /// <summary>The issuer answered that the list held has not changed (304): it counts as verified at <paramref name="at"/>.</summary>
    public void ConfirmStatusList(string url, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(url);
        lock (_gate)
        {
            if (_heldStatusLists.TryGetValue(url, out var held))
            {
                var list = held with { VerifiedAt = at };
                InTransaction(() => _statusLists.Upsert(ToRecord(list)));
                _heldStatusLists[url] = list;
            }
        }
    }

    /// <summary>Keeps the actor of an issuer that is not a listed chaton, verified by its own proof.</summary>
    public void TakeIssuerActor(HeldActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        lock (_gate)
        {
            InTransaction(() => _issuers.Upsert(new IssuerActorRecord
            {
                Id = actor.Id,
                Data = actor.Utf8Json.ToArray(),
                ETag = actor.ETag,
                LastModified = actor.LastModified,
                Received = actor.Received.UtcTicks,
            }));
            _heldIssuers[actor.Id] = actor;
        }
    }

    /// <summary>Logs refusals of membership documents (kinds <see cref="DocumentKind.Credential"/> and <see cref="DocumentKind.StatusList"/>).</summary>
    public void RecordRefusals(string? actorId, IReadOnlyList<DocumentRejection> refusals)
    {
        ArgumentNullException.ThrowIfNull(refusals);
        if (refusals.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            _diagnostics.Record(actorId, refusals, _time.GetUtcNow());
        }
    }

    /// <summary>Writes the credentials of <paramref name="ids"/> as held now, in one transaction: those no longer held are deleted.</summary>
    private void Write(HashSet<string> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        InTransaction(() =>
        {
            foreach (var id in ids)
            {
                if (_heldCredentials.TryGetValue(id, out var credential))
                {
                    _credentials.Upsert(ToRecord(credential));
                }
                else
                {
                    _credentials.Delete(id);
                }
            }
        });
    }

    /// <summary>Holds <paramref name="credential"/> in memory in place of any copy of the same id, indexed by issuer and subject.</summary>
    private void Hold(HeldCredential credential)
    {
        Forget(credential.Id);
        _heldCredentials[credential.Id] = credential;
        Add(_credentialsByIssuer, credential.Credential.Issuer, credential.Id);
        Add(_credentialsBySubject, credential.Credential.Subject, credential.Id);

        static void Add(Dictionary<string, HashSet<string>> index, string key, string id)
        {
            if (!index.TryGetValue(key, out var ids))
            {
                index[key] = ids = new HashSet<string>(StringComparer.Ordinal);
            }

            ids.Add(id);
        }
    }

    private void Forget(string id)
    {
        if (!_heldCredentials.Remove(id, out var held))
        {
            return;
        }

        Remove(_credentialsByIssuer, held.Credential.Issuer, id);
        Remove(_credentialsBySubject, held.Credential.Subject, id);

        static void Remove(Dictionary<string, HashSet<string>> index, string key, string id)
        {
            if (index.TryGetValue(key, out var ids) && ids.Remove(id) && ids.Count == 0)
            {
                index.Remove(key);
            }
        }
    }

    private static CredentialRecord ToRecord(HeldCredential credential) => new()
    {
        Id = credential.Id,
        Data = credential.Utf8Json.ToArray(),
        ListedByIssuer = credential.ListedByIssuer,
        ListedBySubject = credential.ListedBySubject,
        ETag = credential.ETag,
        LastModified = credential.LastModified,
        Received = credential.Received.UtcTicks,
    };

    private static StatusListRecord ToRecord(HeldStatusList list) => new()
    {
        Id = list.Url,
        Issuer = list.Issuer,
        Bits = list.Bits.Encode(),
        Data = list.Utf8Json.ToArray(),
        ValidFrom = list.ValidFrom.UtcTicks,
        VerifiedAt = list.VerifiedAt.UtcTicks,
        ETag = list.ETag,
        LastModified = list.LastModified,
    };

    private void OpenMembershipCollections()
    {
        _credentials = _database.GetCollection<CredentialRecord>(CredentialsCollection);
        _statusLists = _database.GetCollection<StatusListRecord>(StatusListsCollection);
        _issuers = _database.GetCollection<IssuerActorRecord>(IssuersCollection);
    }

    private void ClearMembership()
    {
        _heldCredentials.Clear();
        _credentialsByIssuer.Clear();
        _credentialsBySubject.Clear();
        _heldStatusLists.Clear();
        _heldIssuers.Clear();
    }

    /// <summary>Reads the held membership documents into memory; a credential that no longer reads (it should not happen) is left out.</summary>
    private void LoadMembership()
    {
        ClearMembership();
        foreach (var record in _credentials.FindAll())
        {
            var parsed = CredentialVerifier.Parse(record.Data, CredentialSource.Direct);
            if (parsed.Credential is { } credential)
            {
                Hold(new HeldCredential(credential, record.Data)
                {
                    ListedByIssuer = record.ListedByIssuer,
                    ListedBySubject = record.ListedBySubject,
                    ETag = record.ETag,
                    LastModified = record.LastModified,
                    Received = new DateTimeOffset(record.Received, TimeSpan.Zero),
                });
            }
        }

        foreach (var record in _statusLists.FindAll())
        {
            if (!StatusListBits.TryDecode(record.Bits, out var bits, out _))
            {
                continue;
            }

            _heldStatusLists[record.Id] = new HeldStatusList(record.Id, record.Issuer, bits, record.Data,
                new DateTimeOffset(record.ValidFrom, TimeSpan.Zero), new DateTimeOffset(record.VerifiedAt, TimeSpan.Zero))
            {
                ETag = record.ETag,
                LastModified = record.LastModified,
            };
        }

        foreach (var record in _issuers.FindAll())
        {
            _heldIssuers[record.Id] = new HeldActor(record.Id, record.Data, new DateTimeOffset(record.Received, TimeSpan.Zero))
            {
                ETag = record.ETag,
                LastModified = record.LastModified,
            };
        }
    }
}
