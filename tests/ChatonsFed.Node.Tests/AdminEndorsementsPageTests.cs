using System.Net;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Features;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Membership;

namespace ChatonsFed.Node.Tests;

/// <summary>
/// The endorsements page between real nodes, each on its own loopback address: an endorsement issued through the form is
/// the command line's (checked subject, signed credential, Add to the subject and the followers), revoked after a
/// confirmation step; every refusal of <see cref="MembershipService"/> comes back next to its field.
/// </summary>
public sealed class AdminEndorsementsPageTests
{
    [Fact]
    public async Task An_endorsement_through_the_form_is_signed_announced_held_by_its_subject_and_revoked_after_confirmation()
    {
        await using var lynx = await MembershipTests.StartAsync("127.0.0.2", "lynx", "Lynx Net");
        await using var marmotte = await MembershipTests.StartAsync("127.0.0.3", "marmotte", "La Marmotte");
        await using var follower = await PeerServer.StartAsync("127.0.0.4");
        await follower.FollowAndWaitForAcceptAsync(lynx, "follow-1", HttpSignatureFlavour.Rfc9421);
        using var browser = new AdminPageClient(lynx.Running!.Address);
        await browser.SignInOrFailAsync(lynx.OwnerToken);

        var page = await browser.HtmlAsync("/admin/endorsements");
        Assert.Contains("<label for=\"subject\">", page, StringComparison.Ordinal);
        Assert.Contains("<label for=\"validDays\">", page, StringComparison.Ordinal);
        Assert.Contains("value=\"365\"", page, StringComparison.Ordinal);
        Assert.Contains("<legend>Critères de la charte que vous avez vérifiés</legend>", page, StringComparison.Ordinal);
        Assert.Contains("type=\"checkbox\" id=\"criterion-open.free-software\" name=\"criterion\" value=\"open.free-software\"", page, StringComparison.Ordinal);
        Assert.Contains("Ce chaton n&#39;a encore parrainé personne.", page, StringComparison.Ordinal);

        var handle = $"@marmotte@{new Uri(marmotte.PublicUrl).Authority}";
        using (var endorsed = await browser.PostFormAsync("/admin/endorsements", "/admin/endorsements",
            [new("subject", handle), new("validDays", "30"), new("criteria", "chosen"), new("criterion", "hoster.control"), new("criterion", "open.free-software"), new("note", "Revue sur le forum du collectif.")]))
        {
            Assert.Equal(HttpStatusCode.SeeOther, endorsed.StatusCode);
            Assert.Equal("/admin/endorsements", endorsed.Headers.Location!.OriginalString);
        }

        var after = await browser.HtmlAsync("/admin/endorsements");
        Assert.Contains("Parrainage signé et publié, envoyé au chaton parrainé ; 1 abonné·e notifié·e (2 envois en file d&#39;attente).", after, StringComparison.Ordinal);
        var issued = await lynx.GetJsonAsync("/membership/issued");
        Assert.Equal(1, issued["totalItems"]!.GetValue<int>());
        var id = issued["orderedItems"]![0]!["id"]!.GetValue<string>();
        Assert.Contains($">{MembershipTests.ActorId(marmotte)}</a><br><a href=\"{id}\">le parrainage</a>", after, StringComparison.Ordinal);
        Assert.Contains("<td>valide</td>", after, StringComparison.Ordinal);

        // Signed as the command line signs: it verifies, with what the form said.
        var now = TimeProvider.System.GetUtcNow();
        var actor = await lynx.GetJsonAsync("/actor");
        var (served, _) = await MembershipTests.GetAsync(lynx, id, "application/ld+json");
        var list = await MembershipTests.StatusListAsync(lynx, actor, now);
        var verdict = CredentialVerifier.Verify(served, CredentialSource.Direct, actor, _ => list, now);
        Assert.True(verdict.Accepted, $"{verdict.Failure}: {verdict.Detail}");
        Assert.Equal(MembershipTests.ActorId(marmotte), verdict.Credential!.Subject);
        Assert.Equal(["hoster.control", "open.free-software"], verdict.Credential.Criteria.Select(c => c.Id));
        Assert.Equal("Revue sur le forum du collectif.", verdict.Credential.Note);
        Assert.Equal(TimeSpan.FromDays(30), verdict.Credential.ValidUntil - verdict.Credential.ValidFrom);
        var add = await follower.WaitForAsync(a => a["type"]?.GetValue<string>() == "Add");
        Assert.Equal(id, add["object"]!.GetValue<string>());

        // The subject holds it, and its own page lists it as received.
        await MembershipTests.WaitForHeldAsync(marmotte, 1);
        using (var subjectBrowser = new AdminPageClient(marmotte.Running!.Address))
        {
            await subjectBrowser.SignInOrFailAsync(marmotte.OwnerToken);
            var held = await subjectBrowser.HtmlAsync("/admin/endorsements");
            Assert.Contains($">{MembershipTests.ActorId(lynx)}</a><br><a href=\"{id}\">le parrainage</a>", held, StringComparison.Ordinal);
        }

        // Revoking: the button opens the confirmation step, which changes nothing; its form revokes.
        Assert.Contains($"<form method=\"get\" action=\"/admin/endorsements/revoke\" class=\"inline\">\n<input type=\"hidden\" name=\"id\" value=\"{id}\">", after, StringComparison.Ordinal);
        var confirmPath = "/admin/endorsements/revoke?id=" + Uri.EscapeDataString(id);
        var confirm = await browser.HtmlAsync(confirmPath);
        Assert.Contains("Confirmer la révocation</button>", confirm, StringComparison.Ordinal);
        Assert.Contains(MembershipTests.ActorId(marmotte), confirm, StringComparison.Ordinal);
        Assert.Equal(0, (await MembershipTests.StatusListAsync(lynx, actor, now)).CountSet());

        using (var revoked = await browser.PostFormAsync(confirmPath, "/admin/endorsements/revoke", [new("id", id)]))
        {
            Assert.Equal(HttpStatusCode.SeeOther, revoked.StatusCode);
        }

        var afterRevoke = await browser.HtmlAsync("/admin/endorsements");
        Assert.Contains("Parrainage révoqué, liste de révocation publiée ; 1 abonné·e notifié·e (2 envois en file d&#39;attente).", afterRevoke, StringComparison.Ordinal);
        Assert.Contains("<td>révoqué</td>", afterRevoke, StringComparison.Ordinal);
        Assert.DoesNotContain("action=\"/admin/endorsements/revoke\"", afterRevoke, StringComparison.Ordinal);
        Assert.True((await MembershipTests.StatusListAsync(lynx, actor, TimeProvider.System.GetUtcNow())).IsSet(verdict.Credential.StatusListIndex));

        // Again: nothing changes, and the page says so.
        using (var again = await browser.PostFormAsync("/admin/endorsements", "/admin/endorsements/revoke", [new("id", id)]))
        {
            Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        }

        var unchanged = await browser.HtmlAsync("/admin/endorsements");
        Assert.Contains("Rien n&#39;a changé : rien n&#39;a été publié.", unchanged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_refusal_comes_back_next_to_its_field_keeps_what_was_typed_and_issues_nothing()
    {
        await using var lynx = await MembershipTests.StartAsync("127.0.0.2", "lynx", "Lynx Net");
        await using var marmotte = await MembershipTests.StartAsync("127.0.0.3", "marmotte", "La Marmotte");
        await using var person = await PeerServer.StartAsync("127.0.0.4");
        await using var hibou = await MembershipTests.StartBehindTamperingProxyAsync("127.0.0.5");
        using var browser = new AdminPageClient(lynx.Running!.Address);
        await browser.SignInOrFailAsync(lynx.OwnerToken);
        var subject = MembershipTests.ActorId(marmotte);

        (string Field, KeyValuePair<string, string>[] Fields, string Message)[] refusals =
        [
            ("subject", Form($"@lynx@{new Uri(lynx.PublicUrl).Authority}"), "is this chaton itself"),
            ("subject", Form("acct:nobody@127.0.0.9:9"), "the subject acct:nobody@127.0.0.9:9 cannot be found"),
            ("subject", Form(person.ActorId), $"{person.ActorId} is not a chaton: its actor is a Person, not an Organization"),
            ("subject", Form(MembershipTests.ActorId(hibou.Node)), "has no verified charter attestation: its proof does not verify"),
            ("subject", Form(" "), "the subject is missing"),
            ("validDays", Form(subject, days: "0"), "validDays 0 is out of range"),
            ("validDays", Form(subject, days: "401"), "validDays 401 is out of range"),
            ("validDays", Form(subject, days: "douze"), "« douze » n&#39;est pas un nombre entier de jours"),
            ("criteria", Form(subject, mode: "chosen", criteria: ["hoster.control", "no.such-thing"]), "criteria &#39;no.such-thing&#39; is not in the charter criteria list"),
            ("criterion", Form(subject, mode: "chosen"), "Cochez au moins un critère"),
            ("note", Form(subject, note: new string('x', MembershipService.MaxNoteLength + 1)), "at most 2000 are accepted"),
        ];
        foreach (var (field, fields, message) in refusals)
        {
            using var refused = await browser.PostFormAsync("/admin/endorsements", "/admin/endorsements", fields);
            var html = await AdminPageAssert.FieldErrorAsync(refused, field, message);
            var typed = fields.First(f => f.Key == "subject").Value.Trim();
            Assert.True(typed.Length == 0 || html.Contains($"value=\"{typed}\"", StringComparison.Ordinal), $"{field} ({message}): the subject typed is kept");
        }

        Assert.Equal(0, (await lynx.GetJsonAsync("/membership/issued"))["totalItems"]!.GetValue<int>());
        Assert.Empty(lynx.Running.NodeStore.Outbox.Find(o => o.Type == "Add"));
        Assert.True(hibou.Tampered > 0);

        var (status, _, unknown) = await browser.GetAsync("/admin/endorsements/revoke?id=" + Uri.EscapeDataString(lynx.PublicUrl + "/membership/issued/0123456789abcdef01234567"));
        unknown.Dispose();
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Endorsing_or_revoking_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        await using var lynx = await MembershipTests.StartAsync("127.0.0.2", "lynx", "Lynx Net");
        await using var marmotte = await MembershipTests.StartAsync("127.0.0.3", "marmotte", "La Marmotte");
        using var browser = new AdminPageClient(lynx.Running!.Address);
        await browser.SignInOrFailAsync(lynx.OwnerToken);
        using (var refused = await browser.PostFormAsync("/admin/endorsements", "/admin/endorsements", Form(MembershipTests.ActorId(marmotte)), withToken: false))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        Assert.Equal(0, (await lynx.GetJsonAsync("/membership/issued"))["totalItems"]!.GetValue<int>());
        var endorsed = await lynx.Running.Membership.EndorseAsync(new EndorseRequest { Subject = MembershipTests.ActorId(marmotte) });
        using (var refused = await browser.PostFormAsync("/admin/endorsements", "/admin/endorsements/revoke", [new("id", endorsed.Id)], withToken: false))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        Assert.Equal("valid", Assert.Single(lynx.Running.Membership.List().Issued).State);
    }

    /// <summary>The endorsement form as a browser sends it.</summary>
    private static KeyValuePair<string, string>[] Form(string subject, string days = "365", string mode = "none", string[]? criteria = null, string note = "") =>
        [new("subject", subject), new("validDays", days), new("criteria", mode), .. (criteria ?? []).Select(c => new KeyValuePair<string, string>("criterion", c)), new("note", note)];
}
