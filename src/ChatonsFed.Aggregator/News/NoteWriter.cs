using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Actor;
using ChatonsFed.Aggregator.Website;
using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Aggregator.News;

/// <summary>
/// Writes the aggregator's notes: one short French sentence (English in <c>contentMap</c>) that names the chaton with a
/// link to its page on the directory website, its place, and the service categories concerned; a <c>Mention</c> of the
/// chaton's actor and <c>Hashtag</c>s (<c>#CHATONS</c>, the categories); or a digest that counts the events of a round.
/// The <c>Note</c> and its <c>Create</c> are each signed with the aggregator's Ed25519 key, as its other activities are.
/// </summary>
public sealed class NoteWriter(AggregatorUrls urls, AggregatorActor actor, ServiceCategoryCatalog categories)
{
    /// <summary>The public collection, written out in full.</summary>
    public const string PublicAddress = "https://www.w3.org/ns/activitystreams#Public";

    /// <summary>Categories named at most in the note of a chaton listed.</summary>
    private const int CategoriesNamed = 5;

    /// <summary>The note about one chaton's events.</summary>
    public NoteRecord About(ChatonNews news, DateTimeOffset now, string token)
    {
        ArgumentNullException.ThrowIfNull(news);
        var page = urls.ChatonPage(news.ActorId);
        var (fr, en, frTitle, enTitle) = Sentences(news, page);
        var tags = new List<(string Name, string Href)> { ("CHATONS", urls.BaseUrl + "/") };
        foreach (var category in CategoriesOf(news))
        {
            tags.Add((Hashtag(category.LabelFr), urls.BaseUrl + "/?category=" + Uri.EscapeDataString(category.Id)));
        }

        tags = [.. tags.DistinctBy(t => t.Name, StringComparer.OrdinalIgnoreCase)];
        var mention = news.Handle is { Length: > 0 } handle && Uri.TryCreate(news.ActorId, UriKind.Absolute, out var actorUrl) && news.Events.All(e => e.Kind != NewsKind.Gone)
            ? "@" + handle + "@" + actorUrl.Authority
            : null;
        return Build(token, now, page, news.ActorId, mention, tags, fr, en, frTitle, enTitle);
    }

    /// <summary>One note that counts the events of a round, with a link to the list on the website.</summary>
    public NoteRecord Digest(IReadOnlyCollection<ChatonNews> news, DateTimeOffset now, string token)
    {
        ArgumentNullException.ThrowIfNull(news);
        var counts = news.SelectMany(n => n.Events).GroupBy(e => e.Kind).OrderBy(g => g.Key).Select(g => (g.Key, Count: g.Count())).ToList();
        var fr = string.Join(", ", counts.Select(c => Count(c.Key, c.Count, english: false)));
        var en = string.Join(", ", counts.Select(c => Count(c.Key, c.Count, english: true)));
        var list = urls.BaseUrl + "/?sort=updated";
        var tags = new List<(string Name, string Href)> { ("CHATONS", urls.BaseUrl + "/") };
        var frHtml = Encode(fr) + " dans l’annuaire des CHATONS — " + Link(list, "voir la liste") + ".";
        var enHtml = Encode(en) + " in the CHATONS directory — " + Link(list + "&lang=en", "see the list") + ".";
        return Build(token, now, list, null, null, tags, frHtml, enHtml, fr, en);
    }

    private NoteRecord Build(string token, DateTimeOffset now, string url, string? actorId, string? mention, List<(string Name, string Href)> tags,
        string frSentence, string enSentence, string frTitle, string enTitle)
    {
        var hashtags = string.Join(" ", tags.Select(t => $"<a href=\"{Encode(t.Href)}\" class=\"mention hashtag\" rel=\"tag\">#<span>{Encode(t.Name)}</span></a>"));
        var fr = "<p>" + frSentence + "</p><p>" + hashtags + "</p>";
        var en = "<p>" + enSentence + "</p><p>" + hashtags + "</p>";
        var cc = new JsonArray(urls.Followers);
        var tag = new JsonArray();
        if (actorId is not null && mention is not null)
        {
            cc.Add(actorId);
            tag.Add(new JsonObject { ["type"] = "Mention", ["href"] = actorId, ["name"] = mention });
        }

        foreach (var (name, href) in tags)
        {
            tag.Add(new JsonObject { ["type"] = "Hashtag", ["href"] = href, ["name"] = "#" + name });
        }

        var published = ProofSigner.FormatCreated(now);
        var signer = actor.Signer();
        var note = signer.Sign(new JsonObject
        {
            ["@context"] = Context(),
            ["id"] = urls.Note(token),
            ["type"] = "Note",
            ["attributedTo"] = urls.Actor,
            ["content"] = fr,
            ["contentMap"] = new JsonObject { ["fr"] = fr, ["en"] = en },
            ["url"] = url,
            ["published"] = published,
            ["to"] = new JsonArray(PublicAddress),
            ["cc"] = cc,
            ["tag"] = tag,
        }, now);
        var create = signer.Sign(new JsonObject
        {
            ["@context"] = Context(),
            ["id"] = urls.NoteActivity(token),
            ["type"] = "Create",
            ["actor"] = urls.Actor,
            ["published"] = published,
            ["to"] = new JsonArray(PublicAddress),
            ["cc"] = cc.DeepClone(),
            ["object"] = note,
        }, now);
        return new NoteRecord
        {
            Id = token,
            Published = now,
            ActorId = actorId,
            Url = url,
            TitleFr = frTitle,
            TitleEn = enTitle,
            ContentFr = fr,
            ContentEn = en,
            NoteJson = note.ToJsonString(),
            CreateJson = create.ToJsonString(),
        };
    }

