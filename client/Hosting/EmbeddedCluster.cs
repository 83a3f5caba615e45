using GrantSim.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrantSim.Client.Hosting;

/// <summary>
/// A silo in the client's own process: localhost clustering, in-memory storage, and a frozen
/// simulation clock that moves only when the simulation advances it (so a seed replays exactly).
/// </summary>
public sealed class EmbeddedCluster : IGrantSimConnection
{
    /// <summary>The frozen clock starts here, so that timestamps are the same from run to run.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly IHost _host;

    private EmbeddedCluster(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public string Description => "an embedded silo";

    public static async Task<EmbeddedCluster> StartAsync(int siloPort = 0, int gatewayPort = 0, CancellationToken cancellationToken = default)
    {
        var time = AdjustableTimeProvider.Frozen(Epoch);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Error);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort == 0 ? FreePort() : siloPort, gatewayPort == 0 ? FreePort() : gatewayPort)
            .AddGrantSim(time)
            .AddGrantSimInMemoryStorage());
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new EmbeddedCluster(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
