using System.Collections.Concurrent;
using System.Diagnostics;
using GrantSim.Client.Histories;
using GrantSim.Ecr;

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

    /// <summary>Pushes whose outcome broke the tag mutability the run had set: a refusal where the tag could move, or a tag moved where it could not.</summary>
    public List<string> TagMutabilityMismatches { get; } = [];

    /// <summary>Replications the source reported COMPLETE: the destination must hold the image, in its trail as ReplicateImage.</summary>
    public List<AcknowledgedReplication> Replications { get; } = [];

    /// <summary>Cross-account pulls that succeeded: the owner's trail must show ECR decrypting for them (KMS repositories).</summary>
    public List<AcknowledgedCrossAccountPull> CrossAccountPulls { get; } = [];

    /// <summary>The ARNs of replica repositories the run deleted: no active grant may be left for them unreported.</summary>
    public HashSet<string> DeletedReplicaArns { get; } = new(StringComparer.Ordinal);

    /// <summary>Where each registry (account, Region) replicates its <c>mirror/</c> repositories, as the last acknowledged put said.</summary>
    public Dictionary<(string Account, string Region), (string Account, string Region)> ReplicationTargets { get; } = [];

    /// <summary>The source accounts each destination registry's policy lets replicate into it.</summary>
    public Dictionary<(string Account, string Region), SortedSet<string>> ReplicationSources { get; } = [];

    public RepositoryTrack Track(string account, string region, string name) =>
        _repositories.GetOrAdd((account, region, name), key => new RepositoryTrack(key.Account, key.Region, key.Name));

    /// <summary>The destination track of <paramref name="source"/>'s replicas in another registry.</summary>
    public RepositoryTrack Replica(RepositoryTrack source, string account, string region) =>
        _repositories.GetOrAdd((account, region, source.Name), key => new RepositoryTrack(key.Account, key.Region, key.Name) { ReplicatedFrom = source });

    private static Func<double> ClockFromNow()
    {
        var clock = Stopwatch.StartNew();
        return () => clock.Elapsed.TotalSeconds;
    }
}

/// <summary>A replication the source reported COMPLETE: the image, from where to where.</summary>
public sealed record AcknowledgedReplication(RepositoryTrack Source, RepositoryTrack Destination, string ManifestDigest);

/// <summary>A pull by another account that the repository policy allowed and that returned the pushed bytes.</summary>
/// <param name="Incarnation">The owner repository as the run knew it when the pull was made: it may be deleted and created again, with another encryption, by the time the invariants look.</param>
public sealed record AcknowledgedCrossAccountPull(RepositoryTrack Owner, string PullerAccount, string ManifestDigest, RepositoryDescription? Incarnation);
