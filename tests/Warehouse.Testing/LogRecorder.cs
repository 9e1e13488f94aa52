using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Warehouse.Testing;

/// <summary>Every log record a service writes, for tests of what an operator would read.</summary>
public sealed class LogRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<Record> _records = new();

    public IReadOnlyList<Record> Records => [.. _records];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _records);

    public void Dispose()
    {
    }

    public sealed record Record(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class Logger(string category, ConcurrentQueue<Record> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                records.Enqueue(new Record(category, logLevel, formatter(state, exception), exception));
            }
        }
    }
}
