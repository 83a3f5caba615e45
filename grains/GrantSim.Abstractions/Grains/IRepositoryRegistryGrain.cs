using GrantSim.Ecr;

namespace GrantSim.Grains;

/// <summary>The repository names of an account+region, and the leftover-grant reports of deletions whose grants could not be retired.</summary>
[Alias("GrantSim.IRepositoryRegistryGrain")]
public interface IRepositoryRegistryGrain : IGrainWithStringKey
{
    [Alias("Add")] Task Add(string repositoryName);
    [Alias("Remove")] Task Remove(string repositoryName, LeftoverGrantReport? leftover);
    [Alias("List")] Task<IReadOnlyList<string>> List();
    [Alias("GetLeftoverReports")] Task<IReadOnlyList<LeftoverGrantReport>> GetLeftoverReports();
}
