namespace GrantSim.EndToEnd.Tests.Support;

/// <summary>A redis-server of the test's own, on a free loopback port, keeping data in memory only.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly ManagedProcess _process;

    private RedisServer(ManagedProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var redis = ExternalProgram.Require("redis-server", "redis-server");
        var port = Ports.Free();
        var process = ManagedProcess.Start("redis", redis, ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        var server = new RedisServer(process, port);
        await Eventually.HoldsAsync(() => Task.FromResult(process.Output.Contains("Ready to accept connections", StringComparison.Ordinal) || process.HasExited),
            TimeSpan.FromSeconds(20), "redis-server to start");
        return process.HasExited ? throw new InvalidOperationException("redis-server exited: " + process.Tail()) : server;
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
