using GrantSim.Client.Hosting;
using GrantSim.Hosting;

namespace GrantSim.EndToEnd.Tests.Support;

/// <summary>redis-server and N silo processes on loopback: the docker-compose topology without Docker.</summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private readonly List<SiloProcess> _silos = [];

    private RedisCluster(RedisServer redis)
    {
        Redis = redis;
        ClusterId = NewClusterId();
    }

    public RedisServer Redis { get; }

    /// <summary>The deployment's id: membership is per cluster id, grain state and reminders per service id (the same for every deployment).</summary>
    public string ClusterId { get; private set; }

    public IReadOnlyList<SiloProcess> Silos => _silos;

    public GrantSimOptions ClientOptions => new() { Backend = Backend.Redis, ClusterId = ClusterId, Redis = { ConnectionString = Redis.ConnectionString } };

    public IReadOnlyDictionary<string, string> ClientEnvironment => new Dictionary<string, string>
    {
        ["GrantSim__Backend"] = "Redis",
        ["GrantSim__Redis__ConnectionString"] = Redis.ConnectionString,
        ["GrantSim__ClusterId"] = ClusterId,
    };

    public static async Task<RedisCluster> StartAsync(int silos)
    {
        var cluster = new RedisCluster(await RedisServer.StartAsync());
        try
        {
            for (var i = 0; i < silos; i++)
            {
                cluster.StartSilo();
            }

            await cluster.WaitForMembersAsync(silos);
            return cluster;
        }
        catch (TimeoutException error)
        {
            // The caller never gets the cluster to dispose: stop its processes here, or they outlive the test run.
            var logs = cluster.Logs();
            await cluster.DisposeAsync();
            throw new TimeoutException($"{error.Message}{Environment.NewLine}{logs}", error);
        }
    }

    /// <summary>
    /// Kills every silo and starts as many new ones as a new deployment (a new cluster id, the same
    /// service id), the way Orleans clusters are redeployed: nothing waits for the dead silos to be
    /// voted out of a membership table, and all state and reminders carry over. Returns how long
    /// the new silos took to form the cluster.
    /// </summary>
    public async Task<TimeSpan> RestartAsNewDeploymentAsync()
    {
        var count = _silos.Count(s => !s.Process.HasExited);
        foreach (var silo in _silos)
        {
            silo.Kill();
        }

        ClusterId = NewClusterId();
        for (var i = 0; i < count; i++)
        {
            StartSilo();
        }

        return await WaitForMembersAsync(count);
    }

    private static string NewClusterId() => "e2e-" + Guid.NewGuid().ToString("N")[..8];

    public SiloProcess StartSilo()
    {
        var silo = SiloProcess.Start($"silo{_silos.Count + 1}", Redis.ConnectionString, ClusterId);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>Waits until a live silo sees exactly <paramref name="count"/> active members; returns how long that took.</summary>
    public Task<TimeSpan> WaitForMembersAsync(int count, TimeSpan? timeout = null) =>
        Eventually.HoldsAsync(async () =>
        {
            foreach (var silo in _silos.Where(s => !s.Process.HasExited))
            {
                return (await silo.ActiveMembersAsync()).Count == count;
            }

            return false;
        }, timeout ?? TimeSpan.FromSeconds(120), $"{count} active members");

    /// <summary>
    /// Waits until a live silo sees as active members exactly the silos whose processes run: the dead
    /// voted out and every new one joined (a count alone can be met by a dead silo not yet voted out).
    /// </summary>
    public Task<TimeSpan> WaitForLiveSilosAsMembersAsync(TimeSpan? timeout = null) =>
        Eventually.HoldsAsync(async () =>
        {
            var live = _silos.Where(s => !s.Process.HasExited).ToArray();
            if (live.Length == 0)
            {
                return false;
            }

            // A member reads S127.0.0.1:<silo port>:<generation>.
            var members = (await live[0].ActiveMembersAsync()).Select(m => int.Parse(m.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
            return members.Order().SequenceEqual(live.Select(s => s.SiloPort).Order());
        }, timeout ?? TimeSpan.FromSeconds(120), "the live silos to be exactly the active members");

    public Task<ClusterConnection> ConnectAsync() => ClusterConnection.ConnectAsync(ClientOptions);

    public string Logs() => string.Join(Environment.NewLine, _silos.Select(s => $"--- {s.Process.Name} ---{Environment.NewLine}{s.Process.Tail(15)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        await Redis.DisposeAsync();
    }
}
