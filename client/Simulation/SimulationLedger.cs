using System.Collections.Concurrent;
using System.Diagnostics;
using GrantSim.Client.Histories;

namespace GrantSim.Client.Simulation;

/// <summary>
/// What a run did and was told: repository tracks, the history of every operation on a repository
/// or key, and anything a step already found wrong (a pull that differed from its push). The
/// invariant checker reads it beside the real state.
/// </summary>
/// <param name="history">The run's history, on the run's clock; by default one of its own from now.</param>
public sealed class SimulationLedger(HistoryRecorder? history = null)
{
    private readonly ConcurrentDictionary<(string Account, string Region, string Name), RepositoryTrack> _repositories = new();

    public IEnumerable<RepositoryTrack> Repositories => _repositories.Values.OrderBy(r => (r.Account, r.Region, r.Name));

    public HistoryRecorder History { get; } = history ?? new HistoryRecorder(ClockFromNow());

    public List<string> PullMismatches { get; } = [];

    public RepositoryTrack Track(string account, string region, string name) =>
        _repositories.GetOrAdd((account, region, name), key => new RepositoryTrack(key.Account, key.Region, key.Name));

    private static Func<double> ClockFromNow()
    {
        var clock = Stopwatch.StartNew();
        return () => clock.Elapsed.TotalSeconds;
    }
}
