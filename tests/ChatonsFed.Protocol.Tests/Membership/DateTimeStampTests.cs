using ChatonsFed.Protocol.Membership;

namespace ChatonsFed.Protocol.Tests.Membership;

public class DateTimeStampTests
{
    [Theory]
    [InlineData("2026-03-01T10:00:00Z", "2026-03-01T10:00:00.0000000+00:00")]
    [InlineData("2026-03-01T12:00:00+02:00", "2026-03-01T10:00:00.0000000+00:00")]
    [InlineData("2026-03-01T05:30:00-04:30", "2026-03-01T10:00:00.0000000+00:00")]
    [InlineData("2026-03-01T10:00:00.5Z", "2026-03-01T10:00:00.5000000+00:00")]
    [InlineData("2026-03-01T10:00:00.123456789Z", "2026-03-01T10:00:00.1234567+00:00")]
    [InlineData("2024-02-29T23:59:59+14:00", "2024-02-29T09:59:59.0000000+00:00")]
    public void Valid_stamps_parse(string text, string utc)
    {
        Assert.True(DateTimeStamp.TryParse(text, out var instant));
        Assert.Equal(utc, instant.ToUniversalTime().ToString("o", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-03-01T10:00:00")]
    [InlineData("2026-03-01")]
    [InlineData("2026-03-01 10:00:00Z")]
    [InlineData("2026-03-01t10:00:00Z")]
    [InlineData("2026-03-01T10:00:00z")]
    [InlineData("2026-03-01T10:00Z")]
    [InlineData("2026-03-01T10:00:00.Z")]
    [InlineData("2026-03-01T10:00:00+0200")]
    [InlineData("2026-03-01T10:00:00+15:00")]
    [InlineData("2026-03-01T10:00:00+02:60")]
    [InlineData("2025-02-29T10:00:00Z")]
    [InlineData("2026-13-01T10:00:00Z")]
    [InlineData("2026-03-01T24:00:00Z")]
    [InlineData("2026-03-01T10:60:00Z")]
    [InlineData("2026-03-01T10:00:60Z")]
    [InlineData("0000-03-01T10:00:00Z")]
    [InlineData("+2026-03-01T10:00:00Z")]
    [InlineData("20260-03-01T10:00:00Z")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("2026-03-01T10:00:00Z ")]
    [InlineData("２０２６-03-01T10:00:00Z")]
    public void Anything_else_is_refused(string? text)
    {
        Assert.False(DateTimeStamp.TryParse(text, out _));
    }

    [Fact]
    public void Format_writes_whole_seconds_in_UTC()
    {
        Assert.Equal("2026-03-01T10:00:00Z", DateTimeStamp.Format(new DateTimeOffset(2026, 3, 1, 12, 0, 0, 999, TimeSpan.FromHours(2))));
    }
}
