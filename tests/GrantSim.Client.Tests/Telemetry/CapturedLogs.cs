using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GrantSim.Client.Tests.Telemetry;

/// <summary>One log line as a console formatter would see it: category, event id, message, and every field of the line and of its scopes.</summary>
public sealed record CapturedLine(string Category, int EventId, string Message, IReadOnlyDictionary<string, string> Fields)
{
    public override string ToString() => $"{Category}[{EventId}] {Message} {string.Join(" ", Fields.Select(f => $"{f.Key}={f.Value}"))}";
}

/// <summary>A logger provider that keeps every line with its structured fields and scopes (including the trace id scope of ActivityTrackingOptions).</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLine> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLine> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static void AddFields(Dictionary<string, string> fields, object? state)
    {
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                fields[key] = value is System.Collections.IEnumerable many and not string
                    ? string.Join(",", many.Cast<object?>())
                    : value?.ToString() ?? "";
            }
        }
        else if (state is not null)
        {
            fields[$"scope{fields.Count}"] = state.ToString() ?? "";
        }
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            AddFields(fields, state);
            owner._scopes.ForEachScope((scope, f) => AddFields(f, scope), fields);
            if (exception is not null)
            {
                fields["Exception"] = exception.ToString();
            }

            owner._lines.Enqueue(new CapturedLine(category, eventId.Id, formatter(state, exception), fields));
        }
    }
}
