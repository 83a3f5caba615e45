using System.Collections.Concurrent;

namespace GrantSim.Client.Simulation;

/// <summary>
/// What a run did and was told: repository tracks, races, and anything a step already found
/// wrong (a pull that differed from its push). The invariant checker reads it beside the real state.
/// </summary>
public sealed class SimulationLedger
{
    private readonly ConcurrentDictionary<(string Account, string Region, string Name), RepositoryTrack> _repositories = new();

    public IEnumerable<RepositoryTrack> Repositories => _repositories.Values.OrderBy(r => (r.Account, r.Region, r.Name));

    public List<RaceRecord> Races { get; } = [];

    public List<string> PullMismatches { get; } = [];

    public RepositoryTrack Track(string account, string region, string name) =>
        _repositories.GetOrAdd((account, region, name), key => new RepositoryTrack(key.Account, key.Region, key.Name));
}
