using GrantSim.Client.Hosting;
using GrantSim.Client.Simulation;
using GrantSim.EndToEnd.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Messaging;
using Xunit.Abstractions;

namespace GrantSim.EndToEnd.Tests.Cluster;

/// <summary>
/// The simulation client against three silo processes on Redis, its gateway silo killed with SIGKILL
/// at chosen calls — before a call, while a call is in flight, between two calls — again and again.
/// The client must never end early: every call is answered, retried (reads), or recorded as an
/// unknown outcome, and the invariants still hold.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class GatewayDeathTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task TheSimulation_SurvivesItsGatewayKilled_BeforeDuringAndBetweenCalls()
    {
        await using var cluster = await RedisCluster.StartAsync(silos: 3);
        var gateways = new OneGatewayList(cluster.Silos[0].GatewayPort);
        // Each point twice, at calls well inside the run (the world's set-up takes about a hundred calls).
        var points = new[] { KillPoint.BeforeTheCall, KillPoint.DuringTheCall, KillPoint.BetweenCalls };
        var plan = Enumerable.Range(0, 6).ToDictionary(i => 200 + (i * 150), i => points[i % points.Length]);
        var killer = new GatewayKiller(cluster, gateways, plan);
        await using var connection = await ClusterConnection.ConnectAsync(cluster.ClientOptions, configureClient: client =>
        {
            client.Services.AddSingleton<IGatewayListProvider>(gateways);
            client.AddOutgoingGrainCallFilter(killer);
        });

        var options = new SimulationOptions { Operations = 400, Seed = 23, FirstAccount = 777700000001 };
        var (summary, settled) = await SimulationSession.RunAsync(connection, options);

        foreach (var kill in killer.Kills)
        {
            output.WriteLine($"call #{kill.CallNumber} {kill.Call}: gateway {kill.KilledSilo} killed {kill.Point}; the call ended {kill.Outcome}; 3 silos again after {kill.HealedIn.TotalSeconds:0.0} s");
        }

        output.WriteLine($"{summary.Operations} operations in {summary.ElapsedSeconds:0.0} s, {settled} interrupted creates/deletes finished; outcomes: "
            + string.Join(", ", summary.OperationsByKind.SelectMany(k => k.Value).GroupBy(o => o.Key.Split('(')[0]).Select(g => $"{g.Key} {g.Sum(o => o.Value)}")));
        Assert.Equal(plan.Keys.Order(), killer.Kills.Select(k => k.CallNumber).Order());
        Assert.All(killer.Kills, k => Assert.DoesNotContain("crashed", k.Outcome, StringComparison.Ordinal));
        Assert.Equal(options.Operations, summary.Operations);
        Assert.True(summary.AllInvariantsHeld, string.Join(Environment.NewLine, summary.Invariants.Where(i => !i.Held).SelectMany(i => i.Violations)));
    }
}
