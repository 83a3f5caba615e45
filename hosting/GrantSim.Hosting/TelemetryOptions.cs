namespace GrantSim.Hosting;

/// <summary>
/// <c>GrantSim:Telemetry</c>: where GrantSim's metrics, traces and logs go. Everything is off by
/// default except the silo's Prometheus endpoint; OpenTelemetry's own variables
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_SERVICE_NAME</c>, ...) are honoured as the SDK reads them.
/// </summary>
public sealed class TelemetryOptions
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Export metrics, traces and logs over OTLP. Also on when <see cref="OtlpEndpoint"/> or OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
    public bool Otlp { get; set; }

    /// <summary>The collector, e.g. http://localhost:4317; empty means the SDK's default or OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Serve metrics in Prometheus text format at /metrics on the silo's web port (silos only).</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>Write metrics and spans to the console: for development.</summary>
    public bool Console { get; set; }

    /// <summary>One JSON object per log line (the same as Logging:Console:FormatterName=json).</summary>
    public bool JsonLogs { get; set; }

    /// <summary>How many distinct tenants keep their own tag value on metrics; the rest are tagged "other".</summary>
    public int MaxTenantTags { get; set; } = Telemetry.GrantSimMetrics.DefaultTenantLimit;

    public bool OtlpEnabled(Func<string, string?>? environment = null) =>
        Otlp || !string.IsNullOrWhiteSpace(OtlpEndpoint)
        || !string.IsNullOrWhiteSpace((environment ?? Environment.GetEnvironmentVariable)(OtlpEndpointVariable));

    /// <summary>The first setting that makes no sense, named with <paramref name="prefix"/> (the variable names of the section), or null.</summary>
    public string? Invalid(string prefix) =>
        MaxTenantTags < 1 ? $"{prefix}MaxTenantTags is {MaxTenantTags}; at least 1 tenant keeps its own tag."
        : OtlpEndpoint is { Length: > 0 } endpoint && !Uri.TryCreate(endpoint, UriKind.Absolute, out _) ? $"{prefix}OtlpEndpoint is '{endpoint}', which is not an absolute URI (e.g. http://localhost:4317)."
        : null;
}
