using System.Globalization;
using System.Text.Json;
using GrantSim.Client.Hosting;
using GrantSim.EndToEnd.Tests.Support;
using GrantSim.Hosting;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>
/// One silo process (embedded backend) with its AWS endpoint on a free port, shared by the AWS
/// tests (a fixture of the end-to-end collection, so they run one at a time with the others). Its tenants file gives every test its own account and access key (<see cref="Tenant"/>),
/// so tests never see each other's keys, repositories or grants. A grain client connected to the
/// silo's gateway lets tests look at what is stored.
/// </summary>
public sealed class AwsSilo : IAsyncLifetime
{
    /// <summary>The tenants: account <c>7400000000NN</c>, access key <c>AKIDE2ENN</c>, secret <c>secret-NN</c>, signing as the root.</summary>
    public const int Tenants = 24;

    private ManagedProcess? _process;
    private ClusterConnection? _grains;

    public int AwsPort { get; private set; }

    /// <summary>The web port: /health (members, uploads in progress).</summary>
    public int WebPort { get; private set; }

    public string Endpoint => $"http://127.0.0.1:{AwsPort}";

    public IClusterClient Grains => _grains?.Client ?? throw new InvalidOperationException("The silo has not started.");

    public string Output => _process?.Tail(80) ?? "";

    /// <summary>Everything the silo has written to stdout and stderr.</summary>
    public string FullOutput => _process?.Output ?? "";

    /// <summary>The silo's default log level (the shared silo: Warning; a test that reads its logs asks for more).</summary>
    public string LogLevel { get; init; } = "Warning";

    /// <summary>The registry tokens' secret; none (a random one per process) unless a test needs to know it.</summary>
    public string? TokenSecret { get; init; }

    /// <summary>The silo's process id (its CPU time is in /proc/ID/stat).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The silo has not started.");

    public static (string Account, string AccessKeyId, string Secret) Tenant(int number) =>
        ($"7400000000{number:D2}", $"AKIDE2E{number:D2}", $"secret-{number:D2}");

    private readonly SemaphoreSlim _starting = new(1, 1);

    /// <summary>Nothing starts with the collection: the silo starts when the first AWS test asks for it.</summary>
    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Starts the silo on first use; later calls return at once.</summary>
    public async Task StartAsync()
    {
        await _starting.WaitAsync();
        try
        {
            if (_process is null)
            {
                await StartProcessAsync();
            }
        }
        finally
        {
            _starting.Release();
        }
    }

    private async Task StartProcessAsync()
    {
        if (!File.Exists(Repository.SiloDll))
        {
            throw new InvalidOperationException($"The silo is not built at {Repository.SiloDll}.");
        }

        var tenantsFile = Path.Combine(Path.GetTempPath(), $"grantsim-aws-tenants-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(tenantsFile, JsonSerializer.Serialize(new
        {
            tenants = Enumerable.Range(1, Tenants).Select(n => Tenant(n)).Select(t => new
            {
                account = t.Account,
                principals = Array.Empty<object>(),
                accessKeys = new[] { new { accessKeyId = t.AccessKeyId, secretAccessKey = t.Secret, principal = "root" } },
            }),
        }));

        var (siloPort, gatewayPort, webPort) = (Ports.Free(), Ports.Free(), Ports.Free());
        WebPort = webPort;
        var clusterId = "aws-" + Guid.NewGuid().ToString("N")[..6];
        AwsPort = Ports.Free();
        _process = ManagedProcess.Start("silo (AWS endpoint)", "dotnet", [Repository.SiloDll], new Dictionary<string, string>
        {
            ["GrantSim__Backend"] = "Embedded",
            ["GrantSim__ClusterId"] = clusterId,
            ["GrantSim__Silo__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["GrantSim__Silo__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["GrantSim__Silo__WebPort"] = webPort.ToString(CultureInfo.InvariantCulture),
            ["GrantSim__Aws__Port"] = AwsPort.ToString(CultureInfo.InvariantCulture),
            ["GrantSim__Aws__TenantsFile"] = tenantsFile,
            ["Logging__LogLevel__Default"] = LogLevel,
            ["Logging__LogLevel__GrantSim"] = LogLevel,
            ["GrantSim__Aws__TokenSecret"] = TokenSecret ?? "",
        });

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.HoldsAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("The silo exited: " + _process.Tail());
            }

            using var response = await http.GetAsync(new Uri($"{Endpoint}/v2/"));
            return (int)response.StatusCode == 401;
        }, TimeSpan.FromSeconds(60), "the silo's AWS endpoint to answer");

        var options = new GrantSimOptions { Backend = Backend.Embedded, ClusterId = clusterId };
        options.Silo.PrimaryGatewayPort = gatewayPort;
        _grains = await ClusterConnection.ConnectAsync(options);
    }

    public async Task DisposeAsync()
    {
        if (_grains is not null)
        {
            await _grains.DisposeAsync();
        }

        _process?.Dispose();
        _starting.Dispose();
    }
}
