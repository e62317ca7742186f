using System.Net;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Node.Pages.Admin;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Node.Tests;

/// <summary>The charter page: each criterion met or not met, with a note, declared as the command line declares it.</summary>
public sealed class AdminCharterPageTests
{
    private const string Respect = "collective.respect";
    private const string Control = "hoster.control";

    [Fact]
    public async Task Criteria_declared_through_the_form_are_in_the_signed_attestation()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);

        var (_, page, response) = await browser.GetAsync(AdminCharterPage.Path);
        Assert.Equal(NodeDocumentBuilder.Criteria.Criteria.Count, CountOf(page, "<fieldset class=\"radios\""));
        Assert.Contains($"id=\"{AdminCharterPage.ChoiceField(Respect)}\" name=\"{AdminCharterPage.ChoiceField(Respect)}\" value=\"met\"", page, StringComparison.Ordinal);
        Assert.Contains($"<label for=\"{AdminCharterPage.NoteField(Respect)}\">", page, StringComparison.Ordinal);
        Assert.Contains("<h2>", page, StringComparison.Ordinal);
        response.Dispose();

        using (var declared = await browser.PostFormAsync(AdminCharterPage.Path, AdminCharterPage.Path,
            Charter((Respect, "met", "Règlement intérieur publié"), (Control, "unmet", string.Empty))))
        {
            Assert.Equal(HttpStatusCode.SeeOther, declared.StatusCode);
        }

        var (_, after, afterResponse) = await browser.GetAsync(AdminCharterPage.Path);
        Assert.Contains("Modification publiée", after, StringComparison.Ordinal);
        Assert.Contains("value=\"Règlement intérieur publié\"", after, StringComparison.Ordinal);
        // A declared criterion can no longer be set back to "not declared".
        Assert.DoesNotContain($"id=\"{AdminCharterPage.ChoiceField(Respect)}-none\"", after, StringComparison.Ordinal);
        afterResponse.Dispose();

        var stored = node.Running.Attestation.Get().Criteria.ToDictionary(c => c.Id);
        Assert.True(stored[Respect].Met);
        Assert.Equal("Règlement intérieur publié", stored[Respect].Note);
        Assert.False(stored[Control].Met);
        var actor = await node.GetJsonAsync("/actor");
        var attestation = await node.GetJsonAsync("/attestation");
        Assert.Contains("Règlement intérieur publié", attestation.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
        Assert.True(ProofVerifier.Verify(attestation, actor).IsValid);

        using (var same = await browser.PostFormAsync(AdminCharterPage.Path, AdminCharterPage.Path,
            Charter((Respect, "met", "Règlement intérieur publié"), (Control, "unmet", string.Empty))))
        {
            Assert.Equal(HttpStatusCode.SeeOther, same.StatusCode);
        }

        var (_, unchanged, unchangedResponse) = await browser.GetAsync(AdminCharterPage.Path);
        Assert.Contains("Rien n&#39;a changé", unchanged, StringComparison.Ordinal);
        unchangedResponse.Dispose();
    }

    [Fact]
    public async Task A_note_on_an_undeclared_criterion_comes_back_next_to_it_and_nothing_changes()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);
        var before = await node.GetBytesAsync("/attestation");
        using var refused = await browser.PostFormAsync(AdminCharterPage.Path, AdminCharterPage.Path, Charter((Respect, "met", string.Empty), (Control, "none", "Une note seule")));
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var note = AdminCharterPage.NoteField(Control);
        Assert.Contains($"<a href=\"#{note}\">", html, StringComparison.Ordinal);
        Assert.Contains($"aria-describedby=\"{note}-error\" aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Une note seule\"", html, StringComparison.Ordinal);
        Assert.Equal(before, await node.GetBytesAsync("/attestation"));
        Assert.Empty(node.Running.Attestation.Get().Criteria);
    }

    [Fact]
    public async Task The_declaration_without_the_antiforgery_token_is_refused()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);
        using var refused = await browser.PostFormAsync(AdminCharterPage.Path, AdminCharterPage.Path, Charter((Respect, "met", string.Empty)), withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Empty(node.Running.Attestation.Get().Criteria);
    }

    /// <summary>The charter form with every criterion undeclared, but for <paramref name="answers"/>.</summary>
    private static List<KeyValuePair<string, string>> Charter(params (string Id, string Choice, string Note)[] answers)
    {
        var criteria = NodeDocumentBuilder.Criteria.Criteria;
        var values = criteria.Select(c => (AdminCharterPage.ChoiceField(c.Id), "none"))
            .Concat(answers.SelectMany(a => new[] { (AdminCharterPage.ChoiceField(a.Id), a.Choice), (AdminCharterPage.NoteField(a.Id), a.Note) }));
        return AdminPageClient.Fields(criteria.SelectMany(c => new[] { AdminCharterPage.ChoiceField(c.Id), AdminCharterPage.NoteField(c.Id) }), [.. values]);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
