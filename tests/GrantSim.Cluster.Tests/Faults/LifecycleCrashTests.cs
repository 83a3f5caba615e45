using GrantSim.Audit;
using GrantSim.Cluster.Tests.Ecr;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Ecr;
using GrantSim.Faults;
using GrantSim.Grains;
using GrantSim.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace GrantSim.Cluster.Tests.Faults;

/// <summary>
/// A lifecycle expiry interrupted at each of its steps, on a silo (and a clock) of its own: the images never come
/// back, the trail records each expired image once, and the next call finishes removing the objects.
/// </summary>
public sealed class LifecycleCrashTests : IAsyncLifetime
{
    private static readonly ArmedCrashPoints Points = new();
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await OwnCluster.StartAsync<WithCrashPoints>();

    public Task DisposeAsync() => OwnCluster.StopAsync(_cluster);

    [Theory]
    [InlineData(LifecycleCrashPoints.ExpiryDecided)]
    [InlineData(LifecycleCrashPoints.ExpiryRecorded)]
    [InlineData(LifecycleCrashPoints.ObjectsDeleted)]
    public async Task AnExpiryInterruptedAtAnyStep_IsFinishedByTheNextCall_AndRecordedOnce(string point)
    {
        var tenant = await TestTenant.CreateAsync(_cluster.Client);
        var name = "crash-" + point[(point.LastIndexOf('.') + 1)..];
        await tenant.CreateRepositoryAsync(name);
        var old = await tenant.PushImageAsync(name, "old");
        Time.Advance(TimeSpan.FromMinutes(1));
        var kept = await tenant.PushImageAsync(name, "new");
        var repository = _cluster.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(tenant.Account, tenant.Region, name));
        var incarnation = (await repository.Inspect()).Incarnation;
        await _cluster.Client.GetGrain<IEcrLifecyclePolicyService>(tenant.Region).PutLifecyclePolicy(tenant.Ci, name, LifecyclePolicyTests.KeepNewest(1));
        Time.Advance(TimeSpan.FromDays(1));
        Points.Arm(point, 1, CrashAction.Crash);

        await Assert.ThrowsAnyAsync<Exception>(() => tenant.EcrApi.DescribeImages(tenant.Ci, name));
        Assert.True(Points.FiredSinceArmed);
        Points.Disarm();

        // Decided before anything else: the expired image is gone from the repository whatever happens next.
        Assert.Equal([kept.ManifestDigest], (await repository.Inspect()).Images.Select(i => i.ImageDigest));
        Assert.Equal([kept.ManifestDigest], (await tenant.EcrApi.DescribeImages(tenant.Ci, name)).Select(i => i.ImageDigest));

        var recorded = await tenant.Trail.Query(new AuditQuery(EventName: EcrOperations.PolicyExecutionEvent));
        Assert.Equal([old.ManifestDigest], recorded.Select(e => e.RequestParameters.ImageDigest));
        var objects = _cluster.Client;
        Assert.Null(await objects.GetGrain<IStoredObjectGrain>(GrainKeys.StoredObject(tenant.Account, tenant.Region, name, incarnation, StoredObjectKind.Manifest, old.ManifestDigest)).Get());
        Assert.Null(await objects.GetGrain<IStoredObjectGrain>(GrainKeys.StoredObject(tenant.Account, tenant.Region, name, incarnation, StoredObjectKind.Blob, old.Blobs[0].Digest)).Get());
        await tenant.PullAndVerifyAsync(name, kept);
    }

    private sealed class WithCrashPoints : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddSingleton<ICrashPoints>(Points);
            siloBuilder.AddGrantSim(Time).AddGrantSimInMemoryStorage();
        }
    }
}
