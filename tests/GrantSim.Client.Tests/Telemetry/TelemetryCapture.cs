using System.Diagnostics;
using GrantSim.Hosting;
using GrantSim.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Diagnostics;

namespace GrantSim.Client.Tests.Telemetry;

/// <summary>
/// In-memory exporters for GrantSim's (and Orleans') spans and metrics, for one test. The span
/// listener is process-wide, so it also sees other tests' silos: tests pick out their own by trace
/// id. Metrics are read by a MeterProvider inside the silo's own host (<see cref="ConfigureSilo"/>):
/// the silo's meter comes from the host's IMeterFactory, and a provider built outside any host
/// does not see such meters.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private readonly LockedList<Activity> _spans = new();
    private readonly LockedList<MetricSnapshot> _metrics = new();
    private readonly TracerProvider _tracer;

    private TelemetryCapture()
    {
        _tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource(GrantSimTelemetry.Name, ActivitySources.ApplicationGrainActivitySourceName, ActivitySources.RuntimeActivitySourceName)
            .AddInMemoryExporter(_spans)
            .Build();
    }

    public static TelemetryCapture Start() => new();

    public IReadOnlyList<Activity> Spans => _spans.Snapshot();

    /// <summary>
    /// The last export (cumulative, so its values are totals). One export may hold several streams
    /// of one name: a provider listens to every meter of its name in the process, and each silo of
    /// the process (other tests' too) has its own meter; tests pick theirs by tenant.
    /// </summary>
    public IReadOnlyList<MetricSnapshot> Metrics => _metrics.Snapshot();

    /// <summary>A MeterProvider in the silo's host, exporting to this capture.</summary>
    public void ConfigureSilo(IHostApplicationBuilder host) =>
        host.Services.AddOpenTelemetry().WithMetrics(meters => meters
            .AddMeter(GrantSimTelemetry.Name, TelemetryExtensions.OrleansMeter)
            // Exported only when flushed, so that the list holds one export.
            .AddInMemoryExporter(_metrics, reader => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = int.MaxValue));

    /// <summary>Everything captured, as text to search: every span (names, status, tags, events, baggage), every metric's tags, every log line with its fields.</summary>
    public string Text(CapturedLogs logs)
    {
        var text = new System.Text.StringBuilder();
        foreach (var span in Spans)
        {
            text.AppendLine(span.DisplayName).AppendLine(span.OperationName).AppendLine(span.StatusDescription);
            foreach (var (key, value) in span.TagObjects)
            {
                text.Append(key).Append('=').AppendLine(Format(value));
            }

            foreach (var e in span.Events)
            {
                text.AppendLine(e.Name);
                foreach (var (key, value) in e.Tags)
                {
                    text.Append(key).Append('=').AppendLine(Format(value));
                }
            }

            foreach (var (key, value) in span.Baggage)
            {
                text.Append(key).Append('=').AppendLine(value);
            }
        }

        foreach (var metric in Metrics)
        {
            text.AppendLine(metric.Name).AppendLine(metric.Description).AppendLine(metric.Unit);
            foreach (var point in metric.MetricPoints)
            {
                foreach (var tag in point.Tags)
                {
                    text.Append(tag.Key).Append('=').AppendLine(Format(tag.Value));
                }
            }
        }

        foreach (var line in logs.Lines)
        {
            text.AppendLine(line.ToString());
        }

        return text.ToString();
    }

    private static string Format(object? value) =>
        value is System.Collections.IEnumerable many and not string ? string.Join(",", many.Cast<object?>()) : value?.ToString() ?? "";

    /// <summary>Exports what has ended so far: the spans, and the metrics of the silo whose services are given.</summary>
    public void Flush(IServiceProvider? silo = null)
    {
        _tracer.ForceFlush();
        if (silo is not null)
        {
            _metrics.Clear();
            silo.GetRequiredService<MeterProvider>().ForceFlush();
        }
    }

    /// <summary>The points of <paramref name="instrument"/> tagged with this tenant and region, each with its tags.</summary>
    public IReadOnlyList<(IReadOnlyDictionary<string, string> Tags, MetricPoint Point)> Points(string instrument, string tenant, string region)
    {
        var found = new List<(IReadOnlyDictionary<string, string>, MetricPoint)>();
        foreach (var metric in Metrics.Where(m => m.MeterName == GrantSimTelemetry.Name && m.Name == instrument))
        {
            foreach (var point in metric.MetricPoints)
            {
                var tags = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var tag in point.Tags)
                {
                    tags[tag.Key] = tag.Value?.ToString() ?? "";
                }

                if (tags.GetValueOrDefault(TelemetryTags.Tenant) == tenant && tags.GetValueOrDefault(TelemetryTags.Region) == region)
                {
                    found.Add((tags, point));
                }
            }
        }

        return found;
    }

    public void Dispose()
    {
        _tracer.Dispose();
    }

    /// <summary>Exporters add from their own threads while a test reads.</summary>
    private sealed class LockedList<T> : ICollection<T>
    {
        private readonly List<T> _items = [];
        private readonly Lock _lock = new();

        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public IReadOnlyList<T> Snapshot()
        {
            lock (_lock)
            {
                return _items.ToArray();
            }
        }

        public void Add(T item)
        {
            lock (_lock)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                _items.Clear();
            }
        }

        public bool Contains(T item) => Snapshot().Contains(item);

        public void CopyTo(T[] array, int arrayIndex) => Snapshot().ToArray().CopyTo(array, arrayIndex);

        public bool Remove(T item)
        {
            lock (_lock)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
