using ChatonsFed.Protocol.Discovery;

namespace ChatonsFed.Protocol.Tests.Discovery;

public class HostMetaTests
{
    // The document Mastodon serves (app/views/well_known/host_meta/show.xml.ruby), as the vector file describes it.
    private const string MastodonHostMeta = """
        <?xml version="1.0" encoding="UTF-8"?>
        <XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
          <Link rel="lrdd" type="application/xrd+xml" template="https://mastodon.example/.well-known/webfinger?resource={uri}"/>
        </XRD>
        """;

    [Fact]
    public void Lrdd_template_leads_to_webfinger()
    {
        var hostMeta = HostMeta.Parse(MastodonHostMeta);

        Assert.Equal("https://mastodon.example/.well-known/webfinger?resource={uri}", hostMeta.LrddTemplate);
        Assert.Equal(
            "https://mastodon.example/.well-known/webfinger?resource=acct%3Aalice%40mastodon.example",
            hostMeta.WebFingerUrlFor("acct:alice@mastodon.example").AbsoluteUri);
    }

    [Fact]
    public void Written_document_reads_back()
    {
        var hostMeta = HostMeta.ForOrigin(new Uri("https://chaton.example"));

        var xml = hostMeta.ToXml();
        var read = HostMeta.Parse(xml);

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", xml, StringComparison.Ordinal);
        Assert.Contains("xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\"", xml, StringComparison.Ordinal);
        Assert.Equal("https://chaton.example/.well-known/webfinger?resource={uri}", read.LrddTemplate);
        Assert.Equal("application/xrd+xml", Assert.Single(read.Links).Type);
    }

    [Theory]
    [InlineData("<XRD>", "well-formed")]
    [InlineData("<XRD/>", "root element")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE XRD [<!ENTITY x \"y\">]><XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\"/>", "well-formed")]
    public void Bad_documents_are_refused(string xml, string reason)
    {
        var error = Assert.Throws<ProtocolFormatException>(() => HostMeta.Parse(xml));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_lrdd_is_reported()
    {
        var hostMeta = HostMeta.Parse("<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\"/>");

        Assert.Null(hostMeta.LrddTemplate);
        Assert.Throws<ProtocolFormatException>(() => hostMeta.WebFingerUrlFor("acct:a@b.example"));
    }

    [Fact]
    public void Json_variant_is_a_jrd_with_the_template()
    {
        var jrd = JsonResourceDescriptor.Parse("""{"links":[{"rel":"lrdd","template":"https://mastodon.example/.well-known/webfinger?resource={uri}"}]}""");

        Assert.Equal("https://mastodon.example/.well-known/webfinger?resource={uri}", Assert.Single(jrd.LinksWithRel("lrdd")).Template);
    }
}
