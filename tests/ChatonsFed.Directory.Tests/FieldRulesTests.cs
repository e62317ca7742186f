using ChatonsFed.Directory.Node;

namespace ChatonsFed.Directory.Tests;

public sealed class FieldRulesTests
{
    [Theory]
    [InlineData("association", "ASSOCIATION")]
    [InlineData("COOPERATIVE", "COOPERATIVE")]
    [InlineData("", null)]
    public void Wire_names_are_read_in_any_case_and_written_as_the_protocol_writes_them(string given, string? expected) =>
        Assert.Equal(expected, FieldRules.WireName<StructureType>("structureType", given));

    [Theory]
    [InlineData("contact@chaton.example", "mailto:contact@chaton.example")]
    [InlineData("https://chaton.example/contact", "https://chaton.example/contact")]
    [InlineData("  ", null)]
    public void Contacts_are_mail_addresses_or_web_pages(string given, string? expected) =>
        Assert.Equal(expected, FieldRules.Contact("contact", given));

    [Fact]
    public void Slugs_made_from_names_fold_accents_and_stay_short()
    {
        Assert.Equal("pad-collaboratif", FieldRules.SlugFrom("Pad  Collaboratif !"));
        Assert.Equal("evenements", FieldRules.SlugFrom("Évènements"));
        Assert.Equal("service", FieldRules.SlugFrom("***"));
        Assert.True(FieldRules.SlugFrom(new string('a', 100)).Length <= FieldRules.MaxGeneratedSlugLength);
    }

    [Fact]
    public void A_location_needs_both_coordinates_in_range()
    {
        Assert.Equal((44.93, 4.89), FieldRules.Location(44.93, 4.89));
        Assert.Equal("longitude", Assert.Throws<InvalidFieldException>(() => FieldRules.Location(44.93, null)).Field);
        Assert.Equal("longitude -181 is out of range; use a value from -180 to 180", Assert.Throws<InvalidFieldException>(() => FieldRules.Location(0, -181)).Message);
        Assert.Equal("latitude", Assert.Throws<InvalidFieldException>(() => FieldRules.Location(double.NaN, 0)).Field);
    }

    [Theory]
    [InlineData("memberSince", "2020-13-01", "memberSince '2020-13-01' is not a date; use YYYY-MM-DD, e.g. 2020-01-01")]
    [InlineData("country", "france", "country 'france' is not an ISO 3166-1 alpha-2 code; use two letters such as FR or BE")]
    [InlineData("url", "ftp://files.example", "url 'ftp://files.example' is not an http(s) URL; use e.g. https://chaton.example/")]
    [InlineData("capacity", "huge", "capacity 'huge' is not one of open, full")]
    [InlineData("category", "Video", "category 'Video' is not a category id; use lower-case words joined by '-', e.g. collaborative-writing")]
    public void Refusals_start_with_the_field_and_say_what_is_expected(string field, string value, string expected)
    {
        var refused = Assert.Throws<InvalidFieldException>(() => field switch
        {
            "memberSince" => FieldRules.Date(field, value),
            "country" => FieldRules.Country(field, value),
            "url" => FieldRules.WebUrl(field, value),
            "capacity" => FieldRules.WireName<Capacity>(field, value),
            _ => FieldRules.CategoryId(field, value),
        });
        Assert.Equal(field, refused.Field);
        Assert.Equal(expected, refused.Message);
    }

    [Fact]
    public void Required_values_are_trimmed_and_a_blank_one_is_refused()
    {
        Assert.Equal("Lynx", FieldRules.Required("name", " Lynx ", "the chaton's display name"));
        Assert.Equal("name is required: the chaton's display name", Assert.Throws<InvalidFieldException>(() => FieldRules.Required("name", " ", "the chaton's display name")).Message);
    }

    [Fact]
    public void Hosting_types_and_licences_follow_their_lists()
    {
        Assert.Equal("VIRTUAL", FieldRules.OneOf("serverType", "virtual", ["NANO", "PHYSICAL", "VIRTUAL", "SHARED", "CLOUD"]));
        FieldRules.License("license", "AGPL-3.0-or-later");
        Assert.Throws<InvalidFieldException>(() => FieldRules.License("license", "free as in beer"));
        Assert.Equal("spam.example", FieldRules.Domain(" Spam.Example. "));
    }
}
