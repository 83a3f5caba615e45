using GrantSim.EndToEnd.Tests.Support;

namespace GrantSim.EndToEnd.Tests.Cluster;

/// <summary>The two ways to run a cluster that the README gives: docker-compose (validated, as there is no Docker engine) and scripts/cluster.sh.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class TopologyTests(Xunit.Abstractions.ITestOutputHelper output)
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
    public async Task ClusterScript_StartsThreeSilosOnRedis_SurvivesTheChaosClientKillingTwo_AndStopsThem()
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

            // The chaos client against those processes, killing (kill -9) and restarting silos 2 and 3 through the script.
            var client = new Dictionary<string, string>(environment)
            {
                ["NO_COLOR"] = "1",
                ["GrantSim__Backend"] = "Redis",
                ["GrantSim__Redis__ConnectionString"] = $"127.0.0.1:{environment["REDIS_PORT"]}",
                ["GrantSim__ClusterId"] = environment["CLUSTER_ID"],
                ["GrantSim__SiloControl__Killable__0"] = "2",
                ["GrantSim__SiloControl__Killable__1"] = "3",
                ["GrantSim__SiloControl__KillCommand"] = $"bash {script} kill {{silo}}",
                ["GrantSim__SiloControl__RestartCommand"] = $"bash {script} start {{silo}}",
            };
            using var chaos = ManagedProcess.Start("chaos --cluster", "dotnet",
                [Repository.ClientDll, "chaos", "--cluster", "--scenario", "silo-crash", "--operations", "80", "--tenants", "1", "--first-account", "820000000001"], client);
            var chaosExit = await chaos.WaitForExitAsync(TimeSpan.FromMinutes(6));
            output.WriteLine(chaos.Tail(30));
            Assert.True(chaosExit == 0, $"chaos exited {chaosExit}:{Environment.NewLine}{chaos.Tail(80)}");
            Assert.Contains("All 1 scenario(s) passed: 0 pushes lost, 0 grants leaked", chaos.Output, StringComparison.Ordinal);
            Assert.Contains("silo killed: 2", chaos.Output, StringComparison.Ordinal);

            using var status = ManagedProcess.Start("cluster.sh status", "bash", [script, "status"], environment);
            await status.WaitForExitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(3, status.Output.Split('\n').Count(line => line.StartsWith("silo", StringComparison.Ordinal) && line.Contains("members seen: 3", StringComparison.Ordinal)));
        }
        finally
        {
            using var down = ManagedProcess.Start("cluster.sh down", "bash", [script, "down"], environment);
            await down.WaitForExitAsync(TimeSpan.FromMinutes(1));
            using var stopped = ManagedProcess.Start("cluster.sh status", "bash", [script, "status"], environment);
            await stopped.WaitForExitAsync(TimeSpan.FromMinutes(1));
            Assert.Contains("redis   down", stopped.Output, StringComparison.Ordinal);
            Directory.Delete(state, recursive: true);
        }
    }
}
