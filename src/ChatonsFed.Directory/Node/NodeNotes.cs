using System.Globalization;

namespace ChatonsFed.Directory.Node;

/// <summary>The French sentences of the notes a node posts for its fediverse followers.</summary>
public static class NodeNotes
{
    public static string ProfileUpdated() => "Profil mis à jour";

    public static string ServiceAdded(HostedServiceEntry service) => "Nouveau service : " + Label(service);

    public static string ServiceUpdated(HostedServiceEntry before, HostedServiceEntry after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var details = new List<string>();
        if (before.Status != after.Status)
        {
            details.Add("état : " + StatusFr(after.Status));
        }

        if (before.Capacity != after.Capacity)
        {
            details.Add(after.Capacity == Capacity.Full ? "complet" : "ouvert à de nouveaux comptes");
        }

        if (before.Software?.Version != after.Software?.Version && after.Software?.Version is { } version)
        {
            details.Add("version " + version);
        }

        return "Service mis à jour : " + Label(after) + string.Concat(details.Select(d => ", " + d));
    }

    public static string ServiceRemoved(HostedServiceEntry service) => "Service retiré : " + Label(service);

    public static string AttestationUpdated(CharterDeclaration declaration)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        var met = declaration.Criteria.Count(c => c.Met);
        return string.Create(CultureInfo.InvariantCulture, $"Déclaration de charte mise à jour : {met} critères remplis sur {declaration.Criteria.Count}");
    }

    public static string AttestationWithdrawn() => "Déclaration de charte retirée";

    /// <summary>"Name (Software)", without repeating the software when the name already shows it.</summary>
    public static string Label(HostedServiceEntry service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Software is { Name: { Length: > 0 } software } && !service.Name.Contains(software, StringComparison.OrdinalIgnoreCase)
            ? $"{service.Name} ({software})"
            : service.Name;
    }

    public static string StatusFr(ServiceStatus status) => status switch
    {
        ServiceStatus.Ok => "en service",
        ServiceStatus.Degraded => "perturbé",
        ServiceStatus.Down => "en panne",
        ServiceStatus.Closed => "fermé",
        _ => WireNames.ToWire(status),
    };
}
