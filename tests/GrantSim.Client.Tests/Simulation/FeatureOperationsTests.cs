using GrantSim.Aws;
using GrantSim.Client.Hosting;
using GrantSim.Client.Invariants;
using GrantSim.Client.Simulation;
using GrantSim.Ecr;
using GrantSim.Grains;

namespace GrantSim.Client.Tests.Simulation;

/// <summary>
/// The feature operation kinds, each driven on its own through the runner, then the whole check: tag mutability (a re-used
/// tag refused as expected), cross-account pulls, replication (cross-Region and cross-account, and a replica deleted) and
/// lifecycle expiry on the simulated clock; and invariant 11 catching an object an expiry left behind. Accounts 610000000001+.
/// </summary>
public sealed class FeatureOperationsTests : IAsyncLifetime
{
    private const string East = Regions.UsEast1;
    private const string West = Regions.EuWest1;

    private static long _nextAccount = 610_000_000_001;

    private EmbeddedCluster _cluster = null!;
    private SimulationRunner _runner = null!;

    public async Task InitializeAsync()
    {
        _cluster = await EmbeddedCluster.StartAsync();
        var first = Interlocked.Add(ref _nextAccount, 10);
        var options = new SimulationOptions { Tenants = 2, Seed = 3, FirstAccount = first, Regions = [East, West] };
        var world = await World.CreateAsync(_cluster.Client, World.AccountsFor(first, 2), options.Regions);
        _runner = new SimulationRunner(_cluster.Client, new ClusterClock(_cluster.Client), world, options);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private string Owner => _runner.World.Accounts[0];

    private string Partner => _runner.World.Accounts[1];

    private async Task<IReadOnlyList<InvariantResult>> CheckAsync()
    {
        var checker = new InvariantChecker(_cluster.Client, _runner.World, _runner.Ledger, TimeSpan.Zero);
        return (await checker.CheckAsync(await checker.ReadStateAsync())).Results;
    }

    private static void AssertAllHeld(IReadOnlyList<InvariantResult> results) =>
        Assert.True(results.All(r => r.Held), string.Join("\n", results.Where(r => !r.Held).SelectMany(r => r.Violations)));

    private async Task<RepositoryTrack> CreateAsync(string account, string region, string name)
    {
        var track = _runner.Ledger.Track(account, region, name);
        Assert.Equal(OperationKinds.Ok, (await _runner.CreateRepositoryAsync(track, new EncryptionConfiguration(EncryptionType.Kms))).Outcome);
        return track;
    }

    [Fact]
    public async Task AReusedImmutableTag_IsRefusedAsExpected_StoresNothing_AndAnExcludedTagMoves()
    {
        var track = await CreateAsync(Owner, East, "features/immutable");
        Assert.Equal(OperationKinds.Ok, (await _runner.PushImageAsync(track)).Outcome);
        var tag = track.Images[0].Tag;

        Assert.Equal(OperationKinds.Ok, (await _runner.PutTagMutabilityAsync(track, ImageTagMutability.ImmutableWithExclusion)).Outcome);
        Assert.Equal(OperationKinds.ExpectedRefusal(AwsErrorCodes.ImageTagAlreadyExists), (await _runner.PushWithTagAsync(track, tag)).Outcome);
        Assert.Equal(OperationKinds.Ok, (await _runner.PushWithTagAsync(track, SimulationRunner.MovableTag)).Outcome);
        Assert.Equal(OperationKinds.Ok, (await _runner.PushWithTagAsync(track, SimulationRunner.MovableTag)).Outcome);

        var results = await CheckAsync();
        AssertAllHeld(results);
        Assert.Equal(1, results.Single(r => r.Number == 15).Checked);
        Assert.Empty(_runner.Ledger.TagMutabilityMismatches);
        Assert.Equal(3, track.Images.Count);
    }

    [Fact]
    public async Task ACrossAccountPull_OfAKmsRepository_IsAllowedByThePolicy_AndInTheOwnersTrail()
    {
        var track = await CreateAsync(Owner, East, "features/shared");
        Assert.Equal(OperationKinds.Ok, (await _runner.PushImageAsync(track)).Outcome);

        Assert.Equal(AwsErrorCodes.AccessDenied, (await _runner.CrossAccountPullAsync(track, track.Images[0], Partner)).Outcome);
        Assert.Equal(OperationKinds.Ok, (await _runner.ShareRepositoryAsync(track, Partner)).Outcome);
        Assert.Equal(OperationKinds.Ok, (await _runner.CrossAccountPullAsync(track, track.Images[0], Partner)).Outcome);

        var results = await CheckAsync();
        AssertAllHeld(results);
        Assert.Equal(1, results.Single(r => r.Number == 13).Checked);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task APushReplicates_UnderTheDestinationsOwnKeyAndGrants_AndADeletedReplicaLeavesNoGrant(bool crossAccount)
    {
        var destinationAccount = crossAccount ? Partner : Owner;
        Assert.Equal(OperationKinds.Ok, (await _runner.PutReplicationConfigurationAsync(Owner, East, destinationAccount, West)).Outcome);
        var source = await CreateAsync(Owner, East, SimulationRunner.MirrorName(Owner, East, 0));
        Assert.Equal(OperationKinds.Ok, (await _runner.PushImageAsync(source)).Outcome);

        var replica = Assert.Single(_runner.Ledger.Repositories, t => t.IsReplica);
        Assert.Equal((destinationAccount, West), (replica.Account, replica.Region));
        Assert.Equal(source.Images.Select(i => i.ManifestDigest), replica.Images.Select(i => i.ManifestDigest));
        Assert.NotNull(replica.Live?.EncryptionConfiguration.KmsKey);
        Assert.Equal(1, _runner.Log.Snapshot()[OperationKinds.Replicate][OperationKinds.Ok]);

        var results = await CheckAsync();
        AssertAllHeld(results);
        Assert.True(results.Single(r => r.Number == 12).Checked >= 4, "the replica's key, its three objects and the revoke probe");
        Assert.Equal(1, results.Single(r => r.Number == 13).Checked);

        Assert.Equal(OperationKinds.Ok, (await _runner.DeleteReplicaRepositoryAsync(replica)).Outcome);
        results = await CheckAsync();
        AssertAllHeld(results);
        Assert.True(results.Single(r => r.Number == 14).Checked >= 1);
    }

    [Fact]
    public async Task ALifecyclePolicy_ExpiresWhenTheClockMoves_AndTheExpiredObjectsAreGone()
    {
        var track = await CreateAsync(Owner, East, "features/lifecycle");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(OperationKinds.Ok, (await _runner.PushImageAsync(track)).Outcome);
            await new ClusterClock(_cluster.Client).AdvanceAsync(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(OperationKinds.Ok, (await _runner.PutLifecyclePolicyAsync(track, SimulationRunner.CountPolicy(1))).Outcome);
        var newest = track.Images[^1].ManifestDigest;
        await new ClusterClock(_cluster.Client).AdvanceAsync(TimeSpan.FromDays(2));
        await _runner.FollowLifecycleExpiriesAsync();

        Assert.Equal([newest], track.Images.Select(i => i.ManifestDigest));
        Assert.Equal(2, track.Expired.Count);
        var results = await CheckAsync();
        AssertAllHeld(results);
        Assert.Equal(2, results.Single(r => r.Number == 11).Checked);
    }

    [Fact]
    public async Task AManifestObjectLeftAfterExpiry_BreaksInvariant11()
    {
        var track = await CreateAsync(Owner, East, "features/leftover");
        Assert.Equal(OperationKinds.Ok, (await _runner.PushImageAsync(track)).Outcome);
        await new ClusterClock(_cluster.Client).AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(OperationKinds.Ok, (await _runner.PushImageAsync(track)).Outcome);
        var oldest = track.Images[0].ManifestDigest;
        var snapshot = await _cluster.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(Owner, East, track.Name)).Inspect();
        var manifest = _cluster.Client.GetGrain<IStoredObjectGrain>(GrainKeys.StoredObject(Owner, East, track.Name, snapshot.Incarnation, StoredObjectKind.Manifest, oldest));
        var stored = await manifest.Get();
        Assert.NotNull(stored);

        Assert.Equal(OperationKinds.Ok, (await _runner.PutLifecyclePolicyAsync(track, SimulationRunner.CountPolicy(1))).Outcome);
        await new ClusterClock(_cluster.Client).AdvanceAsync(TimeSpan.FromDays(2));
        await _runner.FollowLifecycleExpiriesAsync();
        Assert.Null(await manifest.Get());
        await manifest.Put(stored); // behind ECR's back: the expired image's manifest is back in storage

        var violated = Assert.Single(await CheckAsync(), r => !r.Held);
        Assert.Equal(11, violated.Number);
        Assert.Contains("manifest object is still in storage", Assert.Single(violated.Violations), StringComparison.Ordinal);
    }
}
