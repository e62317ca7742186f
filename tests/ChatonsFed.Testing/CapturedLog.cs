using System.Collections.Concurrent;
using ChatonsFed.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Testing;

/// <summary>One line a host logged: its category, level, event id and text as formatted.</summary>
public sealed record CapturedLine(string Category, LogLevel Level, int EventId, string Message);

/// <summary>
/// The lines a running host logs from the moment this is attached to it (<see cref="AttachTo"/>), with the host's own
/// filters (its appsettings.json's <c>Logging</c> section) applied, as its console gets them; or, made with
/// <c>new</c>, the lines of the loggers it creates.
/// </summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLine> _lines = new();

    public IReadOnlyList<CapturedLine> Lines => [.. _lines];

    /// <summary>Adds a capture to the logging of <paramref name="running"/>.</summary>
    public static CapturedLog AttachTo(RunningNode running)
    {
        ArgumentNullException.ThrowIfNull(running);
        var log = new CapturedLog();
        running.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        return log;
    }

    /// <summary>The lines of event <paramref name="eventId"/>.</summary>
    public IReadOnlyList<string> OfEvent(int eventId) => [.. _lines.Where(line => line.EventId == eventId).Select(line => line.Message)];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
        // Nothing held: the lines stay readable after the host stops.
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log._lines.Enqueue(new CapturedLine(category, logLevel, eventId.Id, formatter(state, exception)));
    }
}
