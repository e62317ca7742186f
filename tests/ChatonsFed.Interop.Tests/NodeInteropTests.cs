using System.Text.Json.Nodes;
using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Hosting;

namespace ChatonsFed.Interop.Tests;

/// <summary>
/// A real chaton node (a <see cref="TestNode"/> serving at its public URL on 127.0.0.1) against the real Fedify peer:
/// discovery, Fedify's own proof verifier, follows in both signature flavours, and deliveries Fedify understands.
/// </summary>
[Collection(FedifyPeerGroup.Name)]
public sealed class NodeInteropTests(PeerFixture fixture) : IAsyncLifetime
{
    private TestNode? _testNode;
    private string _base = "";

    private FedifyPeer Peer => fixture.Peer;

    private RunningNode Node => _testNode?.Running ?? throw new InvalidOperationException("the node is not started");

    public async Task InitializeAsync()
    {
        _base = $"http://127.0.0.1:{TestHost.FreePort()}";
        _testNode = await TestNode.InitAsync(_base, start: false);
        await _testNode.StartOnPublicUrlAsync();
        await Node.ServiceCatalogue.AddAsync(new ServiceChanges { Category = "collaborative-writing", Name = "Pad", Url = "https://pad.example", Software = "Etherpad" });
        await Node.Attestation.SetAsync(new AttestationChanges { AllRequiredMet = true });
    }

    public async Task DisposeAsync()
    {
        if (_testNode is not null)
        {
            await _testNode.DisposeAsync();
        }
    }

    [Fact]
    public async Task Fedify_finds_the_node_by_its_handle_and_reads_an_Organization()
    {
        var found = await Peer.WebFingerLookupAsync($"lynx@127.0.0.1:{new Uri(_base).Port}", new Uri(_base));

        Assert.True(found.Ok, found.Error);
        Assert.Equal(_base + "/actor", found.Id);
        Assert.Equal("Organization", found.ClassName);
        Assert.True(found.IsActor);
    }

    [Theory]
    [InlineData("/actor")]
    [InlineData("/services/pad")]
    [InlineData("/services")]
    [InlineData("/attestation")]
    public async Task Fedify_verifies_the_proof_of_every_node_document(string path)
    {
        var check = await Peer.VerifyProofAsync(_base + path);

        Assert.True(check.Valid, check.Error ?? check.VerifyObjectError);
        Assert.All(check.Proofs, p => Assert.Equal(_base + "/actor#ed25519-key", p.VerificationMethod));
    }

