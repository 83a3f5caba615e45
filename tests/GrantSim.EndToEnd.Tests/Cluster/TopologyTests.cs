using GrantSim.EndToEnd.Tests.Support;

namespace GrantSim.EndToEnd.Tests.Cluster;

/// <summary>The two ways to run a cluster that the README gives: docker-compose (validated, as there is no Docker engine) and scripts/cluster.sh.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class TopologyTests
{
    [SkippableFact]
    public async Task ComposeFile_IsValid_AndNamesRedisThreeSilosAndTheClient()
    {
        var compose = ExternalProgram.Require("docker-compose", "docker-compose");
        using var process = ManagedProcess.Start("docker-compose", compose, ["-f", Path.Combine(Repository.Root, "docker-compose.yml"), "config", "--services"]);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.True(exitCode == 0, process.Output);
        var services = process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order().ToArray();
        Assert.Equal(["client", "redis", "silo1", "silo2", "silo3"], services);
    }

    [SkippableFact]
    public async Task ClusterScript_StartsThreeSilosOnRedis_ReportsThem_AndStopsThem()
    {
        ExternalProgram.Require("redis-server", "redis-server");
        ExternalProgram.Require("curl", "curl");
        var state = Path.Combine(Path.GetTempPath(), $"grantsim-cluster-{Guid.NewGuid():N}");
        var environment = new Dictionary<string, string>
        {
            ["STATE_DIR"] = state,
            ["REDIS_PORT"] = Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CLUSTER_ID"] = "script-" + Guid.NewGuid().ToString("N")[..6],
            ["PORT_OFFSET"] = (Random.Shared.Next(100, 900) * 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var script = Path.Combine(Repository.Root, "scripts", "cluster.sh");
        try
        {
            using var up = ManagedProcess.Start("cluster.sh up", "bash", [script, "up"], environment);
            Assert.True(await up.WaitForExitAsync(TimeSpan.FromMinutes(5)) == 0, up.Output);
            Assert.Equal(3, up.Output.Split('\n').Count(line => line.StartsWith("silo", StringComparison.Ordinal) && line.Contains("members seen: 3", StringComparison.Ordinal)));
        }
        finally
        {
            using var down = ManagedProcess.Start("cluster.sh down", "bash", [script, "down"], environment);
            await down.WaitForExitAsync(TimeSpan.FromMinutes(1));
            using var status = ManagedProcess.Start("cluster.sh status", "bash", [script, "status"], environment);
            await status.WaitForExitAsync(TimeSpan.FromMinutes(1));
            Assert.Contains("redis   down", status.Output, StringComparison.Ordinal);
            Directory.Delete(state, recursive: true);
        }
    }
}
