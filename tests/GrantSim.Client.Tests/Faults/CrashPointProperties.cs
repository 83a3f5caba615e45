using GrantSim.Aws;
using GrantSim.Client.Hosting;
using GrantSim.Client.Invariants;
using GrantSim.Client.Simulation;
using GrantSim.Faults;
using GrantSim.Grains;
using GrantSim.Kms;
using GrantSim.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace GrantSim.Client.Tests.Faults;

/// <summary>Three embedded silos on one shared store, with crash points every test of the class arms in turn.</summary>
public sealed class CrashPointCluster : IAsyncLifetime
{
    public ArmedCrashPoints Points { get; } = new();

    public EmbeddedCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Cluster = await EmbeddedCluster.StartAsync(3, configureHost: host => host.Services.AddSingleton<ICrashPoints>(Points));

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// Every crash point, armed in turn: a seeded workload on three silos over one store (creates that
/// KMS faults roll back, pushes, pulls, deletes, revokes, key state changes) runs until the point is
/// passed for the n-th time, and there either the activation dies (nothing after the point runs, its
/// memory is gone, only what it stored survives) or the write at the point fails as a storage outage
/// would (the activation lives on with what it had in memory), by turns. Then the pending work is
/// finished, as the reminders would, and every invariant is checked (the history of every repository
/// and key among them, the failed call's outcome unknown). A coverage line says which points fired
/// with which fault; every one must, with each.
/// </summary>
public sealed class CrashPointProperties(CrashPointCluster fixture, ITestOutputHelper output) : IClassFixture<CrashPointCluster>
{
    /// <summary>GRANTSIM_CRASH_ROUNDS runs each point this many times, from different seeds and passages, crashing and failing the write by turns (CI: 2, one of each).</summary>
    private static readonly int Rounds = int.TryParse(Environment.GetEnvironmentVariable("GRANTSIM_CRASH_ROUNDS"), out var rounds) && rounds > 0 ? rounds : 2;

    /// <summary>Workloads tried per round until the armed point is passed often enough to fire.</summary>
    private const int SeedsPerRound = 6;

    private static long _nextAccount = 910_000_000_001;

    [Fact]
    public async Task ACrashOrAFailedWriteAtAnyPoint_LosesNothingAcknowledged_AndLeavesEveryInvariantHolding()
    {
        var fired = new List<(string Point, CrashAction Action)>();
        var failures = new List<string>();
        var workloads = 0;
        foreach (var point in CrashPoints.All)
        {
            for (var round = 0; round < Rounds; round++)
            {
                var action = round % 2 == 0 ? CrashAction.Crash : CrashAction.FailWrite;
                // A seed's workload may never pass a point (a rollback needs a create that fails after a grant): try a few.
                for (var attempt = 0; attempt < SeedsPerRound; attempt++)
                {
                    var seed = SeedFor(point, round, attempt);
                    workloads++;
                    var (didFire, broken) = await RunAsync(point, occurrence: 1 + (round / 2 % 3), action, seed);
                    failures.AddRange(broken.Select(b => $"{point} {action} (round {round}, seed {seed}): {b}"));
                    if (didFire)
                    {
                        fired.Add((point, action));
                        break;
                    }
                }
            }
        }

        var actions = Rounds > 1 ? new[] { CrashAction.Crash, CrashAction.FailWrite } : [CrashAction.Crash];
        var never = CrashPoints.All.SelectMany(point => actions.Select(action => (Point: point, Action: action))).Except(fired)
            .Select(missed => $"{missed.Point} ({missed.Action})").ToArray();
        output.WriteLine($"crash points: {CrashPoints.All.Count}, each armed {Rounds} time(s), in {workloads} workloads; fired {fired.Select(f => f.Point).Distinct().Count()} of them {fired.Count} time(s): "
            + $"{fired.Count(f => f.Action == CrashAction.Crash)} crashes, {fired.Count(f => f.Action == CrashAction.FailWrite)} failed writes; never fired: {(never.Length == 0 ? "none" : string.Join(", ", never))}");
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        Assert.Empty(failures);
        Assert.Empty(never);
    }

    private async Task<(bool Fired, IReadOnlyList<string> Broken)> RunAsync(string point, int occurrence, CrashAction action, int seed)
    {
        var grains = fixture.Cluster.Client;
        var account = Interlocked.Increment(ref _nextAccount);
        var options = new SimulationOptions
        {
            Tenants = 1, Operations = 45, Seed = seed, FirstAccount = account, Regions = [Regions.UsEast1],
            Mix =
            [
                (OperationKinds.CreateRepository, 25), (OperationKinds.PushImage, 25), (OperationKinds.PullImage, 15),
                (OperationKinds.DeleteRepository, 15), (OperationKinds.RevokeGrants, 3), (OperationKinds.DisableKey, 2),
                (OperationKinds.EnableKey, 4), (OperationKinds.RetireLeftoverGrants, 4),
            ],
        };
        var world = await World.CreateAsync(grains, World.AccountsFor(account, 1), options.Regions);
        // Some CreateGrants and RetireGrants fail, so that creates roll back and deletes leave grants to report.
        await grains.GetGrain<ITenantSettingsGrain>(world.Accounts[0]).Set(TimeSpan.Zero, new FaultPlan(seed,
        [
            new FaultRule(KmsOperations.CreateGrant, AwsErrorCodes.KmsInternal, 0.3),
            new FaultRule(KmsOperations.RetireGrant, AwsErrorCodes.Throttling, 0.3),
        ]));

        fixture.Points.Arm(point, occurrence, action);
        var runner = new SimulationRunner(grains, new ClusterClock(grains), world, options);
        await runner.RunAsync();
        var fired = fixture.Points.FiredSinceArmed;
        fixture.Points.Disarm();
        await grains.GetGrain<ITenantSettingsGrain>(world.Accounts[0]).Set(TimeSpan.Zero, FaultPlan.None);

        var checker = new InvariantChecker(grains, world, runner.Ledger, TimeSpan.Zero);
        await checker.SettleAsync();
        var report = await checker.CheckAsync(await checker.ReadStateAsync());
        return (fired, report.Results.Where(r => !r.Held).SelectMany(r => r.Violations.Select(v => $"invariant {r.Number}: {v}")).ToArray());
    }

    /// <summary>
    /// The same seeds in every process (string.GetHashCode and HashCode.Combine are randomized per process,
    /// which made the workloads, and so which points they reach, differ from run to run).
    /// </summary>
    private static int SeedFor(string point, int round, int attempt)
    {
        var hash = 2166136261u;
        foreach (var c in $"{point}/{round}/{attempt}")
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7fffffff);
    }
}
