namespace ChatonsFed.ChatonsInfos.Tests;

public class SampleTests
{
    public static TheoryData<string> SampleNames() => [.. Samples.All()];

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Every_sample_is_read_with_its_class_and_name(string name)
    {
        var result = ChatonsInfosParser.Parse(Samples.Bytes(name));

        Assert.True(result.IsOk, $"{name}: {result.Error}");
        var expected = name switch
        {
            "federation.properties" => ChatonsInfosClass.Federation,
            "rivebleue.properties" or "tilleul.properties" => ChatonsInfosClass.Organization,
            _ => ChatonsInfosClass.Service,
        };
        Assert.Equal(expected, result.Value!.File.Class);
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Every_sample_survives_a_write_and_a_second_read(string name)
    {
        var first = ChatonsInfosParser.Parse(Samples.Bytes(name)).Value!;
        var written = first switch
        {
            ChatonsInfosFederation f => ChatonsInfosWriter.Write(f),
            ChatonsInfosOrganization o => ChatonsInfosWriter.Write(o),
            ChatonsInfosService s => ChatonsInfosWriter.Write(s),
            _ => throw new InvalidOperationException(),
        };
        var second = ChatonsInfosParser.Parse(written);

        Assert.True(second.IsOk, second.Error);
        Assert.Empty(second.Warnings);
        Assert.Equal(Comparable(first), Comparable(second.Value!));
    }

    [Fact]
    public void The_association_file_reads_comma_decimals_quoted_subs_and_its_membership()
    {
        var result = ChatonsInfosParser.ParseOrganization(Samples.Bytes("rivebleue.properties"));
        var o = result.Value!;

        Assert.Equal("Rive Bleue Numérique", o.Name);
        Assert.Equal("ASSOCIATION", o.Type);
        Assert.Equal(44.9334, o.Latitude);
        Assert.Equal(4.8924, o.Longitude);
        Assert.Equal("12 rue des Alpes, 26000 Valence", o.Address);
        Assert.Equal("FR", o.CountryCode);
        Assert.Equal("bonjour@rivebleue.example", o.ContactEmail);
        Assert.Equal("ACTIVE", o.MembershipStatus);
        Assert.Equal(new DateOnly(2019, 6, 20), o.MemberSince);
        Assert.Equal(new Uri("https://rivebleue.example/logo.png"), o.Logo);
        Assert.Equal(["pad", "visio"], o.Subs.Select(s => s.Id));
        Assert.Equal("https://rivebleue.example/.well-known/chatonsinfos/rivebleue-pad.properties", o.Subs[0].Url.AbsoluteUri);
        Assert.Contains(o.Unused, l => l.Key == "organization.socialnetworks.mastodon");
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void The_older_individual_file_reads_its_capitalised_class_camel_case_keys_and_old_logo_key()
    {
        var o = ChatonsInfosParser.ParseOrganization(Samples.Bytes("tilleul.properties")).Value!;

        Assert.Equal("Le Tilleul", o.Name);
        Assert.Equal("INDIVIDUAL", o.Type);
        Assert.Equal("IDLE", o.MembershipStatus);
        Assert.Equal(new Uri("https://tilleul.example/tilleul.svg"), o.Logo);
        Assert.Equal(-4.4861, o.Longitude);
        Assert.Contains(o.Unused, l => l.Key == "organization.startdate" && l.Value == "2018-11-02");
        var service = ChatonsInfosParser.ParseService(Samples.Bytes("tilleul-mail.properties")).Value!;
        Assert.Equal(new DateOnly(2019, 1, 5), service.StartDate);
        Assert.Equal("Member", service.Registration);
        Assert.Equal("NANO", service.HostServerType);
    }

    [Fact]
    public void A_service_reads_a_day_first_date_and_reports_an_unknown_key_with_its_line()
    {
        var pad = ChatonsInfosParser.ParseService(Samples.Bytes("rivebleue-pad.properties")).Value!;
        Assert.Equal(new DateOnly(2020, 4, 3), pad.StartDate);
        Assert.Equal("Etherpad", pad.SoftwareName);
        Assert.Equal("Apache-2.0", pad.SoftwareLicense);
        Assert.Equal("None", pad.Registration);

        var visio = ChatonsInfosParser.ParseService(Samples.Bytes("rivebleue-visio.properties"));
        var warning = Assert.Single(visio.Warnings);
        Assert.Equal(23, warning.Line);
        Assert.Contains("service.futurefield", warning.Message, StringComparison.Ordinal);
        Assert.Equal("FULL", visio.Value!.RegistrationLoad);
    }

    [Fact]
    public void The_federation_file_lists_both_organizations()
    {
        var f = ChatonsInfosParser.ParseFederation(Samples.Bytes("federation.properties")).Value!;

        Assert.Equal("CHATONS", f.Name);
        Assert.Equal(["rivebleue", "tilleul"], f.Subs.Select(s => s.Id));
        Assert.Equal("https://tilleul.example/.well_known/chatonsinfos/tilleul.properties", f.Subs[1].Url.AbsoluteUri);
    }

    /// <summary>The data of a file, without where each line was.</summary>
    internal static object Comparable(ChatonsInfosFile file) => file switch
    {
        ChatonsInfosFederation f => f with { File = Header(f), Used = Array.Empty<PropertyLine>(), Unused = Array.Empty<PropertyLine>(), Subs = Subs(f) },
        ChatonsInfosOrganization o => o with { File = Header(o), Used = Array.Empty<PropertyLine>(), Unused = Array.Empty<PropertyLine>(), Subs = Subs(o) },
        ChatonsInfosService s => s with { File = Header(s), Used = Array.Empty<PropertyLine>(), Unused = Array.Empty<PropertyLine>(), Subs = Subs(s) },
        _ => file,
    };

    private static ChatonsInfosFileHeader Header(ChatonsInfosFile file) => file.File with { Protocol = null };

    private static EquatableList<SubReference> Subs(ChatonsInfosFile file) => [.. file.Subs.Select(s => s with { Line = 0 })];
}

/// <summary>A list equal to another with the same items, so that records holding one compare by content.</summary>
internal sealed class EquatableList<T> : List<T>, IEquatable<EquatableList<T>>
{
    public bool Equals(EquatableList<T>? other) => other is not null && this.SequenceEqual(other);

    public override bool Equals(object? obj) => Equals(obj as EquatableList<T>);

    public override int GetHashCode() => Count;
}
