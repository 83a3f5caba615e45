using GrantSim.Ecr;
using GrantSim.Identity;

namespace GrantSim.Grains;

/// <summary>
/// Replication's side of a repository (the same grain as <see cref="IRepositoryGrain"/>, keyed <c>account/region/name</c>):
/// as a source it keeps the outbox of images still to replicate and their status; as a destination it receives replicas.
/// </summary>
[Alias("GrantSim.IRepositoryReplicationGrain")]
public interface IRepositoryReplicationGrain : IGrainWithStringKey
{
    [Alias("DescribeImageReplicationStatus")] Task<(ImageIdentifier Image, IReadOnlyList<ImageReplicationStatus> Statuses)> DescribeImageReplicationStatus(CallerIdentity caller, ImageIdentifier image);

    /// <summary>The ids of the outbox's replications still in progress; not an AWS API.</summary>
    [Alias("PendingReplications")] Task<IReadOnlyList<Guid>> PendingReplications();

    /// <summary>One replication's image, decrypted through this repository's grants; null when there is nothing to send (done, or the image is gone).</summary>
    [Alias("PrepareReplica")] Task<ReplicaImage?> PrepareReplica(Guid replicationId);

    /// <summary>Records what a destination answered; an error code that is not transient makes the replication FAILED.</summary>
    [Alias("RecordReplicationOutcome")] Task RecordReplicationOutcome(Guid replicationId, string? errorCode);

    /// <summary>Stores a replica in this (destination) repository, creating the repository as ECR does when it is missing.</summary>
    [Alias("ReceiveReplica")] Task ReceiveReplica(CallerIdentity replicator, ReplicaImage replica);
}

/// <summary>
/// Delivers a source repository's outbox, keyed like the repository. The deliveries run here and not in the repository's
/// own turn, so that two registries replicating into each other never wait on each other's repository grains.
/// </summary>
[Alias("GrantSim.IReplicationWorkerGrain")]
public interface IReplicationWorkerGrain : IGrainWithStringKey
{
    /// <summary>Starts delivering; the caller does not wait (how a push hands its image to replication).</summary>
    [Alias("Kick"), Orleans.Concurrency.OneWay] Task Kick();

    /// <summary>Delivers every replication pending now and returns how many are still in progress after (those a transient error put off).</summary>
    [Alias("Drain")] Task<int> Drain();
}
