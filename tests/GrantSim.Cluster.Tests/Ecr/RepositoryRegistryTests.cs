using GrantSim.Cluster.Tests.Support;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace GrantSim.Cluster.Tests.Ecr;

/// <summary>
/// The registry of an account+region's repository names keeps them in pages, each its own storage
/// record, so a create writes one page whatever the number of repositories; what it lists survives
/// reactivation, deletions' holes are filled again, and names stored before pages existed are moved in.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RepositoryRegistryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task NamesAcrossPages_AreListedInOrder_AfterDeletionsAndReactivation_AndHolesAreFilledFirst()
    {
        var key = UniqueRegistryKey();
        var registry = fixture.Grains.GetGrain<IRepositoryRegistryGrain>(key);
        var names = Enumerable.Range(0, (2 * RepositoryRegistryGrain.PageSize) + 10).Select(i => $"team/app-{i:D4}").ToList();
        foreach (var name in names.AsEnumerable().Reverse())
        {
            await registry.Add(name);
        }

        await registry.Add(names[0]);
        var removed = names.Where((_, i) => i % 3 == 0).ToList();
        foreach (var name in removed)
        {
            await registry.Remove(name, null);
        }

        await Reactivate();
        var live = names.Except(removed).ToList();
        Assert.Equal(live, await registry.List());
        Assert.Equal(3, await CountPagesAsync(key));

        // As many new names as were removed fit in the holes: no page is added.
        var refill = removed.Select(name => name + "-again").ToList();
        foreach (var name in refill)
        {
            await registry.Add(name);
        }

        await Reactivate();
        Assert.Equal(live.Concat(refill).Order(StringComparer.Ordinal), await registry.List());
        Assert.Equal(3, await CountPagesAsync(key));
    }

    [Fact]
    public async Task NamesStoredBeforePagesExisted_AreMovedIntoPages_AndLeftoverReportsKept()
    {
        var key = UniqueRegistryKey();
        var registry = fixture.Grains.GetGrain<IRepositoryRegistryGrain>(key);
        var report = new LeftoverGrantReport("old", "arn:aws:ecr:us-east-1:733000000001:repository/old",
            "arn:aws:kms:us-east-1:733000000001:key/5d0e6a2c-3f77-4d4e-9a40-0c6f3f0f2f11", ["g1"], "denied", "AccessDeniedException", fixture.Clock.GetUtcNow());
        var legacy = new GrainState<RepositoryRegistryState>(new RepositoryRegistryState
        {
            Names = new SortedSet<string>(["b", "a", "c"], StringComparer.Ordinal),
            Leftovers = [report],
        });
        await Storage().WriteStateAsync("repositories", registry.GetGrainId(), legacy);

        Assert.Equal(["a", "b", "c"], await registry.List());
        await registry.Remove("b", null);
        await Reactivate();

        Assert.Equal(["a", "c"], await registry.List());
        Assert.Equal(report.RepositoryArn, Assert.Single(await registry.GetLeftoverReports()).RepositoryArn);
        var stored = new GrainState<RepositoryRegistryState>(new RepositoryRegistryState());
        await Storage().ReadStateAsync("repositories", registry.GetGrainId(), stored);
        Assert.Empty(stored.State!.Names);
    }

    private static string UniqueRegistryKey() => GrainKeys.TenantRegion($"7{Random.Shared.NextInt64(10_000_000_000, 99_999_999_999)}", "us-east-1");

    private async Task Reactivate() => await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    private async Task<int> CountPagesAsync(string key)
    {
        var grainId = fixture.Grains.GetGrain<IRepositoryRegistryGrain>(key).GetGrainId();
        var pages = 0;
        while (true)
        {
            var record = new GrainState<RepositoryNamePage>(new RepositoryNamePage());
            await Storage().ReadStateAsync($"repository-names-{pages}", grainId, record);
            if (!record.RecordExists)
            {
                return pages;
            }

            pages++;
        }
    }

    private IGrainStorage Storage()
    {
        var silo = (fixture.Cluster.Primary as InProcessSiloHandle)?.SiloHost ?? throw new InvalidOperationException("the primary silo is not running in this process");
        return silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
    }
}
