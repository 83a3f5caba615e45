using GrantSim.Grains;
using GrantSim.Hosting;

namespace GrantSim.Ecr;

[GenerateSerializer, Alias("GrantSim.Ecr.RepositoryRegistryState")]
public sealed class RepositoryRegistryState
{
    [Id(0)] public SortedSet<string> Names { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public List<LeftoverGrantReport> Leftovers { get; set; } = [];
}

/// <summary>Live repository names of an account+region, and what deletions reported as left behind. Both updates are idempotent.</summary>
public sealed class RepositoryRegistryGrain(
    [PersistentState("repositories", StorageNames.Default)] IPersistentState<RepositoryRegistryState> state) : Grain, IRepositoryRegistryGrain
{
    public async Task Add(string repositoryName)
    {
        if (state.State.Names.Add(repositoryName))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task Remove(string repositoryName, LeftoverGrantReport? leftover)
    {
        var changed = state.State.Names.Remove(repositoryName);
        if (leftover is not null && !state.State.Leftovers.Any(l => l.RepositoryArn == leftover.RepositoryArn && l.GrantIds.SequenceEqual(leftover.GrantIds)))
        {
            state.State.Leftovers.Add(leftover);
            changed = true;
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>(state.State.Names.ToArray());

    public Task<IReadOnlyList<LeftoverGrantReport>> GetLeftoverReports() =>
        Task.FromResult<IReadOnlyList<LeftoverGrantReport>>(state.State.Leftovers.ToArray());
}
