using GrantSim.Ecr;
using GrantSim.Grains;

namespace GrantSim.Client.Simulation;

/// <summary>
/// Creates, rollbacks and deletes left unfinished (a crash or a KMS failure cut them short), found
/// among the names a run used and the names the registries hold — a create in progress is not in
/// its registry yet, so the run's own names count.
/// </summary>
public static class PendingWork
{
    public static async Task<IReadOnlyList<IRepositoryGrain>> FindAsync(
        IGrainFactory grains, IEnumerable<(string Account, string Region)> tenantRegions, IEnumerable<(string Account, string Region, string Name)> knownNames)
    {
        var names = knownNames.ToHashSet();
        foreach (var (account, region) in tenantRegions)
        {
            foreach (var name in await grains.GetGrain<IRepositoryRegistryGrain>(GrainKeys.TenantRegion(account, region)).List())
            {
                names.Add((account, region, name));
            }
        }

        var pending = new List<IRepositoryGrain>();
        foreach (var (account, region, name) in names.Order())
        {
            var repository = grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(account, region, name));
            if ((await repository.Inspect()).Status is RepositoryStatus.Creating or RepositoryStatus.Deleting or RepositoryStatus.RollingBack)
            {
                pending.Add(repository);
            }
        }

        return pending;
    }

    /// <summary>Finishes every unfinished piece of work (what the repositories' reminders do within a minute); returns how many there were.</summary>
    public static async Task<int> ResumeAsync(
        IGrainFactory grains, IEnumerable<(string Account, string Region)> tenantRegions, IEnumerable<(string Account, string Region, string Name)> knownNames)
    {
        var pending = await FindAsync(grains, tenantRegions, knownNames);
        foreach (var repository in pending)
        {
            await repository.ResumePendingWork();
        }

        return pending.Count;
    }
}
