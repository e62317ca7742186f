using ChatonsFed.Directory.Node;

namespace ChatonsFed.Directory.Tests;

public sealed class ValidationTests
{
    [Fact]
    public void The_example_chaton_is_valid()
    {
        Assert.Empty(ExampleChaton.Profile.Validate());
        Assert.All(ExampleChaton.Services, s => Assert.Empty(s.Validate()));
        Assert.Empty(ExampleChaton.Charter.Validate(CharterCriteriaCatalog.LoadDefault()));
        Assert.Empty(ExampleChaton.Address.Validate());
    }

    [Theory]
    [InlineData("ftp://chaton.example/", "chaton", "scheme")]
    [InlineData("https://chaton.example/?a=1", "chaton", "query")]
    [InlineData("https://chaton.example/#top", "chaton", "fragment")]
    [InlineData("https://user:pw@chaton.example/", "chaton", "user name")]
    [InlineData("https://chaton.example/", "Chaton", "handle")]
    [InlineData("https://chaton.example/", "cha ton", "handle")]
    [InlineData("https://chaton.example/", "", "handle")]
    public void Node_address_problems_are_named(string baseUrl, string handle, string reason)
    {
        var problems = new NodeAddress(new Uri(baseUrl), handle).Validate();
        Assert.Contains(problems, p => p.Contains(reason, StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new NodeAddress(new Uri(baseUrl), handle).EnsureValid());
    }

    [Fact]
    public void Relative_base_url_is_refused()
    {
        Assert.Contains(new NodeAddress(new Uri("/c/1", UriKind.Relative), "a").Validate(), p => p.Contains("absolute", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://chaton.example", "https://chaton.example")]
    [InlineData("https://chaton.example/", "https://chaton.example")]
    [InlineData("https://chaton.example/c/0001", "https://chaton.example/c/0001")]
    [InlineData("https://chaton.example/c/0001/", "https://chaton.example/c/0001")]
    public void Node_urls_hang_under_the_base_whatever_its_trailing_slash(string baseUrl, string root)
    {
        var address = new NodeAddress(new Uri(baseUrl), "lynx");
        Assert.Equal(root + "/actor", address.ActorId.AbsoluteUri);
        Assert.Equal(root + "/actor/inbox", address.Inbox.AbsoluteUri);
        Assert.Equal(root + "/inbox", address.SharedInbox.AbsoluteUri);
        Assert.Equal(root + "/actor/outbox", address.Outbox.AbsoluteUri);
        Assert.Equal(root + "/actor/followers", address.Followers.AbsoluteUri);
        Assert.Equal(root + "/actor/following", address.Following.AbsoluteUri);
        Assert.Equal(root + "/services", address.Services.AbsoluteUri);
        Assert.Equal(root + "/services/pad", address.ServiceId("pad").AbsoluteUri);
        Assert.Equal(root + "/attestation", address.Attestation.AbsoluteUri);
        Assert.Equal(root + "/actor#main-key", address.MainKeyId);
        Assert.Equal(root + "/actor#ed25519-key", address.Ed25519KeyId);
        Assert.Equal("acct:lynx@chaton.example", address.AcctUri);
    }

    [Fact]
    public void Acct_uri_keeps_a_non_default_port()
    {
        Assert.Equal("acct:lynx@127.0.0.1:8080", new NodeAddress(new Uri("http://127.0.0.1:8080/"), "lynx").AcctUri);
    }

    [Theory]
    [InlineData(91, 0)]
    [InlineData(-90.5, 0)]
    [InlineData(0, 180.01)]
    [InlineData(double.NaN, 0)]
    [InlineData(0, double.PositiveInfinity)]
    public void Location_out_of_range_is_refused(double latitude, double longitude)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeoLocation("x", latitude, longitude));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeoLocation("x", 0, 0) with { Latitude = latitude, Longitude = longitude });
    }

    [Fact]
    public void Location_at_the_limits_is_accepted()
    {
        var location = new GeoLocation(null, -90, 180, "1 rue du Port");
        Assert.Equal((-90.0, 180.0), (location.Latitude, location.Longitude));
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("FRA")]
    [InlineData("XX")]
    [InlineData("UK")]
    public void Unassigned_or_badly_written_country_is_refused(string country)
    {
        var problems = (ExampleChaton.Profile with { Country = country }).Validate();
        Assert.Contains(problems, p => p.StartsWith("country:", StringComparison.Ordinal));
    }

    [Fact]
    public void Country_list_has_every_assigned_code()
    {
        Assert.Equal(249, CountryCodes.All.Count);
        Assert.All(["FR", "BE", "CH", "CA", "LU", "GB", "DE", "RE", "NC"], c => Assert.True(CountryCodes.IsAssigned(c)));
    }

    [Theory]
    [InlineData("contact@chaton.example")]
    [InlineData("mailto:nobody")]
    [InlineData("ftp://chaton.example/contact")]
    [InlineData("not a url")]
    public void Contact_must_be_a_web_url_or_mailto(string contact)
    {
        Assert.Contains((ExampleChaton.Profile with { Contact = contact }).Validate(), p => p.StartsWith("contact:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://chaton.example/contact")]
    [InlineData("mailto:contact@chaton.example")]
    public void Contact_may_be_a_web_url_or_mailto(string contact)
    {
        Assert.Empty((ExampleChaton.Profile with { Contact = contact }).Validate());
    }

    [Fact]
    public void Profile_problems_are_all_reported()
    {
        var profile = ExampleChaton.Profile with
        {
            Name = " ",
            Website = new Uri("ftp://x.example/"),
            Updated = ExampleChaton.Profile.Published.AddDays(-1),
            Membership = new Membership(MembershipStatus.Away, new DateOnly(2024, 1, 1), new DateOnly(2023, 1, 1)),
            StructureType = (StructureType)42,
        };
        var problems = profile.Validate();
        Assert.Contains(problems, p => p.StartsWith("name:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("website:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("updated:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("membership:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("structureType:", StringComparison.Ordinal));
        var error = Assert.Throws<ArgumentException>(() => ExampleChaton.Node().BuildActor(profile));
        Assert.Contains("name:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Pad")]
    [InlineData("-pad")]
    [InlineData("pad/1")]
    [InlineData("")]
    [InlineData("a.b")]
    public void Service_slug_must_be_url_safe(string slug)
    {
        Assert.Contains((ExampleChaton.Services[0] with { Slug = slug }).Validate(), p => p.StartsWith("slug:", StringComparison.Ordinal));
    }

    [Fact]
    public void Service_problems_are_named()
    {
        var service = ExampleChaton.Services[0] with
        {
            Category = "Instant Messaging",
            Url = new Uri("mailto:x@y.example"),
            Software = new ServiceSoftwareInfo("", "1", "GPL 3", new Uri("ftp://src.example/")),
            Hosting = new ServiceHostingInfo("PHYSICAL", "HOME", "France"),
            Registration = (Registration)9,
        };
        var problems = service.Validate();
        foreach (var field in new[] { "category:", "url:", "software.name:", "software.license:", "software.sourceCode:", "hosting.country:", "registration:" })
        {
            Assert.Contains(problems, p => p.StartsWith(field, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("AGPL-3.0-or-later")]
    [InlineData("MIT OR Apache-2.0")]
    [InlineData("GPL-2.0-only WITH Classpath-exception-2.0")]
    [InlineData("LicenseRef-Proprietary")]
    public void Spdx_expressions_are_accepted(string license)
    {
        Assert.Empty((ExampleChaton.Services[0] with { Software = new ServiceSoftwareInfo("X", null, license) }).Validate());
    }

    [Fact]
    public void Two_services_with_one_slug_are_refused()
    {
        var services = new[] { ExampleChaton.Services[0], ExampleChaton.Services[1] with { Slug = "1" } };
        Assert.Throws<ArgumentException>(() => ExampleChaton.Node().BuildServices(services));
    }

    [Theory]
    [InlineData("sha256-abc")]
    [InlineData("sha512-rWDn8J4EBxr5nv0IiyyB+bHzM8ZZyzJ8PyNWOA+ks0c=")]
    [InlineData("rWDn8J4EBxr5nv0IiyyB+bHzM8ZZyzJ8PyNWOA+ks0c=")]
    public void Charter_digest_must_be_sha256_base64(string digest)
    {
        var declaration = ExampleChaton.Charter with { Charter = ExampleChaton.Charter.Charter with { Digest = digest } };
        Assert.Contains(declaration.Validate(), p => p.StartsWith("charter.digest:", StringComparison.Ordinal));
    }

    [Fact]
    public void Declaration_must_answer_exactly_the_criteria_of_the_list()
    {
        var catalog = CharterCriteriaCatalog.LoadDefault();
        var missing = ExampleChaton.Charter with { Criteria = [.. ExampleChaton.Charter.Criteria.Skip(1)] };
        Assert.Contains(missing.Validate(catalog), p => p.Contains("no answer for collective.respect", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => ExampleChaton.Node().BuildAttestation(missing, "Lynx Net"));

        var extra = ExampleChaton.Charter with { Criteria = [.. ExampleChaton.Charter.Criteria, new CriterionAnswer("made.up", true)] };
        Assert.Contains(extra.Validate(catalog), p => p.Contains("made.up", StringComparison.Ordinal));

        var twice = ExampleChaton.Charter with { Criteria = [.. ExampleChaton.Charter.Criteria, ExampleChaton.Charter.Criteria[0]] };
        Assert.Contains(twice.Validate(), p => p.Contains("more than once", StringComparison.Ordinal));
    }

    [Fact]
    public void Attestation_follows_the_list_order_whatever_the_answers_order()
    {
        var reversed = ExampleChaton.Charter with { Criteria = [.. ExampleChaton.Charter.Criteria.Reverse()] };
        var attestation = ExampleChaton.Node().BuildAttestation(reversed, "Lynx Net");
        Assert.Equal(CharterCriteriaCatalog.LoadDefault().Criteria.Select(c => c.Id), attestation.Criteria!.Select(c => c.Id));
    }

    [Fact]
    public void Node_refuses_an_unusable_rsa_key()
    {
        using var key = TestKeys.TestEd25519Key();
        Assert.Throws<ArgumentException>(() => new NodeDocuments(ExampleChaton.Address, key, "not a pem", TimeProvider.System));
        Assert.Throws<ArgumentException>(() => new NodeDocuments(new NodeAddress(new Uri("https://x.example/"), "UPPER"), key, TestKeys.TestRsaPublicKeyPem, TimeProvider.System));
    }
}

public sealed class WireNamesTests
{
    [Fact]
    public void Every_value_has_its_protocol_spelling_and_reads_back()
    {
        Assert.Equal(["ASSOCIATION", "INFORMAL", "COOPERATIVE", "MICROCOMPANY", "COMPANY", "INDIVIDUAL", "OTHER"], Enum.GetValues<StructureType>().Select(WireNames.ToWire));
        Assert.Equal(["ACTIVE", "IDLE", "AWAY"], Enum.GetValues<MembershipStatus>().Select(WireNames.ToWire));
        Assert.Equal(["none", "free", "member", "client"], Enum.GetValues<Registration>().Select(WireNames.ToWire));
        Assert.Equal(["open", "full"], Enum.GetValues<Capacity>().Select(WireNames.ToWire));
        Assert.Equal(["ok", "degraded", "down", "closed"], Enum.GetValues<ServiceStatus>().Select(WireNames.ToWire));

        foreach (var value in Enum.GetValues<StructureType>())
        {
            Assert.Equal(value, WireNames.Parse<StructureType>(WireNames.ToWire(value)));
        }

        foreach (var value in Enum.GetValues<ServiceStatus>())
        {
            Assert.True(WireNames.TryParse(WireNames.ToWire(value), out ServiceStatus read, out _));
            Assert.Equal(value, read);
        }

        Assert.Equal(["open", "full"], WireNames.AllowedValues<Capacity>());
    }

    [Theory]
    [InlineData("association")]
    [InlineData("ASSOC")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_spelling_is_refused_with_the_allowed_values(string? wire)
    {
        Assert.False(WireNames.TryParse(wire, out StructureType _, out var error));
        Assert.Contains("structureType", error, StringComparison.Ordinal);
        Assert.Contains("ASSOCIATION, INFORMAL", error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => WireNames.Parse<StructureType>(wire));
    }

    [Fact]
    public void Undefined_enum_value_has_no_wire_name()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WireNames.ToWire((Capacity)7));
    }
}
