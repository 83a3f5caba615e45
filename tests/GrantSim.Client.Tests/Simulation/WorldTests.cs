using GrantSim.Aws;
using GrantSim.Client.Hosting;
using GrantSim.Client.Simulation;
using GrantSim.Grains;
using GrantSim.Kms;

namespace GrantSim.Client.Tests.Simulation;

/// <summary>
/// The world's set-up is retried while a silo dies under it, so each step must be safe to repeat:
/// a second set-up finds what the first made, and a key whose CreateKey answer was lost is adopted.
/// </summary>
public sealed class WorldTests
{
    [Fact]
    public async Task CreateAsync_Repeated_FindsTheSameKeysAndMakesNoMore()
    {
        await using var cluster = await EmbeddedCluster.StartAsync();
        var accounts = World.AccountsFor(530_000_000_001, 2);
        string[] regions = [Regions.UsEast1, Regions.UsGovWest1];

        var first = await World.CreateAsync(cluster.Client, accounts, regions);
        var again = await World.CreateAsync(cluster.Client, accounts, regions);

        foreach (var (account, region) in first.TenantRegions)
        {
            Assert.Equal(first.CustomerKeys(account, region), again.CustomerKeys(account, region));
            var keys = await cluster.Client.GetGrain<IKmsServiceGrain>(region).ListKeys(World.Principal(account, region, "root"));
            Assert.Equal(World.CustomerKeysPerRegion, keys.Count);
        }
    }

    [Fact]
    public async Task CreateAsync_AfterACreateKeyWhoseAnswerWasLost_AdoptsThatKeyInsteadOfMakingAnother()
    {
        await using var cluster = await EmbeddedCluster.StartAsync();
        // Its own account: 540000000001 is the telemetry fixture's, whose meter provider sees every silo of the process.
        const string account = "535000000001";
        const string region = Regions.EuWest1;
        var kms = cluster.Client.GetGrain<IKmsServiceGrain>(region);
        var root = World.Principal(account, region, "root");
        // What a CreateKey that took effect leaves when its answer never came back: the key, without its alias.
        var orphan = await kms.CreateKey(root, new CreateKeyRequest(World.KeyDescription(0, account, region)));

        var world = await World.CreateAsync(cluster.Client, [account], [region]);

        Assert.Equal(orphan.Arn, world.CustomerKeys(account, region)[0]);
        Assert.Equal(orphan.Arn, (await kms.DescribeKey(root, World.AliasName(0))).Arn);
        Assert.Equal(World.CustomerKeysPerRegion, (await kms.ListKeys(root)).Count);
    }
}
