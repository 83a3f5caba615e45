using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Ecr;
using GrantSim.Faults;
using GrantSim.Grains;
using GrantSim.Hosting;
using GrantSim.Kms;
using GrantSim.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace GrantSim.Cluster.Tests.Faults;

/// <summary>
/// Crash points armed at exact places, on a silo of their own: what must survive a crash or a failed
/// write there, tested at that point rather than found by luck.
/// </summary>
public sealed class CrashPointTests : IAsyncLifetime
{
    private static readonly ArmedCrashPoints Points = new();
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 1);
        builder.AddSiloBuilderConfigurator<WithCrashPoints>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    /// <summary>
    /// A create whose first CreateGrant made its grant but never answered (the key's activation died right
    /// after storing it), then rolled back when the resumed create failed: the rollback finds that grant
    /// by the name ECR gave it and retires it. (Found by the crash-point property: it leaked.)
    /// </summary>
    [Fact]
    public async Task ARollback_RetiresTheGrantOfACreateGrantWhoseAnswerWasLost()
    {
        var tenant = await TestTenant.CreateAsync(_cluster.Client);
        var key = await tenant.CreateKeyAsync();
        Points.Arm(CrashPoints.GrantChangeStored, 1, CrashAction.Crash);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => tenant.CreateRepositoryAsync("lost", kmsKey: key.Arn));
        Assert.True(Points.FiredSinceArmed);
        Points.Disarm();
        var repository = _cluster.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(tenant.Account, tenant.Region, "lost"));
        Assert.Equal(RepositoryStatus.Creating, (await repository.Inspect()).Status);
        Assert.Single((await tenant.Kms.ListGrants(tenant.Admin, new ListGrantsRequest(key.Arn))).Grants);

        // The resumed create fails at KMS, so it rolls back.
        await tenant.SetSimulationAsync(TimeSpan.Zero, new FaultRule(KmsOperations.CreateGrant, AwsErrorCodes.KmsInternal, 1.0));
        await repository.ResumePendingWork();
        await tenant.SetSimulationAsync(TimeSpan.Zero);

        Assert.Equal(RepositoryStatus.Absent, (await repository.Inspect()).Status);
        Assert.Empty((await tenant.Kms.ListGrants(tenant.Admin, new ListGrantsRequest(key.Arn))).Grants);
    }

    [Fact]
    public async Task AGrantChangeStoredByAnActivationThatDiedBeforeItsRecord_IsInTheTrailAfterRecovery()
    {
        var tenant = await TestTenant.CreateAsync(_cluster.Client);
        var key = await tenant.CreateKeyAsync();
        Points.Arm(CrashPoints.GrantChangeStored, 1, CrashAction.Crash);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => tenant.Kms.CreateGrant(tenant.Admin,
            new CreateGrantRequest(key.Arn, tenant.Reader.Principal, [KmsOperations.Decrypt], Name: "crashed")));
        Points.Disarm();

        // The next call activates the key again; its first act is to append what its outbox holds.
        var grant = Assert.Single((await tenant.Kms.ListGrants(tenant.Admin, new ListGrantsRequest(key.Arn))).Grants);
        var recorded = await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.CreateGrant, GrantId: grant.GrantId));
        Assert.Single(recorded, e => e.Succeeded);
    }

    [Fact]
    public async Task WhenTheTrailsStorageFails_NoCallerOfThatBatchHearsSuccess()
    {
        var tenant = await TestTenant.CreateAsync(_cluster.Client);
        var key = await tenant.CreateKeyAsync();
        Points.Arm(CrashPoints.TrailAppendWriting, 2, CrashAction.FailWrite);

        // Many calls at once on one key: their records go to the trail in batches (the first call's alone, the rest behind it); the second batch's write fails.
        var calls = Enumerable.Range(0, 60).Select(async i =>
        {
            try
            {
                await tenant.Kms.GenerateDataKey(tenant.Root, new GenerateDataKeyRequest(key.Arn, EncryptionContext.Of(("call", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
                return (Call: i, Answered: true);
            }
            catch (Exception error) when (error is IOException or AwsServiceException)
            {
                return (Call: i, Answered: false);
            }
        }).ToArray();
        var outcomes = await Task.WhenAll(calls);
        Points.Disarm();

        Assert.True(Points.FiredSinceArmed, "the second append's write failed");
        Assert.Contains(outcomes, o => !o.Answered);
        var recorded = (await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.GenerateDataKey)))
            .Where(e => e.Succeeded).Select(e => e.RequestParameters.EncryptionContext!["call"]).ToHashSet(StringComparer.Ordinal);
        foreach (var (call, answered) in outcomes.Where(o => o.Answered))
        {
            Assert.Contains(call.ToString(System.Globalization.CultureInfo.InvariantCulture), recorded);
        }
    }

    private sealed class WithCrashPoints : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddSingleton<ICrashPoints>(Points);
            siloBuilder.AddGrantSim(ClusterFixture.Time).AddGrantSimInMemoryStorage();
        }
    }
}
