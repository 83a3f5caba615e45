using GrantSim.Hosting;
using GrantSim.Silo;
using Orleans.Dashboard;
using OpenTelemetry.Metrics;

// A GrantSim silo. Everything comes from configuration (appsettings.json, or GrantSim__... environment
// variables): the backend (Embedded: localhost clustering and memory storage; Redis: a real cluster),
// the ports it listens on and advertises, and its web port with the Orleans dashboard and /health.
var builder = WebApplication.CreateBuilder(args);
var options = builder.Configuration.GetSection(GrantSimOptions.Section).Get<GrantSimOptions>() ?? new GrantSimOptions();
builder.WebHost.UseUrls($"http://0.0.0.0:{options.Silo.WebPort}");
builder.UseOrleans(silo => silo
    .UseGrantSimBackend(options)
    .AddGrantSim(options.Clock == ClockMode.Frozen ? AdjustableTimeProvider.Frozen(SiloHealth.FrozenEpoch) : AdjustableTimeProvider.FollowingWallClock(),
        options.Telemetry.MaxTenantTags)
    .AddDashboard());
// Metrics, traces and logs (GrantSim:Telemetry): Prometheus at /metrics, OTLP and console by configuration.
builder.AddGrantSimTelemetry(options.Telemetry, "GrantSim.Silo",
    metrics: options.Telemetry.Prometheus ? meters => meters.AddPrometheusExporter() : null);

var app = builder.Build();
app.MapOrleansDashboard(routePrefix: "/dashboard");
app.MapGet("/health", SiloHealth.ReportAsync);
if (options.Telemetry.Prometheus)
{
    app.MapPrometheusScrapingEndpoint("/metrics");
}

app.MapGet("/", () => Results.Redirect("/dashboard"));
await app.RunAsync();
