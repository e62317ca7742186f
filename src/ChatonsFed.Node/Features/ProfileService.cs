using ChatonsFed.Directory.Node;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Node.Features;

/// <summary>The chaton's profile: reading it and changing it, which re-signs the actor and announces it.</summary>
public sealed class ProfileService(NodeOutbox outbox)
{
    public ProfileRecord Get() => outbox.Profile();

    /// <summary>Applies <paramref name="changes"/>, re-signs the actor and queues its <c>Update</c> and a note for every follower.</summary>
    public async Task<ChangeResult> SetAsync(ProfileChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var profile = outbox.Profile();
        NodeOutbox.EnsureActive(profile);
        Apply(profile, changes);
        var builder = outbox.Builder;
        return await outbox.PublishAsync(now =>
        {
            profile.Updated = NodeOutbox.Bump(profile.Updated, now);
            outbox.Store.Profiles.Upsert(profile);
            var actor = builder.Actor(profile, outbox.Keys);
            outbox.SaveDocument(NodeUrls.ActorPath, actor, now);
            return [builder.Update(actor, outbox.Keys), outbox.NoteActivity($"Profil mis à jour : {profile.Name}", builder.Urls.Actor)];
        }, cancellationToken);
    }

    private static void Apply(ProfileRecord profile, ProfileChanges changes)
    {
        if (changes.Name is not null)
        {
            profile.Name = FieldRules.Required("name", changes.Name, "the chaton's display name");
        }

        profile.Summary = FieldRules.Text(changes.Summary, profile.Summary);
        profile.Website = changes.Website is null ? profile.Website : FieldRules.WebUrl("website", changes.Website);
        if (changes.Latitude is not null || changes.Longitude is not null)
        {
            (profile.Latitude, profile.Longitude) = FieldRules.Location(changes.Latitude ?? profile.Latitude, changes.Longitude ?? profile.Longitude);
        }

        profile.PlaceName = FieldRules.Text(changes.PlaceName, profile.PlaceName);
        profile.StructureType = changes.StructureType is null ? profile.StructureType : FieldRules.WireName<StructureType>("structureType", changes.StructureType);
        profile.Country = changes.Country is null ? profile.Country : FieldRules.Country("country", changes.Country);
        profile.MembershipStatus = changes.MembershipStatus is null ? profile.MembershipStatus : FieldRules.WireName<MembershipStatus>("membershipStatus", changes.MembershipStatus);
        profile.MemberSince = changes.MemberSince is null ? profile.MemberSince : FieldRules.Date("memberSince", changes.MemberSince);
        profile.MemberUntil = changes.MemberUntil is null ? profile.MemberUntil : FieldRules.Date("memberUntil", changes.MemberUntil);
        profile.Contact = changes.Contact is null ? profile.Contact : FieldRules.Contact("contact", changes.Contact);
        profile.LegalNotice = changes.LegalNotice is null ? profile.LegalNotice : FieldRules.WebUrl("legalNotice", changes.LegalNotice);
        profile.Icon = changes.Icon is null ? profile.Icon : FieldRules.WebUrl("icon", changes.Icon);
    }
}
