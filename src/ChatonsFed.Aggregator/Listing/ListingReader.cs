using ChatonsFed.Aggregator.Text;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Aggregator.Listing;

/// <summary>Reads the listing's fields out of verified documents.</summary>
internal static class ListingReader
{
    public static ChatonListing FromActor(Organization actor, DateTimeOffset? version)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new ChatonListing
        {
            ActorId = actor.Id!,
            PreferredUsername = actor.PreferredUsername,
            Name = FirstText(actor.Name, actor.PreferredUsername, actor.Id)!,
            Summary = PlainText.FromHtml(actor.Summary),
            Website = actor.Url?.First?.Id,
            StructureType = actor.StructureType,
            MembershipStatus = actor.Membership?.Status,
            MemberSince = actor.Membership?.Since,
            MemberUntil = actor.Membership?.Until,
            Country = actor.Country,
            Location = actor.Location?.Select(r => r.Value).OfType<Place>().Select(ToPlace).FirstOrDefault(p => p is not null),
            Contact = actor.Contact,
            LegalNotice = actor.LegalNotice,
            Icon = actor.Icon?.First is { } icon ? (icon.Value as AsObject)?.Url?.First?.Id ?? icon.Id : null,
            ActorUpdated = version,
        };
    }

    public static ServiceListing FromService(HostedService service, DateTimeOffset? version)
    {
        ArgumentNullException.ThrowIfNull(service);
        return new ServiceListing
        {
            Id = service.Id!,
            Name = service.Name ?? "",
            Summary = PlainText.FromHtml(service.Summary),
            Url = service.Url?.First?.Id,
            Category = service.Category,
            SoftwareName = service.Software?.Name,
            SoftwareVersion = service.Software?.Version,
            License = service.Software?.License,
            SourceCode = service.Software?.SourceCode,
            Registration = service.Registration,
            Capacity = service.Capacity,
            Status = service.Status,
            Updated = version,
        };
    }

    public static AttestationListing FromAttestation(CharterAttestation attestation, DateTimeOffset? version)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        var criteria = attestation.Criteria ?? [];
        return new AttestationListing
        {
            Id = attestation.Id!,
            CharterVersion = attestation.Charter?.Version,
            CharterUrl = attestation.Charter?.Url,
            Met = [.. criteria.Where(c => c.Met == true && c.Id is not null).Select(c => c.Id!)],
            NotMet = [.. criteria.Where(c => c.Met == false && c.Id is not null).Select(c => c.Id!)],
            Updated = version,
        };
    }

    private static PlaceListing? ToPlace(Place place) =>
        place.Latitude is { } latitude && place.Longitude is { } longitude
        && double.IsFinite(latitude) && double.IsFinite(longitude)
        && latitude is >= -90 and <= 90 && longitude is >= -180 and <= 180
            ? new PlaceListing(place.Name, latitude, longitude)
            : null;

    private static string? FirstText(params ReadOnlySpan<string?> candidates)
    {
        foreach (var candidate in candidates)
        {
            if (!string.IsNullOrWhiteSpace(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
