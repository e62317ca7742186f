using System.Text.Json.Nodes;
using ChatonsFed.Hosting;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Hosting;

namespace ChatonsFed.Interop.Tests;

/// <summary>
/// Verifiable membership against the real Fedify peer: a Fedify follower of a chaton that endorses another still reads
/// its actor and takes its membership <c>Add</c> and <c>Update</c> without an error, and the credential and revocation
/// list the node signs verify with Fedify's own <c>verifyProof</c>.
/// </summary>
[Collection(FedifyPeerGroup.Name)]
public sealed class MembershipInteropTests(PeerFixture fixture) : IAsyncLifetime
{
    private TestNode? _issuer;
    private TestNode? _subject;

    private FedifyPeer Peer => fixture.Peer;

    private TestNode Issuer => _issuer ?? throw new InvalidOperationException("the issuer is not started");

    private RunningNode IssuerNode => Issuer.Running ?? throw new InvalidOperationException("the issuer is not started");

    private string IssuerActor => Issuer.PublicUrl + "/actor";

    public async Task InitializeAsync()
    {
        _issuer = await StartAsync("127.0.0.2", "lynx", "Lynx Net");
        _subject = await StartAsync("127.0.0.3", "marmotte", "La Marmotte");
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { _issuer, _subject })
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_Fedify_follower_takes_the_membership_Add_and_Update_and_still_reads_the_actor()
    {
        var follow = await Peer.FollowAsync(IssuerActor, waitSeconds: 10);
        Assert.True(follow.Accepted, follow.Error);
        var errorsBefore = (await Peer.GetStateAsync()).Errors.Count;

        var endorsed = await IssuerNode.Membership.EndorseAsync(new EndorseRequest { Subject = _subject!.PublicUrl + "/actor", Criteria = "hoster.control" });
        var add = await WaitForAsync(a => Type(a) == "Add" && ObjectId(a) == endorsed.Id, "the Add of the credential");
        Assert.Equal(Issuer.PublicUrl + "/membership/issued", add["_targetId"]?.GetValue<string>());

        await IssuerNode.Membership.RevokeAsync(endorsed.Id);
        await WaitForAsync(a => Type(a) == "Update" && ObjectId(a) == Issuer.PublicUrl + "/membership/status", "the Update of the revocation list");

        var state = await Peer.GetStateAsync();
        Assert.True(state.Errors.Count == errorsBefore, string.Join("; ", state.Errors.Skip(errorsBefore).Select(e => e.Message)));
        var actor = await Peer.LookupAsync(IssuerActor);
        Assert.True(actor.Ok, actor.Error);
        Assert.Equal("Organization", actor.ClassName);
        var proof = await Peer.VerifyProofAsync(IssuerActor);
        Assert.True(proof.Valid, proof.Error ?? proof.VerifyObjectError);
    }

    [Fact]
    public async Task The_credential_and_the_revocation_list_the_node_signs_verify_with_Fedify()
    {
        var endorsed = await IssuerNode.Membership.EndorseAsync(new EndorseRequest { Subject = _subject!.PublicUrl + "/actor", Criteria = "all", Note = "Revue sur le forum." });

        var credential = await Peer.VerifyCredentialAsync(endorsed.Id);
        Assert.True(credential.Valid, Describe(credential));
        var only = Assert.Single(credential.Proofs);
        Assert.Equal((IssuerActor + "#ed25519-key", IssuerActor), (only.VerificationMethod, only.KeyController));

        await IssuerNode.Membership.RevokeAsync(endorsed.Id);
        var list = await Peer.VerifyCredentialAsync(Issuer.PublicUrl + "/membership/status");
        Assert.True(list.Valid, Describe(list));

        // A changed credential does not verify: the check is not a formality.
        var tampered = JsonNode.Parse(await Issuer.GetBytesAsync(new Uri(endorsed.Id).AbsolutePath))!.AsObject();
        tampered["validUntil"] = "2099-01-01T00:00:00Z";
        var refused = await Peer.VerifyCredentialAsync(tampered);
        Assert.False(refused.Valid, Describe(refused));
    }

    private async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, string what)
    {
        JsonObject? found = null;
        await TestHost.WaitForAsync(async () => (found = (await Peer.GetStateAsync()).Received.FirstOrDefault(match)) is not null, 20, $"Fedify received {what}");
        return found!;
    }

    private static async Task<TestNode> StartAsync(string host, string handle, string name)
    {
        var node = await TestNode.InitAsync($"http://{host}:{TestHost.FreePort()}", start: false, handle, name);
        await node.StartOnPublicUrlAsync();
        return node;
    }

    private static string? Type(JsonObject activity) => activity["type"]?.GetValue<string>();

    private static string? ObjectId(JsonObject activity) => activity["_objectId"]?.GetValue<string>();

    private static string Describe(CredentialProofCheck check) => FedifyPeer.Describe(check);
}
