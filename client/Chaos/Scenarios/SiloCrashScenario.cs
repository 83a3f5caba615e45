using GrantSim.Client.Hosting;
using GrantSim.Client.Simulation;

namespace GrantSim.Client.Chaos.Scenarios;

/// <summary>
/// Silos killed (no graceful hand-over) and restarted while the tenants push, pull, create and
/// delete. Nothing acknowledged may be lost: the storage outlives the silos, and creates or deletes
/// cut short by a kill are finished afterwards from their persisted steps.
/// </summary>
public sealed class SiloCrashScenario : ChaosScenario
{
    public override string? TimingDependence =>
        "it kills silos while calls are in flight: which calls a dying silo leaves unanswered, and where they stood, is timing";

    public override string Name => "silo-crash";

    public override int AccountBlock => 0;

    public override string Description => "Silos killed and restarted while tenants push, pull, create and delete; nothing acknowledged is lost.";

    public override string? CannotRunBecause(ISiloControl? silos) =>
        silos is { Killable.Count: > 0 } ? null
        : "silo-crash needs silos it may kill: on the embedded cluster it starts three; with --cluster, configure GrantSim:SiloControl (Killable, KillCommand, RestartCommand; see docs/chaos.md).";

    public override async Task RunAsync(ScenarioContext context)
    {
        var silos = context.Silos!;
        var killable = silos.Killable;
        // Two kills, of different silos when there are two to choose from.
        var pick = context.Random.Next(killable.Count);
        var first = killable[pick];
        var second = killable[(pick + 1) % killable.Count];
        var kills = new List<(int Silo, double KilledAt)>();
        var log = context.Runner.Log;

        Func<Task> Kill(int silo) => async () =>
        {
            var label = $"silo {silo} down";
            context.Faults.Open(label);
            context.Faults.CountInjected("silo killed");
            lock (kills)
            {
                kills.Add((silo, log.ElapsedSeconds));
            }

            await silos.KillAsync(silo, context.Cancellation);
        };

        Func<Task> Restart(int silo) => async () =>
        {
            await silos.RestartAsync(silo, context.Cancellation);
            context.Faults.CountInjected("silo restarted");
            context.Faults.Close($"silo {silo} down");
        };

        // Kills run beside the workload, so that calls are in flight on the dying silo; each restart
        // waits for its kill, then runs between two operations.
        await context.RunWorkloadAsync(1.0,
        [
            new PlannedEvent(0.20, $"kill silo {first}", Kill(first), Background: true),
            new PlannedEvent(0.45, $"restart silo {first}", async () => { await context.WaitForBackgroundEventsAsync(); await Restart(first)(); }),
            new PlannedEvent(0.55, $"kill silo {second}", Kill(second), Background: true),
            new PlannedEvent(0.80, $"restart silo {second}", async () => { await context.WaitForBackgroundEventsAsync(); await Restart(second)(); }),
        ]);

        // Calls succeed again after each kill: the first acknowledged operation that started after it.
        var samples = log.Samples();
        var violations = new List<string>();
        foreach (var (number, (silo, killedAt)) in kills.Select((k, i) => (i + 1, k)))
        {
            var firstOk = samples.Where(s => s.StartSecond >= killedAt && s.Outcome == OperationKinds.Ok).Select(s => (double?)s.StartSecond + (s.LatencyMilliseconds / 1000)).FirstOrDefault();
            if (firstOk is null)
            {
                violations.Add($"no operation succeeded after silo {silo} was killed at {killedAt:0.0} s");
            }
            else
            {
                context.Figure($"kill {number} (silo {silo}): seconds to the next acknowledged call", firstOk.Value - killedAt);
            }
        }

        context.Check("Calls succeed again after every silo kill", kills.Count, violations);

        var active = await ClusterRetry.RunAsync(() => context.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true), cancellationToken: context.Cancellation);
        context.Figure("active silos after the restarts", active.Count);
        context.Check("Every killed silo rejoined the cluster", killable.Count + 1,
            active.Count >= killable.Count + 1 ? [] : [$"{active.Count} active silos after the restarts; expected at least {killable.Count + 1}"]);
        context.Figure("operations left unanswered by a dying silo (settled from the real state)", samples.Count(s => OperationLog.IsUnknown(s.Outcome)));
    }
}
