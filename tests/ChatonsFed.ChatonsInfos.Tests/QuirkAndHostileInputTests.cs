using System.Text;

namespace ChatonsFed.ChatonsInfos.Tests;

public class QuirkAndHostileInputTests
{
    private static readonly byte[] Mutations = [.. "=#'\"\\\r\n.,/ a\u0001"u8, 0xC3, 0xE9, 0xFF];

    private const string MinimalService = "file.class = service\nservice.name = Pad\n";

    [Fact]
    public void Spacing_quotes_comments_crlf_and_a_bom_are_all_read()
    {
        var text = "\uFEFF# a comment\r\nfile.class=SERVICE\r\n  service.name  =  \"Pad \"  \r\nservice.description='Écrire, ensemble'\r\n#service.website = https://commented.example/\r\nservice.website = https://pad.example/\r\n";
        var result = ChatonsInfosParser.ParseService(Encoding.UTF8.GetBytes(text));

        Assert.True(result.IsOk, result.Error);
        Assert.Equal("Pad", result.Value!.Name);
        Assert.Equal("Écrire, ensemble", result.Value.Description);
        Assert.Equal(new Uri("https://pad.example/"), result.Value.Website);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Escapes_of_java_style_generators_are_decoded_and_the_writer_round_trips_line_breaks_and_quotes()
    {
        var read = ChatonsInfosParser.ParseService(Encoding.UTF8.GetBytes("file.class = service\nservice.name = Caf\\u00e9\nservice.description = a\\nb \\\\ c \\= d\n")).Value!;
        Assert.Equal("Café", read.Name);
        Assert.Equal("a\nb \\ c = d", read.Description);

        var tricky = read with { Name = "\"Quoted\"", Description = "line one\nline two\\" };
        var again = ChatonsInfosParser.ParseService(Encoding.UTF8.GetBytes(ChatonsInfosWriter.Write(tricky))).Value!;
        Assert.Equal("\"Quoted\"", again.Name);
        Assert.Equal("line one\nline two\\", again.Description);
    }

    [Theory]
    [InlineData("", "no file.class")]
    [InlineData("service.name = Pad\n", "no file.class")]
    [InlineData("file.class = device\nservice.name = x\n", "not federation, organization or service")]
    [InlineData("file.class = service\nservice.description = no name\n", "no service.name")]
    [InlineData("file.class = organization\norganization.name =   \n", "no organization.name")]
    public void A_file_of_no_use_gives_an_error_that_says_why(string text, string reason)
    {
        var result = ChatonsInfosParser.Parse(text);

        Assert.False(result.IsOk);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_of_another_class_than_expected_is_refused_with_both_classes_named()
    {
        var result = ChatonsInfosParser.ParseOrganization(Encoding.UTF8.GetBytes(MinimalService));

        Assert.Equal("file.class is service, expected organization", result.Error);
    }

    [Fact]
    public void Bad_values_are_warnings_with_their_line_and_the_rest_is_kept()
    {
        var text = "file.class = organization\norganization.name = X\norganization.geolocation.latitude = 123,4\norganization.type = CLUB\n"
            + "organization.website = javascript:alert(1)\norganization.memberof.chatons.startdate = 31/02/2020\nno equals sign here\n"
            + "organization.name = Y\nsubs.bad = ftp://files.example/x\n";
        var result = ChatonsInfosParser.ParseOrganization(Encoding.UTF8.GetBytes(text));

        Assert.True(result.IsOk);
        Assert.Equal("Y", result.Value!.Name);
        Assert.Null(result.Value.Latitude);
        Assert.Null(result.Value.Type);
        Assert.Null(result.Value.Website);
        Assert.Null(result.Value.MemberSince);
        Assert.Empty(result.Value.Subs);
        var lines = result.Warnings.Select(w => w.Line).Order().ToList();
        Assert.Equal([3, 4, 5, 6, 7, 8, 9], lines);
        Assert.All(result.Value.Unused, l => Assert.NotEqual("organization.name", l.Key));
    }

    [Fact]
    public void A_huge_line_is_skipped_with_a_warning_and_a_file_over_the_size_limit_is_refused()
    {
        var huge = MinimalService + "service.description = " + new string('x', 100_000) + "\n";
        var result = ChatonsInfosParser.ParseService(Encoding.UTF8.GetBytes(huge));
        Assert.True(result.IsOk);
        Assert.Null(result.Value!.Description);
        Assert.Contains(result.Warnings, w => w.Line == 3 && w.Message.Contains("longer than", StringComparison.Ordinal));

        var tooBig = ChatonsInfosParser.ParseService(new byte[ChatonsInfosLimits.Default.MaxFileBytes + 1]);
        Assert.Contains("over the limit", tooBig.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_garbage_never_throws_and_never_yields_a_file()
    {
        var random = new Random(20261002);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 4096)];
            random.NextBytes(bytes);
            if (i % 2 == 0)
            {
                // Without NUL bytes, so that the line reader runs on it.
                for (var b = 0; b < bytes.Length; b++)
                {
                    bytes[b] = bytes[b] == 0 ? (byte)'=' : bytes[b];
                }
            }

            var result = ChatonsInfosParser.Parse(bytes);
            Assert.False(result.IsOk);
            Assert.NotNull(result.Error);
            Assert.True(result.Warnings.Count <= ChatonsInfosLimits.Default.MaxWarnings + 1);
        }
    }

    [Fact]
    public void Random_mutations_of_the_samples_never_throw()
    {
        var random = new Random(7);
        foreach (var name in Samples.All())
        {
            var original = Samples.Bytes(name);
            for (var i = 0; i < 300; i++)
            {
                var bytes = (byte[])original.Clone();
                for (var n = random.Next(1, 20); n > 0; n--)
                {
                    bytes[random.Next(bytes.Length)] = Mutations[random.Next(Mutations.Length)];
                }

                var result = ChatonsInfosParser.Parse(bytes);
                Assert.True(result.IsOk || result.Error is not null);
            }
        }
    }

    [Fact]
    public void Invalid_utf8_is_read_as_latin1_with_a_warning()
    {
        var bytes = Encoding.Latin1.GetBytes("file.class = service\nservice.name = Café\n");
        var result = ChatonsInfosParser.ParseService(bytes);

        Assert.Equal("Café", result.Value!.Name);
        Assert.Contains(result.Warnings, w => w.Message.Contains("ISO-8859-1", StringComparison.Ordinal));
    }

    [Fact]
    public void Thousands_of_subs_are_cut_at_the_limit_with_one_warning()
    {
        var text = new StringBuilder("file.class = federation\nfederation.name = Big\n");
        for (var i = 0; i < 5000; i++)
        {
            text.Append("subs.o").Append(i).Append(" = https://o").Append(i).Append(".example/o.properties\n");
        }

        var result = ChatonsInfosParser.ParseFederation(Encoding.UTF8.GetBytes(text.ToString()));

        Assert.Equal(ChatonsInfosLimits.Default.MaxSubs, result.Value!.Subs.Count);
        Assert.Contains(result.Warnings, w => w.Message.Contains("4000 subs. line(s) beyond the limit", StringComparison.Ordinal));
    }

    [Fact]
    public void Warnings_are_capped()
    {
        var text = MinimalService + string.Concat(Enumerable.Repeat("garbage without equals\n", 10_000));
        var result = ChatonsInfosParser.ParseService(Encoding.UTF8.GetBytes(text));

        Assert.True(result.IsOk);
        Assert.Equal(ChatonsInfosLimits.Default.MaxWarnings + 1, result.Warnings.Count);
        Assert.Contains("more warning(s) not shown", result.Warnings[^1].Message, StringComparison.Ordinal);
    }
}
