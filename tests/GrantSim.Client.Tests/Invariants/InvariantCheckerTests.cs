using GrantSim.Aws;
using GrantSim.Client.Histories;
using GrantSim.Client.Hosting;
using GrantSim.Client.Invariants;
using GrantSim.Client.Simulation;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Hosting;

namespace GrantSim.Client.Tests.Invariants;

/// <summary>The checker has teeth: each test breaks one rule behind the simulation's back and expects that invariant, and only it, to report it.</summary>
public sealed class InvariantCheckerTests : IAsyncLifetime
{
    private EmbeddedCluster _cluster = null!;
    private World _world = null!;
    private SimulationLedger _ledger = null!;

    private static long _nextAccount = 600_000_000_001;

    public async Task InitializeAsync()
    {
        _cluster = await EmbeddedCluster.StartAsync();
        var first = Interlocked.Add(ref _nextAccount, 10);
        _world = await World.CreateAsync(_cluster.Client, World.AccountsFor(first, 2), [Regions.UsEast1]);
        _ledger = new SimulationLedger();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private string Account => _world.Accounts[0];

    private async Task<IReadOnlyList<InvariantResult>> Violated()
    {
        var checker = new InvariantChecker(_cluster.Client, _world, _ledger, TimeSpan.Zero);
        var report = await checker.CheckAsync(await checker.ReadStateAsync());
        return report.Results.Where(r => !r.Held).ToArray();
    }

    [Fact]
    public async Task CleanWorld_HoldsEverything()
    {
        var ecr = _cluster.Client.GetGrain<IEcrServiceGrain>(Regions.UsEast1);
        _ledger.Track(Account, Regions.UsEast1, "clean").Live =
            await ecr.CreateRepository(World.Principal(Account, Regions.UsEast1, Roles.Ci), new CreateRepositoryRequest("clean", new EncryptionConfiguration(EncryptionType.Kms)));

        Assert.Empty(await Violated());
    }

    [Fact]
    public async Task AGrantNamingADeletedRepository_ThatWasNeverReported_IsALeak()
    {
        var kms = _cluster.Client.GetGrain<IKmsServiceGrain>(Regions.UsEast1);
        var keyArn = _world.CustomerKeys(Account, Regions.UsEast1)[0];
        var ghost = Arn.EcrRepository(Regions.UsEast1, Account, "ghost").ToString();
        await kms.CreateGrant(World.Principal(Account, Regions.UsEast1, Roles.Admin), RepositoryGrants.Request(Regions.UsEast1, keyArn, ghost, "ecr:manual:registry"));

        var violated = Assert.Single(await Violated());
        Assert.Equal(2, violated.Number);
        Assert.Contains("leaked", Assert.Single(violated.Violations), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARepositoryThatVanishes_BreaksTheConfigurationInvariant()
    {
        _ledger.Track(Account, Regions.UsEast1, "phantom").Live = new RepositoryDescription(
            Arn.EcrRepository(Regions.UsEast1, Account, "phantom").ToString(), Account, "phantom", "uri", AdjustableTimeProvider.Epoch, EncryptionConfiguration.Aes256);

        var violated = Assert.Single(await Violated());
        Assert.Equal(4, violated.Number);
    }

    [Fact]
    public async Task APullThatDiffered_BreaksTheByteForByteInvariant()
    {
        _ledger.PullMismatches.Add("a/b/c: blob sha256:00 differs");

        var violated = Assert.Single(await Violated());
        Assert.Equal(6, violated.Number);
    }

    [Fact]
    public async Task TwoConcurrentCreatesThatBothWon_AreNotLinearizable()
    {
        var partition = HistoryOperations.RepositoryPartition(Account, Regions.UsEast1, "twice");
        var first = _ledger.History.Begin(partition, HistoryOperations.CreateRepository, "");
        var second = _ledger.History.Begin(partition, HistoryOperations.CreateRepository, "");
        _ledger.History.End(first, HistoryEntry.Ok);
        _ledger.History.End(second, HistoryEntry.Ok);

        var violated = Assert.Single(await Violated());
        Assert.Equal(10, violated.Number);
        Assert.Contains("shortest unexplainable sub-history", Assert.Single(violated.Violations), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACreateTheHistoryAcknowledged_OfARepositoryThatIsNotThere_IsNotLinearizable()
    {
        var partition = HistoryOperations.RepositoryPartition(Account, Regions.UsEast1, "vanished");
        _ledger.History.End(_ledger.History.Begin(partition, HistoryOperations.CreateRepository, ""), HistoryEntry.Ok);
        _ledger.Track(Account, Regions.UsEast1, "vanished");

        var violated = Assert.Single(await Violated());
        Assert.Equal(10, violated.Number);
        Assert.Contains("Observe(absent)", Assert.Single(violated.Violations), StringComparison.Ordinal);
    }
}