    [Fact]
    public async Task The_command_line_verifies_a_node_document_by_URL_behind_the_address_policy()
    {
        var verified = await CliRunner.RunAsync("verify", _base + "/services/pad", "--allow-private-network");
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Equal("valid", verified.Output.Trim());

        var refused = await CliRunner.RunAsync("verify", _base + "/services/pad");
        Assert.Equal(2, refused.ExitCode);
        Assert.Single(refused.Error.Trim().Split('\n'));
        Assert.Contains("127.0.0.1", refused.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rfc9421")]
    [InlineData("draft-cavage")]
    public async Task Fedify_follows_the_node_and_gets_a_signed_Accept(string knock)
    {
        var result = await Peer.FollowAsync(_base + "/actor", knock, waitSeconds: 10);

        Assert.True(result.Ok, result.Error);
        Assert.True(result.Accepted, $"no Accept within 10 s; peer errors: {string.Join("; ", (await Peer.GetStateAsync()).Errors.Select(e => e.Message))}");
        Assert.Equal(_base + "/actor", result.Reply!["actor"]!.GetValue<string>());
        var followers = await GetJsonAsync("/actor/followers");
        Assert.True(followers["totalItems"]!.GetValue<int>() >= 1);
    }

    [Fact]
    public async Task A_new_service_reaches_the_Fedify_follower_as_Create_and_a_Note()
    {
        var follow = await Peer.FollowAsync(_base + "/actor", waitSeconds: 10);
        Assert.True(follow.Accepted, follow.Error);

        await Node.ServiceCatalogue.AddAsync(new ServiceChanges { Category = "file-sharing", Name = "Cloud", Url = "https://cloud.example", Software = "Nextcloud" });

        var serviceId = _base + "/services/cloud";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        PeerState state;
        do
        {
            await Task.Delay(250);
            state = await Peer.GetStateAsync();
        }
        while (waited.Elapsed < TimeSpan.FromSeconds(20) && !(HasCreateOf(state, serviceId) && HasNoteFrom(state)));

        Assert.True(HasCreateOf(state, serviceId), $"Fedify received no Create of {serviceId}; errors: {string.Join("; ", state.Errors.Select(e => e.Message))}");
        Assert.True(HasNoteFrom(state), "Fedify received no Create(Note) from the node");
    }

    /// <summary>
    /// The owner's web page, driven as a browser sends its forms (session cookie, antiforgery token, every field of the
    /// form as shown): the name changed there reaches the Fedify follower as an <c>Update</c> of the actor, which Fedify
    /// took only once its signature verified. (In Chromium, the same form is covered by the website tests.)
    /// </summary>
    [Fact]
    public async Task A_name_changed_on_the_owners_page_reaches_the_Fedify_follower_as_a_verified_Update()
    {
        await Node.Profile.SetAsync(new ProfileChanges { Summary = "Hébergeur associatif.", Website = "https://lynx.example/", StructureType = "ASSOCIATION", Latitude = 45.2, Longitude = 4.8 });
        var follow = await Peer.FollowAsync(_base + "/actor", waitSeconds: 10);
        Assert.True(follow.Accepted, follow.Error);
        using var browser = new AdminPageClient(Node.Address);
        await browser.SignInOrFailAsync(_testNode!.OwnerToken);

        using (var changed = await browser.SubmitFormAsync("/admin/profile", "/admin/profile", ("name", "Lynx, renommé sur sa page")))
        {
            Assert.Equal(System.Net.HttpStatusCode.SeeOther, changed.StatusCode);
        }

        Assert.Contains("Modification publiée ; 1 abonné·e notifié·e", await browser.HtmlAsync("/admin/profile"), StringComparison.Ordinal);

        // The rest of the form was sent as shown: nothing else changed.
        var profile = Node.Profile.Get();
        Assert.Equal(("Lynx, renommé sur sa page", "Hébergeur associatif.", "https://lynx.example/", "ASSOCIATION", 45.2, 4.8),
            (profile.Name, profile.Summary, profile.Website, profile.StructureType, profile.Latitude, profile.Longitude));
        var actorId = _base + "/actor";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        PeerState state;
        do
        {
            await Task.Delay(250);
            state = await Peer.GetStateAsync();
        }
        while (waited.Elapsed < TimeSpan.FromSeconds(20) && !state.Received.Any(a => IsUpdateOf(a, actorId)));

        var update = state.Received.FirstOrDefault(a => IsUpdateOf(a, actorId));
        Assert.True(update is not null, $"Fedify received no Update of {actorId}; errors: {string.Join("; ", state.Errors.Select(e => e.Message))}");
        Assert.Equal(actorId, update["actor"]?.GetValue<string>());
        Assert.Contains("Lynx, renommé sur sa page", update.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
    }

    private static bool IsUpdateOf(JsonObject activity, string objectId) =>
        Type(activity) == "Update" && activity["_objectId"]?.GetValue<string>() == objectId;

    private bool HasCreateOf(PeerState state, string objectId) =>
        state.Received.Any(a => Type(a) == "Create" && a["_objectId"]?.GetValue<string>() == objectId);

    private bool HasNoteFrom(PeerState state) =>
        state.Received.Any(a => Type(a) == "Create" && (a["_objectId"]?.GetValue<string>() ?? "").StartsWith(_base + "/notes/", StringComparison.Ordinal));

    private static string? Type(JsonObject activity) => activity["type"]?.GetValue<string>();

    private async Task<JsonObject> GetJsonAsync(string path)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, _base + path);
        request.Headers.Accept.ParseAdd("application/activity+json");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }
}
