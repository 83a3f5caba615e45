using System.Collections.Immutable;
using GrantSim.Aws;
using GrantSim.Ecr;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class ImageReplicationsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ReplicationDestination West = new(Regions.UsWest2, "111122223333");
    private static readonly ReplicationDestination Europe = new(Regions.EuWest1, "111122223333");

    [Fact]
    public void APush_QueuesOneReplicationPerDestination_AndNotTwiceWhileOneIsInProgress()
    {
        var outbox = ImageReplications.Queue([], "sha256:a", "v1", [West, Europe], Guid.NewGuid, Now);
        var again = ImageReplications.Queue(outbox, "sha256:a", "v1", [West, Europe], Guid.NewGuid, Now);

        Assert.Equal(2, ImageReplications.Pending(again).Count);
        Assert.All(ImageReplications.StatusOf(again, "sha256:a"), s => Assert.Equal("IN_PROGRESS", s.Status));
    }

    [Fact]
    public void Outcomes_CompleteOrFail_ButATransientErrorLeavesItInProgress()
    {
        var outbox = ImageReplications.Queue([], "sha256:a", null, [West, Europe], Guid.NewGuid, Now);
        var (west, europe) = (outbox[0].Id, outbox[1].Id);

        var throttled = ImageReplications.Record(outbox, west, AwsErrorCodes.Throttling);
        Assert.Same(outbox, throttled);

        var done = ImageReplications.Record(ImageReplications.Record(outbox, west, null), europe, AwsErrorCodes.Kms);
        var statuses = ImageReplications.StatusOf(done, "sha256:a");
        Assert.Equal(new ImageReplicationStatus(Regions.UsWest2, "111122223333", "COMPLETE", null), statuses[0]);
        Assert.Equal(new ImageReplicationStatus(Regions.EuWest1, "111122223333", "FAILED", AwsErrorCodes.Kms), statuses[1]);
        Assert.Empty(ImageReplications.Pending(done));

        // Recording again (a delivery repeated after a crash) changes nothing.
        Assert.Same(done, ImageReplications.Record(done, west, AwsErrorCodes.Kms));
    }

    [Fact]
    public void TheStatusOfADestination_IsItsLatestReplicationOfTheImage()
    {
        var first = ImageReplications.Queue([], "sha256:a", "v1", [West], Guid.NewGuid, Now);
        var failed = ImageReplications.Record(first, first[0].Id, AwsErrorCodes.AccessDenied);
        var retagged = ImageReplications.Queue(failed, "sha256:a", "v2", [West], Guid.NewGuid, Now);

        Assert.Equal("IN_PROGRESS", Assert.Single(ImageReplications.StatusOf(retagged, "sha256:a")).Status);
        Assert.Empty(ImageReplications.StatusOf(retagged, "sha256:b"));
    }

    [Fact]
    public void Drop_RemovesOnlyThatReplication()
    {
        var outbox = ImageReplications.Queue([], "sha256:a", null, [West, Europe], Guid.NewGuid, Now);
        var dropped = ImageReplications.Drop(outbox, outbox[0].Id);
        Assert.Equal([outbox[1].Id], ImageReplications.Pending(dropped));
    }

    [Fact]
    public void FinishedReplications_AreKeptUpToALimit_OldestFirstOut_NeverOneInProgress()
    {
        var outbox = ImmutableList<ImageReplication>.Empty;
        for (var i = 0; i < ImageReplications.MaxKept + 10; i++)
        {
            outbox = ImageReplications.Queue(outbox, $"sha256:{i}", null, [West], Guid.NewGuid, Now);
            if (i > 0)
            {
                outbox = ImageReplications.Record(outbox, outbox[^1].Id, null);
            }
        }

        Assert.Equal(ImageReplications.MaxKept, outbox.Count);
        Assert.Equal("sha256:0", outbox[0].ImageDigest);
        Assert.Equal(ReplicationState.InProgress, outbox[0].State);
    }
}
