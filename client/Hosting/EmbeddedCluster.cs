using GrantSim.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace GrantSim.Client.Hosting;

/// <summary>
/// Silos in the client's own process: localhost clustering, in-memory storage, and a frozen
/// simulation clock that moves only when the simulation advances it (so a seed replays exactly).
/// State lives in one <see cref="SharedMemoryGrainStore"/> that outlives any silo, so that silos
/// can be killed and restarted (<see cref="Silos"/>) without losing acknowledged work; it also
/// writes a state once (serialized), where Orleans' memory storage serializes it and then copies
/// it again into a storage grain. Silo 0 holds the membership and hosts the client's calls.
/// </summary>
public sealed class EmbeddedCluster : IGrantSimConnection, ISiloControl
{
    private readonly AdjustableTimeProvider _time;
    private readonly TelemetryOptions _telemetry;
    private readonly Action<HostApplicationBuilder>? _configureHost;
    private readonly SharedMemoryGrainStore _store;
    private readonly (int SiloPort, int GatewayPort)[] _ports;
    private readonly IHost?[] _silos;
    private readonly Lock _lock = new();

    private EmbeddedCluster(AdjustableTimeProvider time, SharedMemoryGrainStore store, (int, int)[] ports, TelemetryOptions telemetry, Action<HostApplicationBuilder>? configureHost)
    {
        _time = time;
        _telemetry = telemetry;
        _configureHost = configureHost;
        _store = store;
        _ports = ports;
        _silos = new IHost?[ports.Length];
    }

    public IClusterClient Client => Silo(0).Services.GetRequiredService<IClusterClient>();

    /// <summary>The services of silo 0, for tests that read what its host holds (its MeterProvider).</summary>
    internal IServiceProvider SiloServices => Silo(0).Services;

    /// <summary>Each silo's ports now (a silo restarted after a port collision has new ones), for tests.</summary>
    internal IReadOnlyList<(int SiloPort, int GatewayPort)> Ports
    {
        get
        {
            lock (_lock)
            {
                return _ports.ToArray();
            }
        }
    }

    public string Description => _silos.Length == 1 ? "an embedded silo" : $"{_silos.Length} embedded silos";

    public ISiloControl? Silos => _silos.Length > 1 ? this : null;

    public IReadOnlyList<int> Killable => Enumerable.Range(1, _silos.Length - 1).ToArray();

    /// <param name="telemetry">Exporters for the silos' metrics and traces; none by default.</param>
    /// <param name="configureHost">Anything else for each silo's host (a test's in-memory exporters or log capture).</param>
    public static async Task<EmbeddedCluster> StartAsync(
        int silos = 1, CancellationToken cancellationToken = default, TelemetryOptions? telemetry = null, Action<HostApplicationBuilder>? configureHost = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(silos, 1);
        var ports = Enumerable.Range(0, silos).Select(_ => (LocalPorts.Reserve(), LocalPorts.Reserve())).ToArray();
        var cluster = new EmbeddedCluster(AdjustableTimeProvider.Frozen(), new SharedMemoryGrainStore(), ports,
            telemetry ?? new TelemetryOptions(), configureHost);
        for (var silo = 0; silo < silos; silo++)
        {
            await cluster.StartSiloAsync(silo, cancellationToken);
        }

        return cluster;
    }

    public async Task KillAsync(int silo, CancellationToken cancellationToken = default)
    {
        RequireKillable(silo);
        IHost? host;
        lock (_lock)
        {
            host = _silos[silo];
            _silos[silo] = null;
        }

        if (host is null)
        {
            return;
        }

        // A cancelled token makes Orleans skip the graceful shutdown: no grain deactivates, no state
        // is handed over, the membership learns of the death from the other silos' probes.
        using var now = new CancellationTokenSource();
        await now.CancelAsync();
        try
        {
            await host.StopAsync(now.Token);
        }
        catch (OperationCanceledException)
        {
            // Expected: the stop was cut short on purpose.
        }

        host.Dispose();
    }

    public Task RestartAsync(int silo, CancellationToken cancellationToken = default)
    {
        RequireKillable(silo);
        lock (_lock)
        {
            if (_silos[silo] is not null)
            {
                return Task.CompletedTask;
            }
        }

        return StartSiloAsync(silo, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        // Secondaries first, so that the primary (the membership) goes last.
        for (var silo = _silos.Length - 1; silo >= 0; silo--)
        {
            if (_silos[silo] is { } host)
            {
                await host.StopAsync();
                host.Dispose();
                _silos[silo] = null;
            }
        }
    }

    /// <summary>
    /// Starts a silo on its ports; when one was taken between the probe and the bind (another process, or a
    /// restart after the port was reused), on fresh ones. Silo 0's ports change only before any other silo
    /// knows them: it is the first to start and is never killed.
    /// </summary>
    private async Task StartSiloAsync(int silo, CancellationToken cancellationToken)
    {
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartSiloOnItsPortsAsync(silo, cancellationToken);
                return;
            }
            catch (Exception error) when (attempt < attempts && LocalPorts.IsAddressInUse(error))
            {
                lock (_lock)
                {
                    _ports[silo] = (LocalPorts.Reserve(), LocalPorts.Reserve());
                }
            }
        }
    }

    private async Task StartSiloOnItsPortsAsync(int silo, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Critical);
        var (siloPort, gatewayPort) = _ports[silo];
        builder.UseOrleans(orleans =>
        {
            orleans
                .UseLocalhostClustering(siloPort, gatewayPort, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, _ports[0].SiloPort))
                .Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = GrantSimOptions.DefaultResponseTimeout)
                .AddGrantSim(_time, _telemetry.MaxTenantTags)
                .AddGrantSimSharedMemoryStorage(_store);
        });
        builder.AddGrantSimTelemetry(_telemetry, $"GrantSim.Client.Silo{silo}");
        _configureHost?.Invoke(builder);
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            // What did start (a listener, the membership's agent) stops without ceremony, as a killed silo does.
            using var now = new CancellationTokenSource();
            await now.CancelAsync();
            try
            {
                await host.StopAsync(now.Token);
            }
            catch (Exception stopping) when (stopping is OperationCanceledException or InvalidOperationException)
            {
                // Cut short on purpose, or refused by a silo that never reached Running: nothing more to stop.
            }

            host.Dispose();
            throw;
        }

        lock (_lock)
        {
            _silos[silo] = host;
        }
    }

    private IHost Silo(int silo) => _silos[silo] ?? throw new InvalidOperationException($"Silo {silo} is not running.");

    private void RequireKillable(int silo)
    {
        if (silo <= 0 || silo >= _silos.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(silo), silo, $"Silos 1..{_silos.Length - 1} may be killed; silo 0 holds the membership and the client.");
        }
    }
}
