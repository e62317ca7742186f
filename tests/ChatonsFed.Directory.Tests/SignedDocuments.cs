using System.Text.Json.Nodes;
using ChatonsFed.Directory.Node;

namespace ChatonsFed.Directory.Tests;

/// <summary>Every kind of document the example node signs, by name, with the actor to verify them against.</summary>
internal static class SignedDocuments
{
    public static readonly JsonObject ReceivedFollow = new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = "https://social.example/users/alice#follows/42",
        ["type"] = "Follow",
        ["actor"] = "https://social.example/users/alice",
        ["object"] = ExampleChaton.Address.ActorId.AbsoluteUri,
    };

    public static JsonObject Actor(NodeDocuments node) => node.SignActor(ExampleChaton.Profile);

    public static IEnumerable<(string Name, JsonObject Document)> All(NodeDocuments node)
    {
        var state = ExampleChaton.State;
        yield return ("actor", Actor(node));
        foreach (var service in state.Services)
        {
            yield return ($"service {service.Slug}", node.SignService(service));
        }

        yield return ("services", node.SignServices(state.Services));
        yield return ("attestation", node.SignAttestation(state.Charter!, state.Profile.Name));

        var changed = state.Services[2] with { Capacity = Capacity.Open, Status = ServiceStatus.Degraded };
        NodeChange[] changes =
        [
            new ProfileChanged(state.Profile),
            new ServiceAdded(state.Services[0]),
            new ServiceChanged(state.Services[2], changed),
            new ServiceRemoved(state.Services[4]),
            new AttestationChanged(state.Charter!),
            new AttestationWithdrawn(),
        ];
        foreach (var change in changes)
        {
            var activities = node.SignActivities(change, state);
            for (var i = 0; i < activities.Count; i++)
            {
                var name = $"{change.GetType().Name} {(i == 0 ? activities[i].Type : "note")}";
                yield return (name, activities[i].Json);
                if (activities[i].EmbeddedObject is { } embedded && embedded.ContainsKey("proof"))
                {
                    yield return ($"{name} object", embedded);
                }
            }
        }

        yield return ("accept (embedded follow)", node.SignAccept(ReceivedFollow).Json);
        yield return ("accept (follow id)", node.SignAccept("https://social.example/follows/1", "https://social.example/users/bob").Json);
        yield return ("reject", node.SignReject(ReceivedFollow).Json);
        yield return ("delete actor", node.SignDeleteActor().Json);
    }
}
