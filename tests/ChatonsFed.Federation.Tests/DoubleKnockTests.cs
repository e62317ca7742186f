using ChatonsFed.Federation.Http;
using ChatonsFed.Federation.Inbox;
using ChatonsFed.Federation.Keys;
using ChatonsFed.Federation.Signing;
using ChatonsFed.Protocol.HttpSignatures;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Federation.Tests;

public sealed class DoubleKnockTests : IAsyncLifetime
{
    private LoopbackServer _peer = null!;
    private RemoteActor _sender = null!;

    public async Task InitializeAsync()
    {
        _peer = await LoopbackServer.StartRecordingAsync();
        _sender = new RemoteActor(_peer, "sender");
    }

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private Uri InboxUrl => _peer.Address("inbox");

    private static Task Answer(HttpContext context, int status, string? text = null)
    {
        context.Response.StatusCode = status;
        return text is null ? Task.CompletedTask : context.Response.WriteAsync(text);
    }

    [Fact]
    public async Task Falls_back_to_cavage_on_401_and_knocks_with_it_first_next_time()
    {
        _peer.Handler = (context, request) => request.Headers.Contains("Signature-Input")
            ? Answer(context, 401, "Failed to verify the request signature.")
            : Answer(context, 202);
        var memory = new InMemorySignatureFlavourMemory();
        var client = Clients.Create(memory: memory);
        var body = SignedRequests.Follow(_sender);

        var first = await client.PostActivityAsync(InboxUrl, body, _sender.SigningKey, CancellationToken.None);
        var second = await client.PostActivityAsync(InboxUrl, body, _sender.SigningKey, CancellationToken.None);

        Assert.Equal(202, first.StatusCode);
        Assert.Equal(2, first.Attempts);
        Assert.Equal(HttpSignatureFlavour.Cavage, first.Flavour);
        Assert.Equal(HttpSignatureFlavour.Cavage, await memory.GetAsync(RequestSigner.OriginOf(InboxUrl), CancellationToken.None));
        Assert.Equal(1, second.Attempts);
        Assert.Equal(HttpSignatureFlavour.Cavage, second.Flavour);
        var requests = _peer.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        Assert.True(requests[0].Headers.Contains("Signature-Input"));
        Assert.False(requests[1].Headers.Contains("Signature-Input"));
        Assert.False(requests[2].Headers.Contains("Signature-Input"));
        Assert.Equal(body, requests[2].Body);
        Assert.StartsWith("SHA-256=", requests[2].Headers.GetCombinedValue("Digest"));
    }

    [Fact]
    public async Task Remembers_rfc9421_when_the_first_knock_succeeds()
    {
        _peer.Handler = (context, _) => Answer(context, 202);
        var memory = new InMemorySignatureFlavourMemory();

        var result = await Clients.Create(memory: memory).PostActivityAsync(InboxUrl, SignedRequests.Follow(_sender), _sender.SigningKey, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(HttpSignatureFlavour.Rfc9421, await memory.GetAsync(RequestSigner.OriginOf(InboxUrl), CancellationToken.None));
        var request = Assert.Single(_peer.Requests);
        Assert.Contains("\"@method\" \"@target-uri\" \"@authority\" \"host\" \"date\" \"content-digest\"", request.Headers.GetCombinedValue("Signature-Input"));
        Assert.Equal("application/activity+json", request.Headers.GetCombinedValue("Content-Type"));
    }

    [Theory]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Statuses_that_say_nothing_about_the_signature_are_not_retried(int status)
    {
        _peer.Handler = (context, _) => Answer(context, status);
        var memory = new InMemorySignatureFlavourMemory();

        var result = await Clients.Create(memory: memory).PostActivityAsync(InboxUrl, SignedRequests.Follow(_sender), _sender.SigningKey, CancellationToken.None);

        Assert.Equal(status, result.StatusCode);
        Assert.Equal(1, result.Attempts);
        Assert.Single(_peer.Requests);
        Assert.Null(await memory.GetAsync(RequestSigner.OriginOf(InboxUrl), CancellationToken.None));
    }

    [Fact]
    public async Task Nothing_is_remembered_when_both_knocks_are_refused()
    {
        _peer.Handler = (context, _) => Answer(context, 401);
        var memory = new InMemorySignatureFlavourMemory();

        var result = await Clients.Create(memory: memory).PostActivityAsync(InboxUrl, SignedRequests.Follow(_sender), _sender.SigningKey, CancellationToken.None);

        Assert.Equal(401, result.StatusCode);
        Assert.Equal(2, result.Attempts);
        Assert.Null(await memory.GetAsync(RequestSigner.OriginOf(InboxUrl), CancellationToken.None));
    }

    [Theory]
    [InlineData(HttpSignatureFlavour.Rfc9421)]
    [InlineData(HttpSignatureFlavour.Cavage)]
    public async Task A_verifying_inbox_accepts_what_the_client_signs(HttpSignatureFlavour accepted)
    {
        // The peer serves the sender's actor and an inbox that verifies for real but accepts only one flavour.
        var verifier = new InboxRequestVerifier(new RemoteKeyResolver(Clients.Create(), new InMemoryRemoteActorCache(), TimeProvider.System), TimeProvider.System);
        var outcomes = new List<InboxVerification>();
        _sender.Serve(async (context, request) =>
        {
            var result = await verifier.VerifyAsync(request.Snapshot, context.RequestAborted);
            lock (outcomes)
            {
                outcomes.Add(result);
            }

            await Answer(context, result.IsValid && result.Flavour == accepted ? 202 : 401);
        });
        var memory = new InMemorySignatureFlavourMemory();

        var post = await Clients.Create(memory: memory).PostActivityAsync(_peer.Address("users/sender/inbox"), SignedRequests.Follow(_sender), _sender.SigningKey, CancellationToken.None);

        Assert.Equal(202, post.StatusCode);
        Assert.All(outcomes, o => Assert.True(o.IsValid, o.ToString()));
        Assert.Equal(accepted, outcomes[^1].Flavour);
        Assert.Equal(_sender.Id, outcomes[^1].ActorId);
        Assert.Equal(accepted, await memory.GetAsync(RequestSigner.OriginOf(_peer.BaseUri), CancellationToken.None));
    }

    [Fact]
    public async Task Signed_get_carries_a_signature_and_the_inbox_can_answer_during_our_own_post()
    {
        // Fedify delivers its Accept before it answers our Follow: the peer calls back into a verifying endpoint
        // (here: fetches our actor with a signed GET) while our POST is still waiting for its answer.
        var ours = new RemoteActor(_peer, "ours");
        ours.Serve(async (context, request) =>
        {
            var fetched = await Clients.Create().FetchObjectAsync(new Uri(ours.Id), new FetchRequest { SignWith = _sender.SigningKey }, context.RequestAborted);
            await Answer(context, fetched.IsOk ? 202 : 500);
        });

        var post = await Clients.Create().PostActivityAsync(_peer.Address("users/ours/inbox"), SignedRequests.Follow(_sender), _sender.SigningKey, CancellationToken.None);

        Assert.Equal(202, post.StatusCode);
        var get = _peer.Requests.Single(r => r.Method == "GET");
        Assert.True(get.Headers.Contains("Signature-Input"));
        Assert.Null(get.Headers.GetCombinedValue("Content-Digest"));
    }
}
