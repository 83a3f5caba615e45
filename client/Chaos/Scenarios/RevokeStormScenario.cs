using GrantSim.Client.Images;
using GrantSim.Client.Simulation;
using GrantSim.Ecr;
using GrantSim.Simulation;

namespace GrantSim.Client.Chaos.Scenarios;

/// <summary>
/// Key administrators revoke ECR's grants across many repositories while two clients pull from
/// them. With no propagation delay, a revoke is effective when it returns: every pull that started
/// after its repository's revoke returned fails, and every pull that ended before the revoke began
/// succeeds. Pulls that overlap the revoke may go either way. Events are ordered by one counter
/// that every pull and revoke ticks at its start and end.
/// </summary>
public sealed class RevokeStormScenario : ChaosScenario
{
    private const string Window = "revoke storm";

    public override string Name => "revoke-storm";

    public override int AccountBlock => 3;

    public override string Description => "Key administrators revoke ECR's grants across many repositories during pulls; every pull after a revoke fails, none before it does.";

    public override IReadOnlyList<(string Kind, int Weight)> Mix =>
    [
        (OperationKinds.CreateRepository, 40),
        (OperationKinds.PushImage, 40),
        (OperationKinds.PullImage, 20),
        .. SimulationRunner.FeatureMix,
    ];

    public override async Task RunAsync(ScenarioContext context)
    {
        // No propagation delay: the promise is about the moment a revoke returns.
        await context.SetTenantSettingsAsync(FaultPlan.None, TimeSpan.Zero);
        await context.RunWorkloadAsync(0.2, progressTo: 0.2);

        // Repositories under KMS, each with an image to pull.
        var targets = new List<(RepositoryTrack Track, PushedImage Image)>();
        var wanted = Math.Max(4, context.OperationsFor(0.1));
        for (var i = 0; targets.Count < wanted && i < wanted * 2; i++)
        {
            var (account, region) = context.World.TenantRegions.ElementAt(i % context.World.TenantRegions.Count());
            var track = context.Ledger.Track(account, region, $"storm-{i}");
            if ((await context.Runner.CreateRepositoryAsync(track, new EncryptionConfiguration(EncryptionType.Kms))).Ok
                && (await context.Runner.PushImageAsync(track)).Ok)
            {
                targets.Add((track, track.Images[^1]));
            }
        }

        context.ReportProgress(0.3);
        var order = targets.OrderBy(_ => context.Random.Next()).ToArray();
        var pullsWanted = Math.Max(order.Length * 4, context.OperationsFor(0.6));
        var tick = 0L;
        var revokes = new Dictionary<RepositoryTrack, (long Start, long End, bool Ok)>();
        var pulls = new List<(RepositoryTrack Track, long Start, long End, OperationResult Result)>();
        var pullsDone = 0;
        using var pacing = new SemaphoreSlim(0);

        // Two pullers over all targets; the revoker revokes one repository after every few pulls.
        async Task Puller(int seed)
        {
            var random = new Random(seed);
            while (Interlocked.Increment(ref pullsDone) <= pullsWanted)
            {
                var (track, image) = order[random.Next(order.Length)];
                var start = Interlocked.Increment(ref tick);
                var result = await context.Runner.PullImageAsync(track, image);
                var end = Interlocked.Increment(ref tick);
                lock (pulls)
                {
                    pulls.Add((track, start, end, result));
                }

                pacing.Release();
                context.ReportProgress(0.3 + (0.6 * Math.Min(1, (double)pullsDone / pullsWanted)));
            }

            // Pulls are over: let the revoker finish whatever it has left.
            pacing.Release(pullsWanted + order.Length);
        }

        async Task Revoker()
        {
            var every = Math.Max(1, pullsWanted / (order.Length + 1));
            context.Faults.Open(Window);
            foreach (var (track, _) in order)
            {
                for (var i = 0; i < every; i++)
                {
                    await pacing.WaitAsync(context.Cancellation);
                }

                var start = Interlocked.Increment(ref tick);
                var result = await context.Runner.RevokeRepositoryGrantsAsync(track);
                var end = Interlocked.Increment(ref tick);
                context.Faults.CountInjected("repositories whose grants were revoked");
                lock (revokes)
                {
                    revokes[track] = (start, end, result.Ok);
                }
            }

            context.Faults.Close(Window);
        }

        await Task.WhenAll(Puller(context.Options.Seed), Puller(context.Options.Seed + 1), Revoker());

        var before = 0;
        var after = 0;
        var overlapping = 0;
        var violations = new List<string>();
        foreach (var (track, start, end, result) in pulls)
        {
            if (!revokes.TryGetValue(track, out var revoke) || end < revoke.Start)
            {
                before++;
                if (!result.Ok)
                {
                    violations.Add($"{track.Name}: a pull before its revoke failed with {result.Outcome}");
                }
            }
            else if (start > revoke.End && revoke.Ok)
            {
                after++;
                if (result.Ok)
                {
                    violations.Add($"{track.Name}: a pull after its grants were revoked succeeded");
                }
            }
            else
            {
                overlapping++;
            }
        }

        context.Check("Every pull after a revoke fails, none before it does", before + after, violations);
        context.Check("Every revoke succeeded", revokes.Count, revokes.Where(r => !r.Value.Ok).Select(r => $"revoking the grants of {r.Key.Name} failed").ToArray());
        context.Figure("pulls before their repository's revoke (all succeeded)", before);
        context.Figure("pulls after their repository's revoke (all failed)", after);
        context.Figure("pulls overlapping a revoke (either outcome allowed)", overlapping);

        await context.RunWorkloadAsync(0.1, progressFrom: 0.9);
    }
}
