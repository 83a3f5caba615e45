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
/// passed for the n-th time, and the activation dies there — nothing after the point runs, its memory
/// is gone, only what it stored survives. Then the pending work is finished, as the reminders would,
/// and every invariant is checked (the history of every repository and key among them, the dying
/// call's outcome unknown). A coverage line says which points fired; every one must.
/// </summary>
public sealed class CrashPointProperties(CrashPointCluster fixture, ITestOutputHelper output) : IClassFixture<CrashPointCluster>
{
    /// <summary>GRANTSIM_CRASH_ROUNDS runs each point this many times, from different seeds and passages (CI: 2).</summary>
    private static readonly int Rounds = int.TryParse(Environment.GetEnvironmentVariable("GRANTSIM_CRASH_ROUNDS"), out var rounds) && rounds > 0 ? rounds : 2;

    private static long _nextAccount = 910_000_000_001;

    [Fact]
    public async Task ACrashAtAnyPoint_LosesNothingAcknowledged_AndLeavesEveryInvariantHolding()
    {
        var fired = new List<string>();
        var failures = new List<string>();
        foreach (var point in CrashPoints.All)
        {
            for (var round = 0; round < Rounds; round++)
            {
                var seed = HashCode.Combine(point.GetHashCode(StringComparison.Ordinal), round) & 0x7fffffff;
                var (didFire, broken) = await RunAsync(point, occurrence: 1 + (round % 3), seed);
                if (didFire)
                {
                    fired.Add(point);
                }

                failures.AddRange(broken.Select(b => $"{point} (round {round}, seed {seed}): {b}"));
            }
        }

        var never = CrashPoints.All.Except(fired).ToArray();
        output.WriteLine($"crash points: {CrashPoints.All.Count}, each armed {Rounds} time(s); fired {fired.Distinct().Count()} of them {fired.Count} time(s); never reached: {(never.Length == 0 ? "none" : string.Join(", ", never))}");
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        Assert.Empty(failures);
        Assert.Empty(never);
    }

    private async Task<(bool Fired, IReadOnlyList<string> Broken)> RunAsync(string point, int occurrence, int seed)
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

        fixture.Points.Arm(point, occurrence, CrashAction.Crash);
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
}
