using System.Text;
using System.Xml;
using ChatonsFed.Hosting.Configuration;

namespace ChatonsFed.Aggregator.News;

/// <summary>
/// The notes as an Atom 1.0 feed (RFC 4287), in French or in English: one entry per note, newest first, whose link is the
/// chaton's page (the list for a digest) and whose content is the note's HTML.
/// </summary>
public static class AtomFeed
{
    public const string ContentType = "application/atom+xml; charset=utf-8";

    private const string Atom = "http://www.w3.org/2005/Atom";

    /// <summary>Entries in the feed at most.</summary>
    public const int Entries = 50;

    /// <summary>The feed's bytes (UTF-8 without byte order mark); <paramref name="fallbackUpdated"/> is its <c>updated</c> when there is no note.</summary>
    public static byte[] Write(AggregatorUrls urls, string name, IReadOnlyList<NoteRecord> notes, bool english, DateTimeOffset fallbackUpdated)
    {
        ArgumentNullException.ThrowIfNull(urls);
        ArgumentNullException.ThrowIfNull(notes);
        var self = urls.BaseUrl + AggregatorUrls.FeedPath + (english ? "?lang=en" : string.Empty);
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", Atom);
            xml.WriteAttributeString("xml", "lang", null, english ? "en" : "fr");
            xml.WriteElementString("id", Atom, self);
            xml.WriteElementString("title", Atom, name + (english ? " — news" : " — nouvelles"));
            xml.WriteElementString("subtitle", Atom, english
                ? "Chatons listed, services added or removed, admissions, departures"
                : "Chatons listés, services ajoutés ou retirés, admissions, départs");
            xml.WriteElementString("updated", Atom, Instant(notes.Count > 0 ? notes[0].Published : fallbackUpdated));
            Link(xml, "self", self, "application/atom+xml");
            Link(xml, "alternate", urls.BaseUrl + (english ? "/?sort=updated&lang=en" : "/?sort=updated"), "text/html");
            xml.WriteStartElement("author", Atom);
            xml.WriteElementString("name", Atom, name);
            xml.WriteElementString("uri", Atom, urls.Actor);
            xml.WriteEndElement();
            xml.WriteElementString("generator", Atom, "ChatonsFed");
            foreach (var note in notes)
            {
                xml.WriteStartElement("entry", Atom);
                xml.WriteElementString("id", Atom, urls.Note(note.Id));
                xml.WriteElementString("title", Atom, english ? note.TitleEn : note.TitleFr);
                xml.WriteElementString("published", Atom, Instant(note.Published));
                xml.WriteElementString("updated", Atom, Instant(note.Published));
                Link(xml, "alternate", english ? note.Url + (note.Url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "lang=en" : note.Url, "text/html");
                xml.WriteStartElement("content", Atom);
                xml.WriteAttributeString("type", "html");
                xml.WriteString(english ? note.ContentEn : note.ContentFr);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return buffer.ToArray();
    }

    private static void Link(XmlWriter xml, string rel, string href, string type)
    {
        xml.WriteStartElement("link", Atom);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

    private static string Instant(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
