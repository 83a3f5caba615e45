using System.Net.Http.Json;
using System.Text.Json;

namespace GrantSim.EndToEnd.Tests.Support;

/// <summary>One silo process of a Redis-backed cluster, configured only by environment variables, as in docker-compose.yml.</summary>
public sealed class SiloProcess : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private SiloProcess(ManagedProcess process, int siloPort, int gatewayPort, int webPort)
    {
        Process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        WebPort = webPort;
    }

    public ManagedProcess Process { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public int WebPort { get; }

    public static SiloProcess Start(string name, string redisConnectionString, string clusterId)
    {
        if (!File.Exists(Repository.SiloDll))
        {
            throw new InvalidOperationException($"The silo is not built at {Repository.SiloDll}.");
        }

        var (siloPort, gatewayPort, webPort) = (Ports.Free(), Ports.Free(), Ports.Free());
        var environment = new Dictionary<string, string>
        {
            ["GrantSim__Backend"] = "Redis",
            ["GrantSim__Redis__ConnectionString"] = redisConnectionString,
            ["GrantSim__ClusterId"] = clusterId,
            ["GrantSim__Silo__AdvertisedAddress"] = "127.0.0.1",
            ["GrantSim__Silo__SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GrantSim__Silo__GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GrantSim__Silo__WebPort"] = webPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Several silos run on one machine and these tests do not use the AWS endpoint: off, rather than all wanting 4566.
            ["GrantSim__Aws__Port"] = "0",
        };
        return new SiloProcess(ManagedProcess.Start(name, "dotnet", [Repository.SiloDll], environment), siloPort, gatewayPort, webPort);
    }

    /// <summary>The active members this silo sees, from its /health.</summary>
    public async Task<IReadOnlyList<string>> ActiveMembersAsync()
    {
        using var health = await Http.GetFromJsonAsync<JsonDocument>($"http://127.0.0.1:{WebPort}/health");
        return health!.RootElement.GetProperty("activeMembers").EnumerateArray().Select(m => m.GetString()!).ToArray();
    }

    public void Kill() => Process.Kill();

    /// <summary>SIGSTOP: the process stays, its sockets stay open, and it answers nothing until it is continued or killed.</summary>
    public void Pause() => Process.Signal("STOP");

    public void Dispose() => Process.Dispose();
}
