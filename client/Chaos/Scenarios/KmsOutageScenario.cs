using GrantSim.Aws;
using GrantSim.Client.Simulation;
using GrantSim.Ecr;
using GrantSim.Kms;
using GrantSim.Simulation;

namespace GrantSim.Client.Chaos.Scenarios;

/// <summary>
/// KMS answers nothing but DependencyTimeoutException and KMSInternalException for a window.
/// Creates that cannot make their grants roll back (or stay rolling back until KMS returns),
/// deletes that cannot retire theirs report the leftovers; afterwards the pending work resumes,
/// an administrator retires the leftovers the documented way, and nothing half-done remains.
/// </summary>
public sealed class KmsOutageScenario : ChaosScenario
{
    private const string Window = "KMS unavailable";
    private const string Degraded = "KMS degraded";

    public override string? TimingDependence =>
        "it starts a burst of creates and deletes at once as KMS degrades; how far each gets before KMS fails is timing";

    public override string Name => "kms-outage";

    public override int AccountBlock => 2;

    public override string Description => "KMS unavailable (DependencyTimeoutException / KMSInternalException) for a window; creates and deletes in progress resume afterwards; nothing half-done remains.";

    public override IReadOnlyList<(string Kind, int Weight)> Mix =>
    [
        (OperationKinds.CreateRepository, 30),
        (OperationKinds.PushImage, 25),
        (OperationKinds.PullImage, 20),
        (OperationKinds.DeleteRepository, 20),
        (OperationKinds.ConcurrentCreate, 5),
        .. SimulationRunner.FeatureMix,
    ];

    public override async Task RunAsync(ScenarioContext context)
    {
        // The outage begins as a brown-out (grant creation failing half the time, retirement not at
        // all), which catches creates between their two grants, then every call fails: half time
        // out, half fail inside KMS.
        var brownOut = new FaultPlan(context.Options.Seed,
        [
            new FaultRule(KmsOperations.CreateGrant, AwsErrorCodes.KmsInternal, 0.5),
            new FaultRule(KmsOperations.RetireGrant, AwsErrorCodes.DependencyTimeout, 1.0),
        ]);
        var outage = new FaultPlan(context.Options.Seed,
        [
            new FaultRule(FaultRule.AnyOperation, AwsErrorCodes.KmsInternal, 0.5),
            new FaultRule(FaultRule.AnyOperation, AwsErrorCodes.DependencyTimeout, 1.0),
        ]);
        var pendingAtEnd = 0;
        await context.RunWorkloadAsync(0.85,
        [
            new PlannedEvent(0.30, "KMS degrades under a burst of creates and deletes", async () =>
            {
                // Work in flight while KMS degrades: creates whose second grant fails cannot roll back
                // their first, deletes cannot retire; both stay pending or report their leftovers.
                await context.SetTenantSettingsAsync(brownOut);
                context.Faults.Open(Degraded);
                await Task.WhenAll(Burst(context));
            }),
            new PlannedEvent(0.40, "KMS goes down", async () =>
            {
                await context.SetTenantSettingsAsync(outage);
                context.Faults.Close(Degraded);
                context.Faults.Open(Window);
            }),
            new PlannedEvent(0.65, "KMS comes back", async () =>
            {
                pendingAtEnd = (await context.PendingRepositoriesAsync()).Count;
                await context.SetTenantSettingsAsync(FaultPlan.None);
                context.Faults.Close(Window);
                await context.ResumePendingWorkAsync();
            }),
        ], progressTo: 0.85);
        context.Figure("creates and deletes pending when KMS came back", pendingAtEnd);

        // The documented clean-up of grants a delete could not retire while KMS was down.
        foreach (var (account, region) in context.World.TenantRegions)
        {
            await context.Runner.RetireLeftoverGrantsAsync(account, region);
        }

        await context.RunWorkloadAsync(0.15, progressFrom: 0.85);

        var stillPending = (await context.PendingRepositoriesAsync()).Count;
        context.Check("Nothing half-done remains after the outage", pendingAtEnd, stillPending == 0 ? [] : [$"{stillPending} repositories still creating, deleting or rolling back"]);
    }

    private static List<Task> Burst(ScenarioContext context)
    {
        var work = new List<Task>();
        var index = 0;
        foreach (var (account, region) in context.World.TenantRegions)
        {
            for (var i = 0; i < 2; i++)
            {
                var track = context.Ledger.Track(account, region, $"burst-{index++}");
                work.Add(context.Runner.CreateRepositoryAsync(track, new EncryptionConfiguration(EncryptionType.Kms), Roles.Ci));
            }

            // Never a replica: replication made it, so the run's history of it has no create, and its operations are the replication's.
            if (context.Ledger.Repositories.FirstOrDefault(r => r.Account == account && r.Region == region && !r.IsReplica && r.Live?.EncryptionConfiguration.KmsKey is not null && !r.Name.StartsWith("burst-", StringComparison.Ordinal)) is { } live)
            {
                work.Add(context.Runner.DeleteRepositoryAsync(live, Roles.Ci, force: true));
            }
        }

        return work;
    }
}
