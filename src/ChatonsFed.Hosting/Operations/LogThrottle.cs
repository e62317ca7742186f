using Microsoft.Extensions.Logging;

namespace ChatonsFed.Hosting.Operations;

/// <summary>
/// Bounds the log lines that strangers can cause (refused inbox requests, failed admin sign-ins): for each kind of line,
/// at most <see cref="LinesPerMinute"/> in a minute are written; the others are counted, and when the minute ends one
/// summary line says how many were left out. A flood costs a few dozen lines a minute, never the disk.
/// </summary>
public sealed partial class LogThrottle(TimeProvider time) : IDisposable
{
    public const int LinesPerMinute = 20;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Minute> _minutes = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether a line of <paramref name="kind"/> may be written now; when not, it is counted for the summary that
    /// <paramref name="logger"/> writes at the end of the minute.
    /// </summary>
    public bool Allows(ILogger logger, string kind)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(kind);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_minutes.TryGetValue(kind, out var minute) || now - minute.Start >= Window)
            {
                // A minute whose summary is still due is closed by its timer, which finds it replaced and writes it then.
                _minutes[kind] = new Minute(now, logger) { Written = 1 };
                return true;
            }

            if (minute.Written < LinesPerMinute)
            {
                minute.Written++;
                return true;
            }

            if (minute.Left++ == 0)
            {
                var due = minute.Start + Window - now;
                minute.Timer = time.CreateTimer(_ => Close(kind, minute), null, due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            }

            return false;
        }
    }

    public void Dispose()
    {
        List<(string Kind, Minute Minute)> open;
        lock (_gate)
        {
            open = [.. _minutes.Where(m => m.Value.Left > 0).Select(m => (m.Key, m.Value))];
            _minutes.Clear();
        }

        foreach (var (kind, minute) in open)
        {
            Close(kind, minute);
        }
    }

    private void Close(string kind, Minute minute)
    {
        int left;
        lock (_gate)
        {
            left = minute.Left;
            minute.Left = 0;
            if (_minutes.TryGetValue(kind, out var current) && ReferenceEquals(current, minute))
            {
                _minutes.Remove(kind);
            }
        }

        minute.Timer?.Dispose();
        if (left > 0)
        {
            LogLeftOut(minute.Logger, left, kind, minute.Start);
        }
    }

    [LoggerMessage(EventId = 1901, EventName = "LogLinesLeftOut", Level = LogLevel.Warning,
        Message = "{Count} more '{Kind}' lines in the minute from {Start:O} were not written")]
    private static partial void LogLeftOut(ILogger logger, int count, string kind, DateTimeOffset start);

    private sealed class Minute(DateTimeOffset start, ILogger logger)
    {
        public DateTimeOffset Start { get; } = start;

        public ILogger Logger { get; } = logger;

        public int Written { get; set; }

        public int Left { get; set; }

        public ITimer? Timer { get; set; }
    }
}
