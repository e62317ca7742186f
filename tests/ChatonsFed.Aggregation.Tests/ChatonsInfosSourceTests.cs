using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.ChatonsInfos;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Node.Hosting;
using ChatonsFed.TestFleet;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>
/// ChatonsInfos federation files as an aggregator's source, served over HTTP from 127.0.0.1: organizations with a real
/// node are listed from their signed actor, the others apart as unsigned entries; the directory exported as a
/// federation file reads back the same; hostile files give diagnostics.
/// </summary>
public sealed class ChatonsInfosSourceTests
{
    private static readonly string[] MoreExports = ["/api/directory/export.properties", "/api/directory/export.properties?source=all"];

    [Fact]
    public async Task A_federation_lists_chatons_with_a_node_from_their_signed_actor_the_others_apart_unsigned_and_its_export_reads_back_the_same()
    {
        await using var lynx = await RealNodeTests.StartChatonAsync("lynx", "Lynx Net", RealNodeTests.Lynx);
        await using var marmotte = await RealNodeTests.StartChatonAsync("marmotte", "La Marmotte", RealNodeTests.Marmotte);
        // La Marmotte's website is on its node's own host.
        await RealNodeTests.CliAsync("profile", "set", "--website", marmotte.PublicUrl + "/", "--data", marmotte.Folder);
        await using var files = await FileServer.StartAsync();
        var federation = ServeFederation(files, lynx, marmotte);
        var rivebleue = files.Url + "/rivebleue.properties";
        var tilleul = files.Url + "/tilleul.properties";
        var impostor = files.Url + "/imposteur.properties";

        // Lynx is found through the actor its file names; La Marmotte is a seed, and its file matches it by website
        // only, a website on the host of La Marmotte's actor.
        await using var first = await TestAggregator.InitAsync([RealNodeTests.ActorId(marmotte)], s => s["ChatonsInfos"] = new JsonObject { ["Federations"] = new JsonArray(federation) });
        await first.RunAsync("refresh");
        var nodes = new[] { lynx, marmotte }.OrderBy(RealNodeTests.ActorId, StringComparer.Ordinal).ToList();

        var signed = await first.GetJsonAsync("/api/directory/search");
        Assert.Equal(nodes.Select(RealNodeTests.ActorId), Ids(signed).Order(StringComparer.Ordinal));
        Assert.All(signed["items"]!.AsArray(), i => Assert.Equal("signed", i!["source"]!.GetValue<string>()));
        var lynxEntry = (await first.EntryAsync(RealNodeTests.ActorId(lynx)))!;
        Assert.Equal("Lynx Net", lynxEntry["name"]!.GetValue<string>());
        Assert.Equal("Verified", lynxEntry["verification"]!["state"]!.GetValue<string>());
        Assert.Equal("La Marmotte", (await first.EntryAsync(RealNodeTests.ActorId(marmotte)))!["name"]!.GetValue<string>());

        // The organizations without a node: apart, marked, with where they were read; the copy that gives Lynx's
        // website too, since Lynx lives elsewhere and its file does not name it.
        var unsigned = await first.GetJsonAsync("/api/directory/search?source=chatonsinfos");
        Assert.Equal([impostor, rivebleue, tilleul], Ids(unsigned).Order(StringComparer.Ordinal));
        foreach (var item in unsigned["items"]!.AsArray())
        {
            Assert.Equal("Unsigned", item!["verification"]!["state"]!.GetValue<string>());
            Assert.Equal("chatonsinfos", item["source"]!.GetValue<string>());
            Assert.Equal(federation, item["chatonsInfos"]!["federation"]!.GetValue<string>());
            Assert.Equal(item["id"]!.GetValue<string>(), item["chatonsInfos"]!["organizationFile"]!.GetValue<string>());
        }

        var pads = await first.GetJsonAsync("/api/directory/search?source=chatonsinfos&software=etherpad&registration=none");
        Assert.Equal([rivebleue], Ids(pads));
        Assert.Equal([files.Url + "/rivebleue-pad.properties"], pads["items"]![0]!["matchingServices"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal([impostor], Ids(await first.GetJsonAsync("/api/directory/search?source=chatonsinfos&q=lynx")));
        Assert.Equal(0, await RealNodeTests.TotalAsync(first, "q=rive"));
        var entry = (await first.EntryAsync(rivebleue))!;
        Assert.Equal("Rive Bleue", entry["name"]!.GetValue<string>());
        Assert.Equal(47.2184, entry["location"]!["latitude"]!.GetValue<double>());
        Assert.Equal("ASSOCIATION", entry["structureType"]!.GetValue<string>());
        Assert.Equal("collaborative-writing", entry["services"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "Pad Rive Bleue")!["category"]!.GetValue<string>());
        using (var bad = await first.Http.GetAsync("/api/directory/search?source=everything"))
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("source 'everything' must be", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // What became of each organization, in the diagnostics: the copy claiming Lynx's website is listed, and the
        // conflict is on both entries.
        var report = (await first.GetJsonAsync("/api/directory/diagnostics"))["chatonsInfos"]!.AsArray().Single()!;
        Assert.Equal(3, report["listedUnsigned"]!.GetValue<int>());
        Assert.Equal(1, report["outcomes"]!["actor"]!.GetValue<int>());
        Assert.Equal(1, report["outcomes"]!["website"]!.GetValue<int>());
        Assert.Equal(1, report["outcomes"]!["website-conflict"]!.GetValue<int>());
        Assert.Equal(1, report["outcomes"]!["actor-not-listed"]!.GetValue<int>());
        var claim = report["organizations"]!.AsArray().Single(o => o!["file"]!.GetValue<string>() == impostor)!;
        Assert.Equal(("website-conflict", RealNodeTests.ActorId(lynx)), (claim["outcome"]!.GetValue<string>(), claim["actor"]!.GetValue<string>()));
        var onMarmotte = report["organizations"]!.AsArray().Single(o => o!["file"]!.GetValue<string>() == files.Url + "/marmotte.properties")!;
        Assert.Equal(("website", RealNodeTests.ActorId(marmotte)), (onMarmotte["outcome"]!.GetValue<string>(), onMarmotte["actor"]!.GetValue<string>()));
        Assert.Equal(impostor, lynxEntry["websiteConflicts"]!.AsArray().Single()!["organizationFile"]!.GetValue<string>());
        Assert.Equal(RealNodeTests.ActorId(lynx), (await first.EntryAsync(impostor))!["websiteConflicts"]!.AsArray().Single()!["chaton"]!.GetValue<string>());

        // The verified exports hold the verified chatons only.
        var exports = await RealNodeTests.ExportsAsync(first);
        Assert.Equal(nodes.Select(RealNodeTests.ActorId), JsonNode.Parse(exports[0])!["features"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()));
        Assert.DoesNotContain("Rive Bleue", Encoding.UTF8.GetString(exports[1]), StringComparison.Ordinal);

        // The directory as a federation file: each verified chaton's own organization file, which names its actor.
        var exported = ParseFederation(await first.GetBytesAsync(MoreExports[0]));
        Assert.Equal(nodes.Select(n => $"{n.PublicUrl}/.well-known/chatonsinfos/{n.Running!.Profile.Get().Handle}.properties"), exported.Subs.Select(s => s.Url.AbsoluteUri));
        foreach (var (sub, node) in exported.Subs.Zip(nodes))
        {
            using var http = new HttpClient();
            var organization = ChatonsInfosParser.ParseOrganization(await http.GetByteArrayAsync(sub.Url)).Value!;
            Assert.Equal(RealNodeTests.ActorId(node), organization.Actor);
            Assert.Equal((await first.EntryAsync(RealNodeTests.ActorId(node)))!["name"]!.GetValue<string>(), organization.Name);
        }

        var all = ParseFederation(await first.GetBytesAsync(MoreExports[1]));
        Assert.Equal([.. exported.Subs.Select(s => s.Url.AbsoluteUri), impostor, rivebleue, tilleul], all.Subs.Select(s => s.Url.AbsoluteUri));
        Assert.StartsWith("unsigned-", all.Subs[2].Id, StringComparison.Ordinal);

        // Round trip: another aggregator with no seed, whose only source is that export, holds the same directory.
        await using var second = await TestAggregator.InitAsync([], s => s["ChatonsInfos"] = new JsonObject { ["Federations"] = new JsonArray(first.PublicUrl + MoreExports[1]) });
        await second.RunAsync("refresh");
        RealNodeTests.AssertSameExports(exports, await RealNodeTests.ExportsAsync(second), "an aggregator fed by the other's export.properties");
        foreach (var path in MoreExports)
        {
            Assert.Equal(Encoding.UTF8.GetString(await first.GetBytesAsync(path)), Encoding.UTF8.GetString(await second.GetBytesAsync(path)));
        }

        Assert.Equal(Comparable(unsigned), Comparable(await second.GetJsonAsync("/api/directory/search?source=chatonsinfos")));

        // A verified chaton that takes, in one delivery, an unsigned entry's website on the host it lives on: that entry
        // goes at once (and the copy that claimed Lynx's former website is in conflict with nobody any more).
        await TestHost.WaitForAsync(() => Task.FromResult(lynx.Running!.NodeStore.Followers.FindById(first.Running!.Services.GetRequiredService<AggregatorUrls>().Actor) is not null), 20, "Lynx accepted the aggregator's Follow");
        await RealNodeTests.CliAsync("profile", "set", "--website", lynx.PublicUrl + "/tilleul", "--data", lynx.Folder);
        await TestHost.WaitForAsync(async () => Ids(await first.GetJsonAsync("/api/directory/search?source=chatonsinfos")).Order(StringComparer.Ordinal).SequenceEqual([impostor, rivebleue]), 20, "Tilleul's unsigned entry dropped");
        Assert.Equal("Lynx Net", (await first.EntryAsync(RealNodeTests.ActorId(lynx)))!["name"]!.GetValue<string>());
        Assert.Null((await first.EntryAsync(RealNodeTests.ActorId(lynx)))!["websiteConflicts"]);
        Assert.Null((await first.EntryAsync(impostor))!["websiteConflicts"]);
    }

    [Fact]
    public async Task A_signed_chaton_elsewhere_that_gives_an_organizations_website_is_listed_beside_it_with_the_conflict_shown_and_one_on_the_websites_host_replaces_it()
    {
        // Chaton 0 gives the website of Asso, which runs no node: it lives on 127.0.0.1, not on asso.example. Chaton 1
        // gives a website on its own host, which the organization Sur place gives too.
        await using var fleet = await FleetServer.StartAsync(3, new FleetOptions { Following = FollowingGraph.None });
        await fleet[0].UpdateProfileAsync(p => p with { Website = new Uri("https://asso.example/") });
        var onItsHost = new Uri(fleet[1].BaseUrl.AbsoluteUri + "/accueil");
        await fleet[1].UpdateProfileAsync(p => p with { Website = onItsHost });
        await using var files = await FileServer.StartAsync();
        var asso = files.Put("/asso.properties", Organization("Asso", "https://www.asso.example"));
        var onHost = files.Put("/surplace.properties", Organization("Sur place", onItsHost.AbsoluteUri));
        var federation = files.Put("/federation.properties", Header("federation") + $"federation.name = CHATONS\nsubs.asso = {asso}\nsubs.surplace = {onHost}\n");
        await using var aggregator = await TestAggregator.InitAsync([.. fleet.Chatons.Select(c => c.ActorId.AbsoluteUri)], s => s["ChatonsInfos"] = new JsonObject { ["Federations"] = new JsonArray(federation) });

        await aggregator.RunAsync("refresh");

        // Both listed: the three chatons, and Asso apart; Sur place gave way to chaton 1.
        Assert.Equal(3, await RealNodeTests.TotalAsync(aggregator, string.Empty));
        Assert.Equal([asso], Ids(await aggregator.GetJsonAsync("/api/directory/search?source=chatonsinfos")));
        var chaton = fleet[0].ActorId.AbsoluteUri;
        foreach (var id in new[] { chaton, asso })
        {
            var conflict = (await aggregator.EntryAsync(id))!["websiteConflicts"]!.AsArray().Single()!;
            Assert.Equal(("https://www.asso.example/", chaton, fleet[0].Profile.Name, asso, "Asso"), (conflict["website"]!.GetValue<string>(), conflict["chaton"]!.GetValue<string>(),
                conflict["chatonName"]!.GetValue<string>(), conflict["organizationFile"]!.GetValue<string>(), conflict["organizationName"]!.GetValue<string>()));
        }

        Assert.Null((await aggregator.EntryAsync(fleet[1].ActorId.AbsoluteUri))!["websiteConflicts"]);
        var hit = (await aggregator.GetJsonAsync("/api/directory/search?q=" + Uri.EscapeDataString(fleet[0].Profile.Name)))["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == chaton)!;
        Assert.Equal(asso, hit["websiteConflicts"]![0]!["organizationFile"]!.GetValue<string>());
        var report = (await aggregator.GetJsonAsync("/api/directory/diagnostics"))["chatonsInfos"]![0]!;
        Assert.Equal(1, report["listedUnsigned"]!.GetValue<int>());
        var outcomes = report["organizations"]!.AsArray().Select(o => (o!["file"]!.GetValue<string>(), o["outcome"]!.GetValue<string>(), o["actor"]!.GetValue<string>())).ToList();
        Assert.Equal([(asso, "website-conflict", chaton), (onHost, "website", fleet[1].ActorId.AbsoluteUri)], outcomes);

        // The pages say so, in a line each, in French and in English, linking to the other side.
        var (_, page) = await PageAsync(aggregator, "/chaton?id=" + Uri.EscapeDataString(chaton));
        Assert.Contains($"<p class=\"notice conflict\">Ce site web est aussi celui de <a href=\"/unsigned?id={Uri.EscapeDataString(asso)}\">Asso</a>, une entrée non signée d'après ChatonsInfos", page, StringComparison.Ordinal);
        Assert.Contains("Rien ne prouve que ce soit la même structure : les deux sont listés.", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        (_, page) = await PageAsync(aggregator, "/chaton?lang=en&id=" + Uri.EscapeDataString(chaton));
        Assert.Contains("This website is also that of <a href=\"/unsigned?id=" + Uri.EscapeDataString(asso) + "&amp;lang=en\">Asso</a>, an unsigned entry from ChatonsInfos", page, StringComparison.Ordinal);
        (_, page) = await PageAsync(aggregator, "/unsigned?id=" + Uri.EscapeDataString(asso));
        Assert.Contains("<p class=\"notice conflict\">Ce site web est aussi celui du chaton vérifié <a href=\"/chaton?id=" + Uri.EscapeDataString(chaton) + "\">", page, StringComparison.Ordinal);
        Assert.Contains(fleet[0].Profile.Name, WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        (_, page) = await PageAsync(aggregator, "/unsigned?lang=en&id=" + Uri.EscapeDataString(asso));
        Assert.Contains("this file does not name it, and it is not hosted on the website's domain", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.DoesNotContain("notice conflict", (await PageAsync(aggregator, "/chaton?id=" + Uri.EscapeDataString(fleet[1].ActorId.AbsoluteUri))).Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await PageAsync(aggregator, "/unsigned?id=" + Uri.EscapeDataString(onHost))).Status);

        // Once the chaton gives another website, nothing is in conflict any more.
        await fleet[0].UpdateProfileAsync(p => p with { Website = new Uri("https://ailleurs.example/") });
        await aggregator.RunAsync("refresh");
        Assert.Null((await aggregator.EntryAsync(chaton))!["websiteConflicts"]);
        Assert.Null((await aggregator.EntryAsync(asso))!["websiteConflicts"]);
        Assert.Equal([asso], Ids(await aggregator.GetJsonAsync("/api/directory/search?source=chatonsinfos")));
    }

    [Fact]
    public async Task Hostile_federation_files_give_diagnostics_not_crashes_or_hangs()
    {
        await using var files = await FileServer.StartAsync();
        var u = files.Url;
        var many = string.Join('\n', Enumerable.Range(0, 3000).Select(i => $"subs.o{i} = {u}/missing/{i}.properties"));
        var huge = files.Put("/huge.properties", Header("federation") + "federation.name = Énorme\nfederation.description = " + new string('x', 200_000) + "\n"
            + $"subs.good = {u}/good.properties\nsubs.garbage = {u}/garbage.properties\nsubs.loop = {u}/loop.properties\nsubs.self = {u}/huge.properties\nsubs.deep = {u}/deep.properties\n{many}\n");
        files.Put("/good.properties", Organization("Bon", "https://bon.example/"));
        var garbage = new byte[4096];
        new Random(6).NextBytes(garbage);
        garbage[100] = 0;
        files.Put("/garbage.properties", garbage);
        files.Put("/loop.properties", Organization("Boucle", "https://boucle.example/") + $"subs.back = {u}/huge.properties\nsubs.me = {u}/loop.properties\n");
        files.Put("/deep.properties", Organization("Profond", "https://profond.example/") + $"subs.svc = {u}/deep-svc.properties\n");
        files.Put("/deep-svc.properties", Header("service") + $"service.name = Service\nservice.website = https://svc.profond.example/\nsubs.further = {u}/deeper.properties\n");
        var binary = files.Put("/binary.properties", garbage);
        var big = files.Put("/big.properties", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("# padding padding padding padding\n", 70_000))));

        await using var aggregator = await TestAggregator.InitAsync([], s => s["ChatonsInfos"] = new JsonObject { ["Federations"] = new JsonArray(huge, binary, big, "no-such-federation.properties") });
        var clock = Stopwatch.StartNew();
        await aggregator.RunAsync("refresh");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"a refresh over hostile files took {clock.Elapsed}");

        var reports = (await aggregator.GetJsonAsync("/api/directory/diagnostics?limit=1000"))["chatonsInfos"]!.AsArray();
        Assert.Equal(4, reports.Count);
        var problems = reports[0]!["problems"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        Assert.Contains(problems, p => p.Contains("line longer than", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("beyond the limit of 1000", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("not a text file", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("subs.self", StringComparison.Ordinal) && p.Contains("already read", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("subs.back", StringComparison.Ordinal) && p.Contains("already read", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("subs. line(s) in a service file, not followed", StringComparison.Ordinal));
        Assert.Equal("more problems, not kept", problems[^1]);
        Assert.Equal(3, reports[0]!["listedUnsigned"]!.GetValue<int>());
        Assert.Contains("not a text file", reports[1]!["problems"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("larger than", reports[2]!["problems"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("no such file", reports[3]!["problems"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var found = await aggregator.GetJsonAsync("/api/directory/search?source=chatonsinfos");
        Assert.Equal(["Bon", "Boucle", "Profond"], found["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
        Assert.Equal(0, await RealNodeTests.TotalAsync(aggregator, "q=bon"));
    }

    [Fact]
    public async Task A_federation_whose_files_hang_is_read_for_MaxReadTime_and_what_was_read_is_kept()
    {
        await using var files = await FileServer.StartAsync();
        var slow = string.Join('\n', Enumerable.Range(0, 5).Select(i => $"subs.slow{i} = {files.Url}/slow/{i}.properties"));
        var federation = files.Put("/federation.properties", Header("federation") + $"federation.name = Lente\nsubs.bon = {files.Url}/good.properties\n{slow}\n");
        files.Put("/good.properties", Organization("Bon", "https://bon.example/"));
        await using var aggregator = await TestAggregator.InitAsync([], s => s["ChatonsInfos"] = new JsonObject { ["Federations"] = new JsonArray(federation), ["MaxReadTime"] = "00:00:02" });

        var clock = Stopwatch.StartNew();
        await aggregator.RunAsync("refresh");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"a refresh over a hanging server took {clock.Elapsed}");
        var report = (await aggregator.GetJsonAsync("/api/directory/diagnostics"))["chatonsInfos"]![0]!;
        Assert.Equal(1, report["listedUnsigned"]!.GetValue<int>());
        Assert.Contains(report["problems"]!.AsArray(), p => p!.GetValue<string>().Contains("reading stopped after 00:00:02", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_federation_file_is_added_at_run_time_with_directory_follow_and_bad_sources_are_refused_with_the_key()
    {
        await using var files = await FileServer.StartAsync();
        var federation = files.Put("/federation.properties", Header("federation") + $"federation.name = CHATONS\nsubs.bon = {files.Url}/good.properties\n");
        files.Put("/good.properties", Organization("Bon", "https://bon.example/"));
        await using var aggregator = await TestAggregator.InitAsync([]);

        var follow = await RealNodeTests.CliAsync("directory", "follow", federation, "--data", aggregator.Folder);
        Assert.Contains($"Added ChatonsInfos federation {federation} (through the running node): CHATONS; 1 organization(s): unsigned 1; 1 listed unsigned", follow.Output, StringComparison.Ordinal);
        Assert.Equal(1, (await aggregator.GetJsonAsync("/api/directory/search?source=chatonsinfos"))["total"]!.GetValue<int>());
        var status = await RealNodeTests.CliAsync("directory", "status", "--data", aggregator.Folder);
        Assert.Contains($"ChatonsInfos federation {federation}: CHATONS", status.Output, StringComparison.Ordinal);

        // A rebuild reads the federation files added at run time again.
        files.Put("/good.properties", Organization("Bon, renommé", "https://bon.example/"));
        await RealNodeTests.CliAsync("directory", "rebuild", "--data", aggregator.Folder);
        Assert.Equal("Bon, renommé", (await aggregator.GetJsonAsync("/api/directory/search?source=chatonsinfos"))["items"]![0]!["name"]!.GetValue<string>());

        // Kept across a restart, and while the federation file cannot be read.
        await aggregator.StopAsync();
        files.Files.Clear();
        await aggregator.StartAsync();
        await TestHost.WaitForAsync(() => Task.FromResult(aggregator.Directory.LastCrawlAt is not null), 20, "the poll at start");
        Assert.Equal(1, (await aggregator.GetJsonAsync("/api/directory/search?source=chatonsinfos"))["total"]!.GetValue<int>());
        var kept = (await aggregator.GetJsonAsync("/api/directory/diagnostics"))["chatonsInfos"]![0]!["problems"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        Assert.Contains(kept, p => p.Contains("404", StringComparison.Ordinal));
        Assert.Contains(kept, p => p.Contains("are kept", StringComparison.Ordinal));

        var missing = await CliRunner.RunAsync("directory", "follow", files.Url + "/nothing.properties", "--data", aggregator.Folder);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("nothing.properties", missing.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", missing.Error, StringComparison.Ordinal);

        var options = new NodeOptions { PublicUrl = "https://annuaire.example" };
        options.Aggregator.Enabled = true;
        options.Aggregator.ChatonsInfos.Federations.Add("ftp://chatons.example/federation.properties");
        Assert.Contains(NodeOptionsValidator.Check(options), e => e.StartsWith("ChatonsFed:Aggregator:ChatonsInfos:Federations entry 'ftp://", StringComparison.Ordinal));
    }

    /// <summary>
    /// Lynx's file names its actor; La Marmotte's gives the website on its node's host; a copy gives Lynx's website
    /// (lynx.example, while Lynx lives on 127.0.0.1); Fantôme names an actor that is not there; Rive Bleue has no node,
    /// nor has Tilleul, whose website is on the host of Lynx's node.
    /// </summary>
    private static string ServeFederation(FileServer files, TestNode lynx, TestNode marmotte)
    {
        var u = files.Url;
        files.Put("/lynx.properties", Organization("Lynx d'après son fichier", "https://lynx.example/") + $"organization.chatonsfed.actor = {RealNodeTests.ActorId(lynx)}\nsubs.pad = {u}/lynx-pad.properties\n");
        files.Put("/marmotte.properties", Organization("Marmotte (fichier)", marmotte.PublicUrl) + $"subs.visio = {u}/marmotte-visio.properties\n");
        files.Put("/imposteur.properties", Organization("Lynx (copie)", "http://www.lynx.example"));
        files.Put("/fantome.properties", Organization("Fantôme", "https://fantome.example/") + $"organization.chatonsfed.actor = {u}/fantome/actor\n");
        files.PutRiveBleue();
        files.Put("/tilleul.properties", Organization("Tilleul", lynx.PublicUrl + "/tilleul/") + "organization.type = INDIVIDUAL\n");
        return files.Put("/federation.properties", Header("federation") + $"""
            federation.name = CHATONS
            subs.lynx = {u}/lynx.properties
            subs.marmotte = '{u}/marmotte.properties'
            subs.rivebleue = {u}/rivebleue.properties
            subs.tilleul = {u}/tilleul.properties
            subs.imposteur = {u}/imposteur.properties
            subs.fantome = {u}/fantome.properties

            """);
    }

    private static string Header(string type) => FileServer.Header(type);

    private static async Task<(HttpStatusCode Status, string Html)> PageAsync(TestAggregator aggregator, string path)
    {
        using var response = await aggregator.Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Organization(string name, string website) => FileServer.Organization(name, website);

    private static ChatonsInfosFederation ParseFederation(byte[] bytes)
    {
        var parsed = ChatonsInfosParser.ParseFederation(bytes);
        Assert.True(parsed.IsOk, parsed.Error);
        Assert.Empty(parsed.Warnings);
        return parsed.Value!;
    }

    private static IEnumerable<string> Ids(JsonObject page) => page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>());

    /// <summary>The items of a page without what differs between aggregators: the sighting times and the federation file's address.</summary>
    private static string Comparable(JsonObject page)
    {
        var items = page["items"]!.DeepClone().AsArray();
        foreach (var item in items)
        {
            item!.AsObject().Remove("verification");
            item["chatonsInfos"]!.AsObject().Remove("federation");
        }

        return items.ToJsonString();
    }
}
