using System.Xml;
using System.Xml.Linq;

namespace ChatonsFed.Protocol.Discovery;

/// <summary>The host-meta XRD document (RFC 6415) at <c>/.well-known/host-meta</c>, whose <c>lrdd</c> template leads to WebFinger.</summary>
public sealed record HostMeta(IReadOnlyList<JrdLink> Links)
{
    public const string MediaType = "application/xrd+xml";
    public const string XrdNamespace = "http://docs.oasis-open.org/ns/xri/xrd-1.0";

    private static readonly XNamespace Xrd = XrdNamespace;

    /// <summary>The template of the first <c>lrdd</c> link, such as <c>https://host/.well-known/webfinger?resource={uri}</c>.</summary>
    public string? LrddTemplate =>
        Links.FirstOrDefault(l => string.Equals(l.Rel, "lrdd", StringComparison.Ordinal) && l.Template is not null)?.Template;

    /// <summary>The WebFinger URL for <paramref name="resource"/>, from the <c>lrdd</c> template.</summary>
    /// <exception cref="ProtocolFormatException">There is no <c>lrdd</c> template.</exception>
    public Uri WebFingerUrlFor(string resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var template = LrddTemplate ?? throw new ProtocolFormatException("The host-meta document has no lrdd link with a template.");
        return new Uri(template.Replace("{uri}", Uri.EscapeDataString(resource), StringComparison.Ordinal));
    }

    /// <summary>The host-meta of a server whose WebFinger endpoint is at <paramref name="origin"/>.</summary>
    public static HostMeta ForOrigin(Uri origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var template = new Uri(origin, "/.well-known/webfinger").AbsoluteUri + "?resource={uri}";
        return new HostMeta([new JrdLink { Rel = "lrdd", Type = MediaType, Template = template }]);
    }

    /// <exception cref="ProtocolFormatException">Not an XRD document.</exception>
    public static HostMeta Parse(string xml)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new ProtocolFormatException($"The host-meta document is not well-formed XML: {e.Message}", e);
        }

        var root = document.Root;
        if (root is null || root.Name != Xrd + "XRD")
        {
            throw new ProtocolFormatException($"The host-meta root element must be XRD in {XrdNamespace}, found {root?.Name}.");
        }

        var links = root.Elements(Xrd + "Link")
            .Select(link => new JrdLink
            {
                Rel = (string?)link.Attribute("rel"),
                Type = (string?)link.Attribute("type"),
                Href = (string?)link.Attribute("href"),
                Template = (string?)link.Attribute("template"),
            })
            .ToList();
        return new HostMeta(links);
    }

    public string ToXml()
    {
        var root = new XElement(
            Xrd + "XRD",
            Links.Select(link => new XElement(
                Xrd + "Link",
                link.Rel is null ? null : new XAttribute("rel", link.Rel),
                link.Type is null ? null : new XAttribute("type", link.Type),
                link.Href is null ? null : new XAttribute("href", link.Href),
                link.Template is null ? null : new XAttribute("template", link.Template))));
        return new XDocument(new XDeclaration("1.0", "UTF-8", null), root).Declaration + "\n" + root.ToString(SaveOptions.DisableFormatting);
    }
}
