using GrantSim.Hosting;
using GrantSim.Silo;
using GrantSim.Silo.Aws;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

// A GrantSim silo. Everything comes from configuration (appsettings.json, or GrantSim__... environment
// variables): the backend (Embedded: localhost clustering and memory storage; Redis: a real cluster),
// the ports it listens on and advertises, its web port with the Orleans dashboard and /health, and the
// AWS port (GrantSim:Aws) where the AWS CLI, boto3 and skopeo talk to KMS, ECR and the registry.
// The settings beside the executable, wherever it is started from (scripts/cluster.sh starts it from
// the repository): otherwise appsettings.json is not found and every request is logged at Information.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
GrantSimOptions? options = null;
AwsOptions? aws = null;
try
{
    // Bound and validated now (the host needs the ports and the backend to be built) and again at start.
    options = builder.Services.AddValidatedSettings<GrantSimOptions>(builder.Configuration, GrantSimOptions.Section, o => o.Invalid());
    builder.UseOrleans(silo => silo
        .UseGrantSimBackend(options)
        .AddGrantSim(options.Clock == ClockMode.Frozen ? AdjustableTimeProvider.Frozen() : AdjustableTimeProvider.FollowingWallClock(),
            options.Telemetry.MaxTenantTags)
        .AddDashboard());
    // Metrics, traces and logs (GrantSim:Telemetry): Prometheus at /metrics, OTLP and console by configuration.
    builder.AddGrantSimTelemetry(options.Telemetry, "GrantSim.Silo",
        metrics: options.Telemetry.Prometheus ? meters => meters.AddPrometheusExporter() : null);

    // The AWS-compatible endpoint (KMS and ECR JSON 1.1, and the registry) on its own port, after
    // Orleans so that its start-up (the tenants' IAM principals) finds the silo running.
    aws = builder.AddAwsEndpoint();
    builder.WebHost.UseUrls(aws.Port == 0
        ? [$"http://0.0.0.0:{options.Silo.WebPort}"]
        : [$"http://0.0.0.0:{options.Silo.WebPort}", $"http://{aws.Host}:{aws.Port}"]);

    Settings.RequirePortsFree(SiloPorts.Of(options, aws));
    var app = builder.Build();
    app.MapAwsEndpoint(aws);
    app.MapOrleansDashboard(routePrefix: "/dashboard");
    app.MapGet("/health", SiloHealth.ReportAsync);
    if (options.Telemetry.Prometheus)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
    }

    app.MapGet("/", () => Results.Redirect("/dashboard"));
    await app.RunAsync();
    return 0;
}
catch (Exception error) when (Settings.Explain(error, SiloPorts.Of(options, aws)) is { } line)
{
    // A setting, not a bug: one line that names it, not a stack trace.
    await Console.Error.WriteLineAsync($"GrantSim silo cannot start: {line}");
    return 2;
}
