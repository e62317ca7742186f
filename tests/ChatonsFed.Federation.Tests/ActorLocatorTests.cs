using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ChatonsFed.Federation.Discovery;
using ChatonsFed.Federation.Http;
using ChatonsFed.Protocol.Discovery;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Federation.Tests;

public sealed class ActorLocatorTests : IAsyncLifetime
{
    private LoopbackServer _peer = null!;
    private RemoteActor _alice = null!;

    public async Task InitializeAsync()
    {
        _peer = await LoopbackServer.StartRecordingAsync();
        _alice = new RemoteActor(_peer);
    }

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private string Host => _peer.BaseUri.Authority;

    private static ActorLocator Locator(OutboundHttpOptions? options = null) => new(Clients.Create(options));

    private static string Jrd(string subject, string href, string type = "application/activity+json") =>
        new JsonObject
        {
            ["subject"] = subject,
            ["links"] = new JsonArray(
                new JsonObject { ["rel"] = "http://webfinger.net/rel/profile-page", ["type"] = "text/html", ["href"] = href },
                new JsonObject { ["rel"] = "self", ["type"] = type, ["href"] = href }),
        }.ToJsonString();

    /// <summary>WebFinger for alice at the root, her actor at its id, 404 elsewhere (or <paramref name="otherwise"/>).</summary>
    private void ServeAlice(string linkType = "application/activity+json", Func<HttpContext, Task>? otherwise = null)
    {
        var actorPath = new Uri(_alice.Id).AbsolutePath;
        _peer.Handler = (context, _) =>
        {
            var path = context.Request.Path.Value;
            if (path == ActorLocator.WebFingerPath && context.Request.Query["resource"] == $"acct:alice@{Host}")
            {
                return LoopbackServer.WriteJsonAsync(context, Jrd($"acct:alice@{Host}", _alice.Id, linkType), contentType: JsonResourceDescriptor.MediaType);
            }

            if (path == actorPath)
            {
                return LoopbackServer.WriteJsonAsync(context, _alice.Document().ToJsonString());
            }

            if (otherwise is not null)
            {
                return otherwise(context);
            }

            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        };
    }

