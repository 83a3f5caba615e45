using System.ComponentModel;
using GrantSim.Client.Hosting;
using GrantSim.Hosting;
using Spectre.Console.Cli;

namespace GrantSim.Client.Commands;

/// <summary>
/// What every command shares about telemetry: off unless asked, with <c>--otel-console</c>, the
/// <c>GrantSim:Telemetry</c> configuration, or OpenTelemetry's own OTEL_EXPORTER_OTLP_ENDPOINT.
/// </summary>
public abstract class TelemetrySettings : CommandSettings
{
    [CommandOption("--otel-console")]
    [Description("Write GrantSim's metrics and spans (and Orleans') to the console as they are exported. OTLP is on when OTEL_EXPORTER_OTLP_ENDPOINT is set.")]
    public bool OtelConsole { get; init; }

    /// <summary>The client's configuration (appsettings.json, GrantSim__... variables), with the console exporter on when asked.</summary>
    public GrantSimOptions ClientOptions()
    {
        var options = ClusterConnection.ReadOptions();
        options.Telemetry.Console |= OtelConsole;
        return options;
    }
}
