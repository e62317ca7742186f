namespace ChatonsFed.Directory.Node;

/// <summary>Everything a node publishes: its profile, its services in their published order, and its charter declaration.</summary>
public sealed record NodeState(ChatonProfile Profile, IReadOnlyList<HostedServiceEntry> Services, CharterDeclaration? Charter);

/// <summary>One change between two states of a node, which the node announces to its followers.</summary>
public abstract record NodeChange;

/// <summary>The profile changed: <c>Update</c> of the actor, and a note.</summary>
public sealed record ProfileChanged(ChatonProfile Profile) : NodeChange;

/// <summary>A new service: <c>Create</c> of the <c>HostedService</c>, and a note.</summary>
public sealed record ServiceAdded(HostedServiceEntry Service) : NodeChange;

/// <summary>A service changed: <c>Update</c> of the <c>HostedService</c>, and a note.</summary>
public sealed record ServiceChanged(HostedServiceEntry Before, HostedServiceEntry After) : NodeChange;

/// <summary>A service was removed: <c>Delete</c> with a <c>Tombstone</c>, and a note.</summary>
public sealed record ServiceRemoved(HostedServiceEntry Service) : NodeChange;

/// <summary>The charter declaration changed (or the chaton's name, which its title carries): <c>Update</c> of the attestation, and a note.</summary>
public sealed record AttestationChanged(CharterDeclaration Declaration) : NodeChange;

/// <summary>The charter declaration was withdrawn: <c>Delete</c> with a <c>Tombstone</c>, and a note.</summary>
public sealed record AttestationWithdrawn : NodeChange;

/// <summary>Finds what changed between two states of a node, and stamps the changed parts with the time of the change.</summary>
public static class NodeChanges
{
    /// <summary>
    /// The changes from <paramref name="before"/> to <paramref name="after"/>, ignoring <c>published</c> and
    /// <c>updated</c>: profile first, then services removed, added and changed (in <paramref name="after"/>'s
    /// order), then the attestation. With no <paramref name="before"/>, everything is new.
    /// </summary>
    public static IReadOnlyList<NodeChange> Between(NodeState? before, NodeState after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<NodeChange>();
        if (before is null || !SameProfile(before.Profile, after.Profile))
        {
            changes.Add(new ProfileChanged(after.Profile));
        }

        var old = (before?.Services ?? []).ToDictionary(s => s.Slug, StringComparer.Ordinal);
        var current = after.Services.Select(s => s.Slug).ToHashSet(StringComparer.Ordinal);
        changes.AddRange((before?.Services ?? []).Where(s => !current.Contains(s.Slug)).Select(s => new ServiceRemoved(s)));
        foreach (var service in after.Services)
        {
            if (!old.TryGetValue(service.Slug, out var previous))
            {
                changes.Add(new ServiceAdded(service));
            }
            else if (!SameService(previous, service))
            {
                changes.Add(new ServiceChanged(previous, service));
            }
        }

        if (after.Charter is null)
        {
            if (before?.Charter is not null)
            {
                changes.Add(new AttestationWithdrawn());
            }
        }
        else if (before?.Charter is null
            || !SameDeclaration(before.Charter, after.Charter)
            || before.Profile.Name != after.Profile.Name)
        {
            changes.Add(new AttestationChanged(after.Charter));
        }

        return changes;
    }

    /// <summary>
    /// <paramref name="after"/> with <c>updated</c> set to <paramref name="now"/> on every part that changed since
    /// <paramref name="before"/>, and <c>published</c> too on new services; the parts that did not change keep
    /// <paramref name="before"/>'s dates, so that re-saving an unchanged form changes nothing.
    /// </summary>
    public static NodeState Stamp(NodeState? before, NodeState after, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(after);
        var profile = after.Profile;
        if (before is not null && SameProfile(before.Profile, profile))
        {
            profile = profile with { Published = before.Profile.Published, Updated = before.Profile.Updated };
        }
        else
        {
            profile = profile with { Published = before?.Profile.Published ?? OrNow(profile.Published, now), Updated = now };
        }

        var old = (before?.Services ?? []).ToDictionary(s => s.Slug, StringComparer.Ordinal);
        var services = after.Services.Select(s =>
            !old.TryGetValue(s.Slug, out var previous)
                ? s with { Published = now, Updated = now }
                : SameService(previous, s)
                    ? s with { Published = previous.Published, Updated = previous.Updated }
                    : s with { Published = previous.Published, Updated = now }).ToList();

        var charter = after.Charter;
        if (charter is not null)
        {
            charter = before?.Charter is { } previous && SameDeclaration(previous, charter) && before.Profile.Name == after.Profile.Name
                ? charter with { Published = previous.Published, Updated = previous.Updated }
                : charter with { Published = before?.Charter?.Published ?? OrNow(charter.Published, now), Updated = now };
        }

        return new NodeState(profile, services, charter);
    }

    public static bool SameProfile(ChatonProfile left, ChatonProfile right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return left with { Published = default, Updated = default } == right with { Published = default, Updated = default };
    }

    public static bool SameService(HostedServiceEntry left, HostedServiceEntry right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return left with { Published = default, Updated = default } == right with { Published = default, Updated = default };
    }

    public static bool SameDeclaration(CharterDeclaration left, CharterDeclaration right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return left.Charter == right.Charter && left.Criteria.SequenceEqual(right.Criteria);
    }

    private static DateTimeOffset OrNow(DateTimeOffset value, DateTimeOffset now) => value == default ? now : value;
}
