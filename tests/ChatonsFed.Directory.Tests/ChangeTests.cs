using System.Text.Json.Nodes;
using ChatonsFed.Directory.Node;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Directory.Tests;

public sealed class ChangeTests
{
    private static readonly NodeState Before = ExampleChaton.State;
    private readonly NodeDocuments _node = ExampleChaton.Node();

    [Fact]
    public void Nothing_changed_means_no_activity()
    {
        Assert.Empty(NodeChanges.Between(Before, Before with { Services = [.. Before.Services] }));
    }

    [Fact]
    public void Dates_alone_are_not_a_change()
    {
        var after = Before with { Profile = Before.Profile with { Updated = ExampleChaton.Now } };
        Assert.Empty(NodeChanges.Between(Before, after));
    }

    [Fact]
    public void Each_kind_of_change_is_found_in_order()
    {
        var added = ExampleChaton.Services[0] with { Slug = "pad", Name = "Pad (Etherpad)", Category = "pad", Url = new Uri("https://pad.chaton-0001.example/") };
        var changed = Before.Services[1] with { Status = ServiceStatus.Down };
        var after = new NodeState(
            Before.Profile with { Summary = "Autre texte." },
            [Before.Services[0], changed, Before.Services[2], Before.Services[3], added],
            Before.Charter! with { Criteria = [.. Before.Charter.Criteria.Select(c => c with { Met = true })] });

        var changes = NodeChanges.Between(Before, after);
        Assert.Collection(
            changes,
            c => Assert.IsType<ProfileChanged>(c),
            c => Assert.Equal("5", Assert.IsType<ServiceRemoved>(c).Service.Slug),
            c => Assert.Equal(changed, Assert.IsType<ServiceChanged>(c).After),
            c => Assert.Equal("pad", Assert.IsType<ServiceAdded>(c).Service.Slug),
            c => Assert.IsType<AttestationChanged>(c));
    }

    [Fact]
    public void A_new_name_also_changes_the_attestation_title()
    {
        var after = Before with { Profile = Before.Profile with { Name = "Lynx Réseau" } };
        var changes = NodeChanges.Between(Before, after);
        Assert.Contains(changes, c => c is ProfileChanged);
        Assert.Contains(changes, c => c is AttestationChanged);
    }

    [Fact]
    public void Withdrawn_declaration_and_first_publication()
    {
        Assert.Equal([new AttestationWithdrawn()], NodeChanges.Between(Before, Before with { Charter = null }));
        var first = NodeChanges.Between(null, Before);
        Assert.Equal(1 + Before.Services.Count + 1, first.Count);
    }

    [Fact]
    public void Stamp_bumps_updated_of_what_changed_only()
    {
        var now = ExampleChaton.Now;
        var added = ExampleChaton.Services[0] with { Slug = "new", Published = default, Updated = default };
        var after = Before with
        {
            Services = [Before.Services[0] with { Capacity = Capacity.Full }, Before.Services[1] with { Updated = now.AddDays(-3) }, added],
        };

        var stamped = NodeChanges.Stamp(Before, after, now);
        Assert.Equal(Before.Profile, stamped.Profile);
        Assert.Equal(now, stamped.Services[0].Updated);
        Assert.Equal(Before.Services[0].Published, stamped.Services[0].Published);
        Assert.Equal(Before.Services[1], stamped.Services[1]);
        Assert.Equal((now, now), (stamped.Services[2].Published, stamped.Services[2].Updated));
        Assert.Equal(Before.Charter!.Updated, stamped.Charter!.Updated);
        Assert.Equal(NodeChanges.Between(Before, after), NodeChanges.Between(Before, stamped), new ChangeKindComparer());

        var renamed = NodeChanges.Stamp(Before, Before with { Profile = Before.Profile with { Name = "Lynx" } }, now);
        Assert.Equal(now, renamed.Profile.Updated);
        Assert.Equal(Before.Profile.Published, renamed.Profile.Published);
        Assert.Equal(now, renamed.Charter!.Updated);
    }

