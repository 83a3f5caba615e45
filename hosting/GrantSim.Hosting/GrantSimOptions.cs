namespace GrantSim.Hosting;

public enum Backend
{
    /// <summary>Localhost clustering, in-memory storage and reminders: one process, nothing to install.</summary>
    Embedded,

    /// <summary>Orleans Redis clustering, Redis grain storage and Redis reminders: a real cluster of silo processes.</summary>
    Redis,
}

public enum ClockMode
{
    /// <summary>The wall clock plus whatever the simulation has advanced (standalone silos and clusters).</summary>
    Wall,

    /// <summary>Standing still at a fixed instant until advanced (the embedded simulation, for exact replays).</summary>
    Frozen,
}

/// <summary>
/// The <c>GrantSim</c> configuration section, the same for silos and clients:
/// <c>appsettings.json</c> or environment variables such as <c>GrantSim__Backend=Redis</c>,
/// <c>GrantSim__Redis__ConnectionString=localhost:6379</c>, <c>GrantSim__Silo__SiloPort=11112</c>.
/// </summary>
public sealed class GrantSimOptions
{
    public const string Section = "GrantSim";

    public Backend Backend { get; set; } = Backend.Embedded;

    public ClockMode Clock { get; set; } = ClockMode.Wall;

    public RedisOptions Redis { get; set; } = new();

    public SiloEndpointOptions Silo { get; set; } = new();

    /// <summary>Exporters and log format: <c>GrantSim:Telemetry</c> (docs/observability.md).</summary>
    public TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>
    /// How long a call may wait for its answer (Orleans' default is 30 s). A call in flight to a
    /// silo that dies gets no answer at all, so this bounds how long a caller is stuck behind a crash.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = DefaultResponseTimeout;

    /// <summary>
    /// Shorter than Orleans' 30 s: a call to a killed silo's grain should fail over quickly, and nothing
    /// GrantSim does legitimately takes a second. The embedded cluster uses it too.
    /// </summary>
    public static readonly TimeSpan DefaultResponseTimeout = TimeSpan.FromSeconds(10);

    public string ClusterId { get; set; } = "grantsim";

    public string ServiceId { get; set; } = "grantsim";

    /// <summary>Throws the one-line <see cref="SettingException"/> of the first setting that makes no sense.</summary>
    public void Validate()
    {
        if (Invalid() is { } problem)
        {
            throw new SettingException(problem);
        }
    }

    /// <summary>The first setting that makes no sense, named as an environment variable names it, or null.</summary>
    public string? Invalid()
    {
        const string prefix = "GrantSim__";
        if (Backend == Backend.Redis && string.IsNullOrWhiteSpace(Redis.ConnectionString))
        {
            return $"{prefix}Backend is Redis, so {prefix}Redis__ConnectionString must name the Redis server, e.g. localhost:6379.";
        }

        foreach (var (name, port, zeroAllowed) in new[]
                 {
                     ("Silo__SiloPort", Silo.SiloPort, false), ("Silo__GatewayPort", Silo.GatewayPort, false),
                     ("Silo__PrimaryGatewayPort", Silo.PrimaryGatewayPort, false), ("Silo__WebPort", Silo.WebPort, true),
                 })
        {
            if (port < (zeroAllowed ? 0 : 1) || port > 65535)
            {
                return $"{prefix}{name} is {port}, which is not a port number ({(zeroAllowed ? 0 : 1)} to 65535).";
            }
        }

        if (Silo.AdvertisedAddress is { Length: > 0 } address && !System.Net.IPAddress.TryParse(address, out _))
        {
            return $"{prefix}Silo__AdvertisedAddress is '{address}', which is not an IP address (leave it empty for the machine's own).";
        }

        if (ResponseTimeout <= TimeSpan.Zero)
        {
            return $"{prefix}ResponseTimeout is {ResponseTimeout}, which is not a positive time (e.g. 00:00:10).";
        }

        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId))
        {
            return $"{prefix}{(string.IsNullOrWhiteSpace(ClusterId) ? "ClusterId" : "ServiceId")} must not be empty.";
        }

        return Telemetry.Invalid($"{prefix}Telemetry__");
    }
}

public sealed class RedisOptions
{
    public string ConnectionString { get; set; } = "";
}

/// <summary>Where a silo listens and what it tells the others. An empty advertised address means the first non-loopback address of the machine (right inside a container).</summary>
public sealed class SiloEndpointOptions
{
    public string? AdvertisedAddress { get; set; }

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>The web port: the Orleans dashboard and /health.</summary>
    public int WebPort { get; set; } = 8080;

    /// <summary>With the embedded backend, the gateway of the silo clients connect to.</summary>
    public int PrimaryGatewayPort { get; set; } = 30000;
}