    [Theory]
    [InlineData("acct:alice@{0}")]
    [InlineData("@alice@{0}")]
    [InlineData("alice@{0}")]
    [InlineData("  @alice@{0} ")]
    public async Task Every_handle_form_leads_through_webfinger_to_the_actor(string form)
    {
        ServeAlice();

        var result = await Locator().LocateAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, form, Host), CancellationToken.None);

        Assert.True(result.IsFound, result.ToString());
        Assert.Equal(_alice.Id, result.ActorId!.AbsoluteUri);
        Assert.Equal("Organization", (string?)result.Actor!["type"]);
        Assert.False(result.ActorFetch!.Body.IsEmpty);
        Assert.Equal($"acct:alice@{Host}", result.Account!.ToAcctUri());
        Assert.Equal($"http://{Host}/.well-known/webfinger?resource=acct%3Aalice%40{Host.Replace(":", "%3A", StringComparison.Ordinal)}", result.WebFingerUrl!.AbsoluteUri);
        Assert.False(result.ViaHostMeta);
        var webFinger = _peer.Requests.First();
        Assert.Contains("application/jrd+json", webFinger.Headers.GetCombinedValue("Accept"));
    }

    [Fact]
    public async Task Self_link_typed_as_ld_json_with_the_activitystreams_profile_is_followed()
    {
        ServeAlice(linkType: "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"");

        var result = await Locator().LocateAsync($"alice@{Host}", CancellationToken.None);

        Assert.True(result.IsFound, result.ToString());
    }

    [Fact]
    public async Task An_actor_url_is_fetched_directly()
    {
        ServeAlice();

        var result = await Locator().LocateAsync(_alice.Id, CancellationToken.None);

        Assert.True(result.IsFound, result.ToString());
        Assert.Null(result.Account);
        Assert.Null(result.WebFingerUrl);
        Assert.DoesNotContain(_peer.Requests, r => r.PathAndQuery.StartsWith("/.well-known/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Host_meta_lrdd_template_is_used_when_webfinger_answers_404()
    {
        var template = _peer.Address("wf").AbsoluteUri + "?q={uri}";
        ServeAlice(otherwise: context =>
        {
            if (context.Request.Path == ActorLocator.HostMetaPath)
            {
                context.Response.ContentType = HostMeta.MediaType;
                return context.Response.WriteAsync(new HostMeta([new JrdLink { Rel = "lrdd", Type = HostMeta.MediaType, Template = template }]).ToXml());
            }

            if (context.Request.Path == "/wf" && context.Request.Query["q"] == $"acct:bob@{Host}")
            {
                return LoopbackServer.WriteJsonAsync(context, Jrd($"acct:bob@{Host}", _alice.Id), contentType: "application/json");
            }

            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        });

        var result = await Locator().LocateAsync($"bob@{Host}", CancellationToken.None);

        Assert.True(result.IsFound, result.ToString());
        Assert.True(result.ViaHostMeta);
        Assert.Equal("/wf", result.WebFingerUrl!.AbsolutePath);
    }

    [Fact]
    public async Task Unknown_account_is_not_found_after_trying_host_meta()
    {
        ServeAlice();

        var result = await Locator().LocateAsync($"nobody@{Host}", CancellationToken.None);

        Assert.Equal(ActorLookupError.NotFound, result.Error);
        Assert.Equal(404, result.StatusCode);
        Assert.Contains("acct:nobody@", result.Reason);
        Assert.Contains(_peer.Requests, r => r.PathAndQuery == ActorLocator.HostMetaPath);
    }

    [Fact]
    public async Task Account_that_left_is_gone()
    {
        _peer.Handler = (context, _) =>
        {
            context.Response.StatusCode = 410;
            return Task.CompletedTask;
        };

        var result = await Locator().LocateAsync($"alice@{Host}", CancellationToken.None);

        Assert.Equal(ActorLookupError.Gone, result.Error);
        Assert.Equal(410, result.StatusCode);
    }

    [Fact]
    public async Task Webfinger_answer_without_an_activitypub_self_link_names_no_actor()
    {
        _peer.Handler = (context, _) => LoopbackServer.WriteJsonAsync(context, Jrd($"acct:alice@{Host}", _alice.Id, type: "text/html"), contentType: JsonResourceDescriptor.MediaType);

        var result = await Locator().LocateAsync($"alice@{Host}", CancellationToken.None);

        Assert.Equal(ActorLookupError.NoActorLink, result.Error);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("{\"links\":{\"rel\":\"self\"}}")]
    [InlineData("<html>")]
    public async Task Webfinger_answer_that_is_not_a_jrd_is_a_bad_response(string body)
    {
        _peer.Handler = (context, _) => LoopbackServer.WriteJsonAsync(context, body, contentType: JsonResourceDescriptor.MediaType);

        var result = await Locator().LocateAsync($"alice@{Host}", CancellationToken.None);

        Assert.Equal(ActorLookupError.BadResponse, result.Error);
        Assert.Contains("not a JRD", result.Reason);
    }

    [Fact]
    public async Task Webfinger_answer_over_the_size_limit_is_not_read()
    {
        var padding = new string(' ', 4096);
        _peer.Handler = (context, _) => LoopbackServer.WriteJsonAsync(context, padding + Jrd($"acct:alice@{Host}", _alice.Id), contentType: JsonResourceDescriptor.MediaType);
        var options = Clients.LoopbackOnly();
        options.MaxResponseBytes = 1024;

        var result = await Locator(options).LocateAsync($"alice@{Host}", CancellationToken.None);

        Assert.Equal(ActorLookupError.BadResponse, result.Error);
        Assert.Equal(OutboundError.TooLarge, result.OutboundError);
    }

    [Fact]
    public async Task Document_that_is_not_an_actor_is_refused()
    {
        var note = new JsonObject { ["id"] = _peer.Address("notes/1").AbsoluteUri, ["type"] = "Note", ["content"] = "bonjour" };
        _peer.Handler = (context, _) => LoopbackServer.WriteJsonAsync(context, note.ToJsonString());

        var result = await Locator().LocateAsync(_peer.Address("notes/1").AbsoluteUri, CancellationToken.None);

        Assert.Equal(ActorLookupError.NotAnActor, result.Error);
        Assert.Contains("type Note", result.Reason);
    }

    [Fact]
    public async Task Actor_without_an_inbox_is_refused()
    {
        var document = _alice.Document();
        document.Remove("inbox");
        _peer.Handler = (context, _) => LoopbackServer.WriteJsonAsync(context, document.ToJsonString());

        var result = await Locator().LocateAsync(_alice.Id, CancellationToken.None);

        Assert.Equal(ActorLookupError.NotAnActor, result.Error);
        Assert.Contains("no inbox", result.Reason);
    }

    [Fact]
    public async Task Another_url_of_the_origin_leads_to_the_actor_when_its_id_serves_itself()
    {
        ServeAlice(otherwise: context => context.Request.Path == "/@alice"
            ? LoopbackServer.WriteJsonAsync(context, _alice.Document().ToJsonString())
            : Task.CompletedTask);

        var result = await Locator().LocateAsync(_peer.Address("@alice").AbsoluteUri, CancellationToken.None);

        Assert.True(result.IsFound, result.ToString());
        Assert.Equal(_alice.Id, result.ActorId!.AbsoluteUri);
        Assert.Equal(_alice.Id, result.ActorFetch!.FinalUri!.AbsoluteUri);
    }

    [Fact]
    public async Task Actor_claiming_an_id_that_does_not_serve_it_is_an_id_mismatch()
    {
        var impostor = _alice.Document();
        impostor["id"] = _peer.Address("users/bob").AbsoluteUri;
        _peer.Handler = (context, _) =>
        {
            if (context.Request.Path == "/users/alice")
            {
                return LoopbackServer.WriteJsonAsync(context, impostor.ToJsonString());
            }

            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        };

        var result = await Locator().LocateAsync(_alice.Id, CancellationToken.None);

        Assert.Equal(ActorLookupError.IdMismatch, result.Error);
        Assert.Contains("users/bob", result.Reason);
    }

    [Fact]
    public async Task Actor_claiming_an_id_on_another_origin_is_an_id_mismatch()
    {
        var document = _alice.Document();
        document["id"] = "https://elsewhere.example/users/alice";
        _peer.Handler = (context, _) => LoopbackServer.WriteJsonAsync(context, document.ToJsonString());

        var result = await Locator().LocateAsync(_alice.Id, CancellationToken.None);

        Assert.Equal(ActorLookupError.IdMismatch, result.Error);
        Assert.Equal(OutboundError.CrossOriginId, result.OutboundError);
    }

    [Fact]
    public async Task Loopback_handle_is_refused_before_any_request_when_private_networks_are_not_allowed()
    {
        ServeAlice();

        var result = await Locator(new OutboundHttpOptions { AllowHttp = true }).LocateAsync($"alice@{Host}", CancellationToken.None);

        Assert.Equal(ActorLookupError.AddressRefused, result.Error);
        Assert.Contains("loopback", result.Reason);
        Assert.Empty(_peer.Requests);
    }

    [Fact]
    public async Task Host_name_resolving_to_loopback_is_refused_at_connection()
    {
        ServeAlice();

        var result = await Locator(new OutboundHttpOptions { AllowHttp = true }).LocateAsync($"alice@localhost:{_peer.BaseUri.Port}", CancellationToken.None);

        Assert.Equal(ActorLookupError.AddressRefused, result.Error);
        Assert.Empty(_peer.Requests);
    }

    [Theory]
    [InlineData("http://10.0.0.7/users/alice")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fd00::1]/users/alice")]
    public async Task Webfinger_link_to_a_private_address_is_refused(string link)
    {
        _peer.Handler = (context, _) => LoopbackServer.WriteJsonAsync(context, Jrd($"acct:alice@{Host}", link), contentType: JsonResourceDescriptor.MediaType);

        var result = await Locator().LocateAsync($"alice@{Host}", CancellationToken.None);

        Assert.Equal(ActorLookupError.AddressRefused, result.Error);
        Assert.Single(_peer.Requests);
    }

    [Fact]
    public async Task Plain_http_actor_url_is_refused_unless_allowed()
    {
        var result = await Locator(new OutboundHttpOptions()).LocateAsync(new Uri("http://chaton.example/actor"), CancellationToken.None);

        Assert.Equal(ActorLookupError.SchemeRefused, result.Error);
    }

    [Fact]
    public async Task Webfinger_is_asked_over_https_only_unless_http_is_allowed()
    {
        ServeAlice();
        var options = new OutboundHttpOptions { AllowedNetworks = { IPNetwork.Parse("127.0.0.0/8") } };

        var result = await Locator(options).LocateAsync($"alice@{Host}", CancellationToken.None);

        Assert.Equal(ActorLookupError.Unreachable, result.Error);
        Assert.StartsWith("https://", result.WebFingerUrl!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Empty(_peer.Requests);
    }

    [Fact]
    public async Task Closed_port_is_unreachable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await Locator().LocateAsync($"alice@127.0.0.1:{port}", CancellationToken.None);

        Assert.Equal(ActorLookupError.Unreachable, result.Error);
        Assert.Equal(OutboundError.Network, result.OutboundError);
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("alice@")]
    [InlineData("ftp://files.example/alice")]
    [InlineData("https://")]
    public async Task Text_that_is_neither_a_handle_nor_an_http_url_is_an_invalid_address(string text)
    {
        var result = await Locator().LocateAsync(text, CancellationToken.None);

        Assert.Equal(ActorLookupError.InvalidAddress, result.Error);
        Assert.False(string.IsNullOrEmpty(result.Reason));
    }
}
