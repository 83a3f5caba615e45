using GrantSim.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrantSim.Client.Hosting;

/// <summary>
/// The client of a running cluster, configured like the silos: the <c>GrantSim</c> section of the
/// client's appsettings.json and <c>GrantSim__...</c> environment variables (with the Redis backend,
/// the Redis connection string and cluster id; with the embedded backend, the gateway port of a
/// standalone silo).
/// </summary>
public sealed class ClusterConnection : IGrantSimConnection
{
    private readonly IHost _host;

    private ClusterConnection(IHost host, GrantSimOptions options, SiloControlOptions siloControl)
    {
        _host = host;
        Silos = siloControl.IsConfigured ? new CommandSiloControl(siloControl) : null;
        Description = options.Backend == Backend.Redis
            ? $"the Redis cluster '{options.ClusterId}' at {options.Redis.ConnectionString}"
            : $"the silo with gateway port {options.Silo.PrimaryGatewayPort}";
    }

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public string Description { get; }

    public ISiloControl? Silos { get; }

    public static GrantSimOptions ReadOptions() =>
        Settings.Read<GrantSimOptions>(Configuration(), GrantSimOptions.Section, options => options.Invalid());

    public static SiloControlOptions ReadSiloControl() =>
        Settings.Read<SiloControlOptions>(Configuration(), SiloControlOptions.Section);

    private static IConfiguration Configuration() =>
        new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();

    /// <param name="configureClient">Anything more for the Orleans client (a test's call filter or gateway list), applied last.</param>
    public static async Task<ClusterConnection> ConnectAsync(
        GrantSimOptions options, CancellationToken cancellationToken = default, SiloControlOptions? siloControl = null, Action<IClientBuilder>? configureClient = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Error);
        var attempts = 0;
        builder.UseOrleansClient(client =>
        {
            client
                .UseGrantSimCluster(options)
                // A client started beside its silos (docker-compose) waits for them, up to a minute.
                .UseConnectionRetryFilter(async (_, token) =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), token);
                    return ++attempts < 60;
                });
            configureClient?.Invoke(client);
        });
        builder.AddGrantSimTelemetry(options.Telemetry, "GrantSim.Client");
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new ClusterConnection(host, options, siloControl ?? new SiloControlOptions());
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