    [Fact]
    public void Added_service_is_created_and_announced()
    {
        var service = ExampleChaton.Services[1];
        var activities = _node.SignActivities(new ServiceAdded(service), Before);
        Assert.Equal(["Create", "Create"], activities.Select(a => a.Type));

        var create = activities[0].Json;
        Assert.Equal("https://chaton.example/c/0001/services/2", create["object"]!["id"]!.GetValue<string>());
        Assert.StartsWith("https://chaton.example/c/0001/activities/", create["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(ExampleChaton.Address.ActorId.AbsoluteUri, create["actor"]!.GetValue<string>());
        Assert.Equal("2025-09-01T08:30:00Z", create["published"]!.GetValue<string>());
        Assert.Equal(NodeDocuments.PublicAddress, create["to"]![0]!.GetValue<string>());
        Assert.Equal("https://chaton.example/c/0001/actor/followers", create["cc"]![0]!.GetValue<string>());

        var note = ActivityStreamsJson.Parse<Note>(activities[1].EmbeddedObject!.ToJsonString());
        Assert.Equal(
            "<p>Nouveau service : Tableur collaboratif (Ethercalc) — <a href=\"https://spreadsheet.chaton-0001.example/\">https://spreadsheet.chaton-0001.example/</a></p>",
            note.Content);
        Assert.Equal(note.Content, note.ContentMap!["fr"]);
        Assert.Equal(ExampleChaton.Address.ActorId.AbsoluteUri, note.AttributedToId);
        Assert.StartsWith("https://chaton.example/c/0001/notes/", note.Id, StringComparison.Ordinal);
        Assert.Equal([NodeDocuments.PublicAddress], note.To!.Select(r => r.Id));
        Assert.Equal(["https://chaton.example/c/0001/actor/followers"], note.Cc!.Select(r => r.Id));
    }

    [Fact]
    public void Changed_service_is_updated_with_what_changed_in_the_note()
    {
        var before = ExampleChaton.Services[2];
        var after = before with { Status = ServiceStatus.Down, Capacity = Capacity.Open };
        var activities = _node.SignActivities(new ServiceChanged(before, after), Before);
        Assert.Equal("Update", activities[0].Type);
        Assert.Equal("open", activities[0].EmbeddedObject!["capacity"]!.GetValue<string>());
        Assert.Equal(
            "<p>Service mis à jour : Bureautique (Collabora Online), état : en panne, ouvert à de nouveaux comptes — <a href=\"https://office-suite.chaton-0001.example/\">https://office-suite.chaton-0001.example/</a></p>",
            Content(activities[1]));
    }

    [Fact]
    public void Removed_service_is_deleted_with_a_tombstone()
    {
        var activities = _node.SignActivities(new ServiceRemoved(ExampleChaton.Services[4]), Before);
        var delete = ActivityStreamsJson.Parse<Delete>(activities[0].Json.ToJsonString());
        var tombstone = Assert.IsType<Tombstone>(delete.EmbeddedObject);
        Assert.Equal("https://chaton.example/c/0001/services/5", tombstone.Id);
        Assert.Equal(["Object", "HostedService"], tombstone.FormerType!);
        Assert.Equal("2025-09-01T08:30:00Z", tombstone.Deleted!.Value.Text);
        Assert.Equal("<p>Service retiré : Stockage / partage d'images (Pictshare)</p>", Content(activities[1]));
    }

    [Fact]
    public void Profile_and_attestation_changes_are_updates_with_their_notes()
    {
        var profile = _node.SignActivities(new ProfileChanged(Before.Profile), Before);
        Assert.Equal("Update", profile[0].Type);
        Assert.Equal("Organization", profile[0].EmbeddedObject!["type"]!.GetValue<string>());
        Assert.StartsWith("<p>Profil mis à jour — ", Content(profile[1]), StringComparison.Ordinal);

        var attestation = _node.SignActivities(new AttestationChanged(Before.Charter!), Before);
        Assert.Equal("Update", attestation[0].Type);
        Assert.Equal("Déclaration de Lynx Net sur la charte CHATONS", attestation[0].EmbeddedObject!["name"]!.GetValue<string>());
        Assert.StartsWith("<p>Déclaration de charte mise à jour : 27 critères remplis sur 28 — ", Content(attestation[1]), StringComparison.Ordinal);
    }

    [Fact]
    public void Same_change_gets_the_same_ids_and_another_change_other_ids()
    {
        var first = _node.SignActivities(new ServiceAdded(ExampleChaton.Services[0]), Before);
        var again = _node.SignActivities(new ServiceAdded(ExampleChaton.Services[0]), Before);
        var other = _node.SignActivities(new ServiceAdded(ExampleChaton.Services[0] with { Summary = "Autre." }), Before);
        Assert.Equal(first.Select(a => a.Id), again.Select(a => a.Id));
        Assert.Empty(first.Select(a => a.Id).Intersect(other.Select(a => a.Id)));
        Assert.NotEqual(first[0].Id, first[1].Id);
    }

    [Fact]
    public void Follow_is_accepted_with_the_follow_as_received()
    {
        var accept = _node.SignAccept(SignedDocuments.ReceivedFollow);
        Assert.Equal("Accept", accept.Type);
        JsonAssert.Equal(SignedDocuments.ReceivedFollow, accept.Json["object"], "embedded follow");
        Assert.Equal(["https://social.example/users/alice"], accept.Json["to"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.False(accept.Json.ContainsKey("cc"));

        var byId = _node.SignReject("https://social.example/follows/9", "https://social.example/users/bob");
        Assert.Equal("Reject", byId.Type);
        Assert.Equal("https://social.example/follows/9", byId.Json["object"]!.GetValue<string>());
        Assert.True(ProofVerifier.Verify(byId.Json, SignedDocuments.Actor(_node)).IsValid);
    }

    [Fact]
    public void Follow_of_someone_else_is_not_answered()
    {
        var follow = SignedDocuments.ReceivedFollow.DeepClone().AsObject();
        follow["object"] = "https://elsewhere.example/actor";
        Assert.Throws<ArgumentException>(() => _node.SignAccept(follow));
        Assert.Throws<ArgumentException>(() => _node.SignAccept(JsonAssert.Without(SignedDocuments.ReceivedFollow, "id")));
    }

    [Fact]
    public void Leaving_the_network_deletes_the_actor()
    {
        var delete = _node.SignDeleteActor();
        Assert.Equal("Delete", delete.Type);
        Assert.Equal(ExampleChaton.Address.ActorId.AbsoluteUri, delete.Json["object"]!.GetValue<string>());
        Assert.Equal(NodeDocuments.PublicAddress, delete.Json["to"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Create_refuses_an_object_of_another_node()
    {
        var foreign = new JsonObject { ["id"] = "https://elsewhere.example/x", ["type"] = "Note" };
        Assert.Throws<ArgumentException>(() => _node.SignCreate(foreign));
    }

    [Theory]
    [InlineData("Pad (Etherpad)", "Etherpad", "Pad (Etherpad)")]
    [InlineData("Pad collaboratif", "Etherpad", "Pad collaboratif (Etherpad)")]
    [InlineData("Pad", null, "Pad")]
    public void Note_label_names_the_software_once(string name, string? software, string expected)
    {
        var service = ExampleChaton.Services[0] with { Name = name, Software = software is null ? null : new ServiceSoftwareInfo(software) };
        Assert.Equal(expected, NodeNotes.Label(service));
    }

    [Fact]
    public void Note_text_is_html_escaped()
    {
        var service = ExampleChaton.Services[0] with { Name = "<b>Chat & co</b>", Software = null };
        var note = _node.SignActivities(new ServiceAdded(service), Before)[1];
        Assert.StartsWith("<p>Nouveau service : &lt;b&gt;Chat &amp; co&lt;/b&gt; — ", Content(note), StringComparison.Ordinal);
    }

    private static string Content(SignedActivity create) => create.EmbeddedObject!["content"]!.GetValue<string>();

    private sealed class ChangeKindComparer : IEqualityComparer<NodeChange>
    {
        public bool Equals(NodeChange? x, NodeChange? y) => x?.GetType() == y?.GetType();

        public int GetHashCode(NodeChange obj) => obj.GetType().GetHashCode();
    }
}
