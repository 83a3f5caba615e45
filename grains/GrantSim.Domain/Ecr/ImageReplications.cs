using System.Collections.Immutable;
using GrantSim.Aws;

namespace GrantSim.Ecr;

public enum ReplicationState
{
    InProgress,
    Complete,
    Failed,
}

/// <summary>
/// One push's replication to one destination, kept in the source repository's state: while <see cref="ReplicationState.InProgress"/>
/// it is the outbox (a reminder delivers it), after that it is what DescribeImageReplicationStatus reports.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.ImageReplication")]
public sealed record ImageReplication(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string ImageDigest,
    [property: Id(2)] string? ImageTag,
    [property: Id(3)] ReplicationDestination Destination,
    [property: Id(4)] ReplicationState State,
    [property: Id(5)] string? FailureCode,
    [property: Id(6)] DateTimeOffset QueuedAt);

/// <summary>The outbox's transitions and reading; pure.</summary>
public static class ImageReplications
{
    /// <summary>Finished replications kept per repository for DescribeImageReplicationStatus; the oldest finished go first past it.</summary>
    public const int MaxKept = 1000;

    public static string ToWire(this ReplicationState state) => state switch
    {
        ReplicationState.InProgress => "IN_PROGRESS",
        ReplicationState.Complete => "COMPLETE",
        ReplicationState.Failed => "FAILED",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>Queues a push's image for each destination; a replication of the same image and tag to the same destination still in progress is not queued twice.</summary>
    public static ImmutableList<ImageReplication> Queue(
        ImmutableList<ImageReplication> outbox, string imageDigest, string? imageTag, IEnumerable<ReplicationDestination> destinations, Func<Guid> newId, DateTimeOffset now)
    {
        foreach (var destination in destinations)
        {
            if (!outbox.Any(r => r.State == ReplicationState.InProgress && r.ImageDigest == imageDigest && r.ImageTag == imageTag && r.Destination == destination))
            {
                outbox = outbox.Add(new ImageReplication(newId(), imageDigest, imageTag, destination, ReplicationState.InProgress, null, now));
            }
        }

        return Trim(outbox);
    }

    public static IReadOnlyList<Guid> Pending(ImmutableList<ImageReplication> outbox) =>
        outbox.Where(r => r.State == ReplicationState.InProgress).Select(r => r.Id).ToArray();

    /// <summary>
    /// What a destination's answer makes of a replication: none (null) is COMPLETE; a transient error leaves it in progress
    /// for the next delivery; any other error is FAILED with that error as its failure code.
    /// </summary>
    public static ImmutableList<ImageReplication> Record(ImmutableList<ImageReplication> outbox, Guid id, string? errorCode)
    {
        var index = outbox.FindIndex(r => r.Id == id);
        if (index < 0 || outbox[index].State != ReplicationState.InProgress || (errorCode is not null && AwsErrorCodes.IsTransient(errorCode)))
        {
            return outbox;
        }

        var entry = outbox[index];
        return outbox.SetItem(index, errorCode is null
            ? entry with { State = ReplicationState.Complete, FailureCode = null }
            : entry with { State = ReplicationState.Failed, FailureCode = errorCode });
    }

    /// <summary>Drops a replication with nothing to send (its push never completed, or its image was deleted before it left).</summary>
    public static ImmutableList<ImageReplication> Drop(ImmutableList<ImageReplication> outbox, Guid id) => outbox.RemoveAll(r => r.Id == id);

    /// <summary>The status per destination of an image: each destination's latest replication of that digest.</summary>
    public static IReadOnlyList<ImageReplicationStatus> StatusOf(ImmutableList<ImageReplication> outbox, string imageDigest) =>
        outbox.Where(r => r.ImageDigest == imageDigest)
            .GroupBy(r => r.Destination)
            .Select(g => g.Last())
            .Select(r => new ImageReplicationStatus(r.Destination.Region, r.Destination.RegistryId, r.State.ToWire(), r.FailureCode))
            .ToArray();

    private static ImmutableList<ImageReplication> Trim(ImmutableList<ImageReplication> outbox)
    {
        while (outbox.Count > MaxKept && outbox.FindIndex(r => r.State != ReplicationState.InProgress) is var oldest and >= 0)
        {
            outbox = outbox.RemoveAt(oldest);
        }

        return outbox;
    }
}
