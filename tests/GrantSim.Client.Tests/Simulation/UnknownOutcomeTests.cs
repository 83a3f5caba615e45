using GrantSim.Aws;
using GrantSim.Client.Hosting;
using GrantSim.Client.Invariants;
using GrantSim.Client.Simulation;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Kms;
using GrantSim.Simulation;
using Microsoft.Extensions.DependencyInjection;

namespace GrantSim.Client.Tests.Simulation;

/// <summary>
/// How the simulation's ledger and checker treat a call whose answer was lost, and a call whose
/// answer an SDK would not retry: regressions for two failures the chaos seed sweep found.
/// </summary>
public sealed class UnknownOutcomeTests
{
    [Fact]
    public async Task ACreateAfterADeleteWhoseAnswerWasLost_OwesNothingOfTheOldRepository()
    {
        // silo-crash, seed 115: "acknowledged image cannot be pulled: ImageNotFoundException". The delete had
        // happened (its answer lost with a silo); the name was created again; the checker still owed the old images.
        var losing = new AnswerLoser();
        await using var cluster = await EmbeddedCluster.StartAsync(configureHost: host => host.Services.AddSingleton<IOutgoingGrainCallFilter>(losing));
        var (runner, track) = await RunnerAsync(cluster, 560_000_000_001, RetryPolicy.None);
        Assert.Equal(OperationKinds.Ok, (await runner.CreateRepositoryAsync(track, new EncryptionConfiguration(EncryptionType.Kms))).Outcome);
        Assert.Equal(OperationKinds.Ok, (await runner.PushImageAsync(track)).Outcome);

        losing.LoseTheAnswerOfTheNext(nameof(IEcrServiceGrain.DeleteRepository));
        var delete = await runner.DeleteRepositoryAsync(track, Roles.Ci, force: true);
        Assert.StartsWith(OperationLog.Unknown, delete.Outcome, StringComparison.Ordinal);
        Assert.Equal(OperationKinds.Ok, (await runner.CreateRepositoryAsync(track, null)).Outcome);

        var report = await CheckAsync(cluster, runner);
        Assert.True(report.Results.All(r => r.Held), string.Join(Environment.NewLine, report.Results.Where(r => !r.Held).SelectMany(r => r.Violations)));
    }

    [Fact]
    public async Task ADeleteThatCouldNotRetireItsGrants_IsNotRetried_AndCountsAsDeleted()
    {
        // kms-throttle, seed 180: "created and not deleted, but is gone". The delete deleted and answered
        // KmsException(ThrottlingException); the client retried it like a throttle and took the retry's
        // RepositoryNotFoundException for the delete's answer.
        await using var cluster = await EmbeddedCluster.StartAsync();
        var (runner, track) = await RunnerAsync(cluster, 570_000_000_001, RetryPolicy.Standard(TimeSpan.Zero));
        Assert.Equal(OperationKinds.Ok, (await runner.CreateRepositoryAsync(track, new EncryptionConfiguration(EncryptionType.Kms))).Outcome);
        var ci = World.Principal(track.Account, track.Region, Roles.Ci).Principal;
        await cluster.Client.GetGrain<ITenantSettingsGrain>(track.Account).Set(TimeSpan.Zero,
            new FaultPlan(1, [new FaultRule(KmsOperations.RetireGrant, AwsErrorCodes.Throttling, 1.0, ci)]));

        var delete = await runner.DeleteRepositoryAsync(track, Roles.Ci, force: true);

        Assert.Equal($"{AwsErrorCodes.Kms}({AwsErrorCodes.Throttling})", delete.Outcome);
        Assert.Null(track.Live);
        await cluster.Client.GetGrain<ITenantSettingsGrain>(track.Account).Set(TimeSpan.Zero, FaultPlan.None);
        var report = await CheckAsync(cluster, runner);
        Assert.True(report.Results.All(r => r.Held), string.Join(Environment.NewLine, report.Results.Where(r => !r.Held).SelectMany(r => r.Violations)));
    }

    private static async Task<(SimulationRunner Runner, RepositoryTrack Track)> RunnerAsync(EmbeddedCluster cluster, long account, RetryPolicy retry)
    {
        var options = new SimulationOptions { Tenants = 1, FirstAccount = account, Regions = [Regions.UsEast1], Retry = retry };
        var world = await World.CreateAsync(cluster.Client, World.AccountsFor(options.FirstAccount, 1), options.Regions);
        var runner = new SimulationRunner(cluster.Client, new ClusterClock(cluster.Client), world, options);
        return (runner, runner.Ledger.Track(world.Accounts[0], Regions.UsEast1, "app"));
    }

    private static async Task<InvariantReport> CheckAsync(EmbeddedCluster cluster, SimulationRunner runner)
    {
        var checker = new InvariantChecker(cluster.Client, runner.World, runner.Ledger, TimeSpan.Zero);
        return await checker.CheckAsync(await checker.ReadStateAsync());
    }

    /// <summary>Lets a chosen call happen, then loses its answer (a TimeoutException, as when the silo that held it died).</summary>
    private sealed class AnswerLoser : IOutgoingGrainCallFilter
    {
        private volatile string? _method;

        public void LoseTheAnswerOfTheNext(string method) => _method = method;

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            await context.Invoke();
            if (context.InterfaceMethod?.DeclaringType == typeof(IEcrServiceGrain) && Interlocked.CompareExchange(ref _method, null, context.MethodName) == context.MethodName)
            {
                throw new TimeoutException($"The answer of {context.MethodName} was lost on purpose.");
            }
        }
    }
}
