using GrantSim.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Diagnostics;

namespace GrantSim.Hosting;

/// <summary>Wires GrantSim's meter and activity source, and Orleans' own, to the exporters <see cref="TelemetryOptions"/> chooses.</summary>
public static class TelemetryExtensions
{
    /// <summary>Orleans' meter: grain calls, activations, messaging.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// Trace ids on every log line (a logging scope that JSON and simple console formats print when
    /// scopes are on), the JSON console format when asked, and an OpenTelemetry pipeline when any
    /// exporter is on. <paramref name="metrics"/> and <paramref name="tracing"/> add exporters of the
    /// caller's own (the silo's Prometheus endpoint, a test's in-memory lists).
    /// </summary>
    public static IHostApplicationBuilder AddGrantSimTelemetry(
        this IHostApplicationBuilder builder, TelemetryOptions options, string serviceName,
        Action<MeterProviderBuilder>? metrics = null, Action<TracerProviderBuilder>? tracing = null)
    {
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (options.JsonLogs)
        {
            builder.Logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "O";
            });
        }

        var otlp = options.OtlpEnabled();
        if (!otlp && !options.Console && metrics is null && tracing is null)
        {
            return builder;
        }

        var endpoint = string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? null : new Uri(options.OtlpEndpoint);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(meters =>
            {
                meters.AddMeter(GrantSimTelemetry.Name, OrleansMeter);
                if (options.Console)
                {
                    meters.AddConsoleExporter();
                }

                if (otlp)
                {
                    meters.AddOtlpExporter(exporter => SetEndpoint(exporter, endpoint));
                }

                metrics?.Invoke(meters);
            })
            .WithTracing(traces =>
            {
                traces.AddSource(GrantSimTelemetry.Name, ActivitySources.ApplicationGrainActivitySourceName, ActivitySources.RuntimeActivitySourceName);
                if (options.Console)
                {
                    traces.AddConsoleExporter();
                }

                if (otlp)
                {
                    traces.AddOtlpExporter(exporter => SetEndpoint(exporter, endpoint));
                }

                tracing?.Invoke(traces);
            });
        if (otlp)
        {
            telemetry.WithLogging(logs => logs.AddOtlpExporter(exporter => SetEndpoint(exporter, endpoint)));
        }

        return builder;
    }

    /// <summary>Only an explicit GrantSim endpoint overrides the SDK, which otherwise reads OTEL_EXPORTER_OTLP_ENDPOINT itself.</summary>
    private static void SetEndpoint(OpenTelemetry.Exporter.OtlpExporterOptions exporter, Uri? endpoint)
    {
        if (endpoint is not null)
        {
            exporter.Endpoint = endpoint;
        }
    }
}
