using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>Keeps every log message, its structured values, its exception and its scopes.</summary>
public sealed class LogRecorder : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

    public void Dispose() { }

    /// <summary>The lines that match, once there are at least <paramref name="count"/>; fails after 15 s.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(Func<string, bool> match, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var lines = Lines.Where(match).ToList();
            if (lines.Count >= count) return lines;
            if (DateTime.UtcNow > deadline) Assert.Fail($"{lines.Count} of {count} log lines expected within 15 s.");
            await Task.Delay(50);
        }
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            lines.Enqueue($"{category} scope {Describe(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category} {logLevel} {eventId} {formatter(state, exception)} {Describe(state)} {exception}");

        private static string Describe(object? state) =>
            state is IEnumerable<KeyValuePair<string, object?>> values
                ? string.Join(" ", values.Select(v => $"{v.Key}={v.Value}"))
                : state?.ToString() ?? "";
    }
}
