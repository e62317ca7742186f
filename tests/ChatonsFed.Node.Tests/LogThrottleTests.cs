using ChatonsFed.Hosting.Operations;
using Microsoft.Extensions.Time.Testing;

namespace ChatonsFed.Node.Tests;

/// <summary>The bound on the log lines strangers can cause: so many a minute for each kind, then one summary line.</summary>
public sealed class LogThrottleTests
{
    [Fact]
    public void Each_kind_writes_at_most_its_lines_a_minute_and_the_rest_is_summed_up_when_the_minute_ends()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));
        using var log = new CapturedLog();
        var logger = log.CreateLogger("ChatonsFed.Test");
        using var throttle = new LogThrottle(time);

        var written = Enumerable.Range(0, 1000).Count(_ => throttle.Allows(logger, "inbox refused: invalid"));
        Assert.Equal(LogThrottle.LinesPerMinute, written);
        // Another kind has its own allowance.
        Assert.True(throttle.Allows(logger, "admin sign-in failed"));

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(log.OfEvent(1901));
        time.Advance(TimeSpan.FromSeconds(1));
        var summary = Assert.Single(log.OfEvent(1901));
        Assert.Contains($"{1000 - LogThrottle.LinesPerMinute} more 'inbox refused: invalid' lines in the minute from 2026-05-01T12:00:00", summary, StringComparison.Ordinal);

        // A new minute, a new allowance; a minute with nothing left out writes no summary.
        Assert.True(throttle.Allows(logger, "inbox refused: invalid"));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Single(log.OfEvent(1901));
    }
}