    /// <summary>The chatons context, with <c>Hashtag</c> defined as Mastodon does (ActivityStreams' own context leaves it out).</summary>
    private static JsonArray Context()
    {
        var context = ChatonsContext.ToJsonNode();
        var terms = new JsonObject { ["Hashtag"] = "as:Hashtag" };
        if (context is JsonArray array)
        {
            array.Add(terms);
            return array;
        }

        return new JsonArray(context, terms);
    }

    /// <summary>The French and English sentences (HTML, then plain text for titles).</summary>
    private (string Fr, string En, string FrTitle, string EnTitle) Sentences(ChatonNews news, string page)
    {
        var place = news.Place is { Length: > 0 } known ? " (" + known + ")" : string.Empty;
        var frParts = new List<string>();
        var enParts = new List<string>();
        foreach (var group in news.Events.GroupBy(e => e.Kind).OrderBy(g => g.Key))
        {
            var labels = group.Key == NewsKind.Listed
                ? [.. news.Categories.Select(categories.Describe).Take(CategoriesNamed)]
                : group.Select(e => e.Category).OfType<string>().Distinct(StringComparer.Ordinal).Select(categories.Describe).ToList();
            var fr = string.Join(", ", labels.Select(l => l.LabelFr)) + (group.Key == NewsKind.Listed && news.Categories.Count > CategoriesNamed ? "…" : string.Empty);
            var en = string.Join(", ", labels.Select(l => l.LabelEn)) + (group.Key == NewsKind.Listed && news.Categories.Count > CategoriesNamed ? "…" : string.Empty);
            var many = group.Count() > 1;
            switch (group.Key)
            {
                case NewsKind.Listed:
                    frParts.Add("rejoint l’annuaire des CHATONS" + (labels.Count > 0 ? " : " + fr : string.Empty));
                    enParts.Add("joined the CHATONS directory" + (labels.Count > 0 ? ": " + en : string.Empty));
                    break;
                case NewsKind.ServiceAdded:
                    frParts.Add((many ? "propose de nouveaux services : " : "propose un nouveau service : ") + fr);
                    enParts.Add((many ? "offers new services: " : "offers a new service: ") + en);
                    break;
                case NewsKind.ServiceRemoved:
                    frParts.Add((many ? "ne propose plus les services : " : "ne propose plus le service : ") + fr);
                    enParts.Add((many ? "no longer offers the services: " : "no longer offers the service: ") + en);
                    break;
                case NewsKind.Admitted:
                    frParts.Add("est désormais membre admis·e du collectif");
                    enParts.Add("is now an admitted member of the collective");
                    break;
                case NewsKind.NoLongerAdmitted:
                    frParts.Add("n’est plus membre admis·e du collectif");
                    enParts.Add("is no longer an admitted member of the collective");
                    break;
                case NewsKind.Gone:
                    frParts.Add("a quitté l’annuaire des CHATONS");
                    enParts.Add("left the CHATONS directory");
                    break;
            }
        }

        var frText = string.Join(" ; ", frParts);
        var enText = string.Join("; ", enParts);
        return (
            Link(page, news.Name) + Encode(place) + " " + Encode(frText) + ".",
            Link(page + "&lang=en", news.Name) + Encode(place) + " " + Encode(enText) + ".",
            news.Name + place + " " + frText,
            news.Name + place + " " + enText);
    }

    /// <summary>The categories a note names as hashtags: those of the services added or removed, or of a chaton listed.</summary>
    private IEnumerable<ServiceCategory> CategoriesOf(ChatonNews news)
    {
        var ids = news.Events.Any(e => e.Kind == NewsKind.Listed)
            ? news.Categories.Take(CategoriesNamed)
            : news.Events.Select(e => e.Category).OfType<string>();
        return ids.Distinct(StringComparer.Ordinal).Select(categories.Describe);
    }

    private static string Count(NewsKind kind, int count, bool english)
    {
        var many = count > 1;
        var text = (kind, english) switch
        {
            (NewsKind.Listed, false) => many ? "chatons ajoutés" : "chaton ajouté",
            (NewsKind.Listed, true) => many ? "chatons added" : "chaton added",
            (NewsKind.ServiceAdded, false) => many ? "services ajoutés" : "service ajouté",
            (NewsKind.ServiceAdded, true) => many ? "services added" : "service added",
            (NewsKind.ServiceRemoved, false) => many ? "services retirés" : "service retiré",
            (NewsKind.ServiceRemoved, true) => many ? "services removed" : "service removed",
            (NewsKind.Admitted, false) => many ? "membres admis·es" : "membre admis·e",
            (NewsKind.Admitted, true) => many ? "members admitted" : "member admitted",
            (NewsKind.NoLongerAdmitted, false) => many ? "admissions terminées" : "admission terminée",
            (NewsKind.NoLongerAdmitted, true) => many ? "admissions ended" : "admission ended",
            (NewsKind.Gone, false) => many ? "chatons partis" : "chaton parti",
            _ => many ? "chatons gone" : "chaton gone",
        };
        return count.ToString(CultureInfo.InvariantCulture) + " " + text;
    }

    /// <summary>A category label as a hashtag: its words run together, each begun with a capital ("Rédaction collaborative" → RédactionCollaborative).</summary>
    public static string Hashtag(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var tag = new StringBuilder(label.Length);
        var start = true;
        foreach (var c in label)
        {
            if (char.IsLetterOrDigit(c))
            {
                tag.Append(start ? char.ToUpperInvariant(c) : c);
                start = false;
            }
            else
            {
                start = true;
            }
        }

        return tag.Length > 0 ? tag.ToString() : "CHATONS";
    }

    private static string Link(string href, string text) => $"<a href=\"{Encode(href)}\">{Encode(text)}</a>";

    private static string Encode(string text) => SiteLayout.Encode(text);
}
