using GrantSim.Aws;
using GrantSim.Silo.Aws;
using Microsoft.Extensions.Time.Testing;

namespace GrantSim.Silo.Tests.Aws;

public sealed class UploadSessionsTests
{
    private const string Owner = "arn:aws:iam::111100000001:root";
    private const string Repository = "111100000001/us-east-1/app";

    [Fact]
    public void Parts_InOrder_AreJoinedOnComplete()
    {
        var uploads = new UploadSessions(TimeProvider.System);
        var id = uploads.Start(Owner, Repository);

        Assert.Equal(3, uploads.Append(id, Owner, Repository, 0, [1, 2, 3]));
        Assert.Equal(5, uploads.Append(id, Owner, Repository, 3, [4, 5]));
        Assert.Equal(6, uploads.Append(id, Owner, Repository, null, [6]));

        Assert.Equal([1, 2, 3, 4, 5, 6], uploads.Complete(id, Owner, Repository));
        Assert.Equal(UploadSessions.UploadNotFound, Assert.Throws<AwsServiceException>(() => uploads.Complete(id, Owner, Repository)).ErrorCode);
    }

    [Fact]
    public void APart_OutOfOrder_IsRefusedAndChangesNothing()
    {
        var uploads = new UploadSessions(TimeProvider.System);
        var id = uploads.Start(Owner, Repository);
        uploads.Append(id, Owner, Repository, 0, [1, 2]);

        Assert.Equal(UploadSessions.InvalidLayerPart, Assert.Throws<AwsServiceException>(() => uploads.Append(id, Owner, Repository, 5, [9])).ErrorCode);
        Assert.Equal(2, uploads.Length(id, Owner, Repository));
    }

    [Theory]
    [InlineData("arn:aws:iam::111100000002:root", Repository)]
    [InlineData(Owner, "111100000001/us-east-1/other")]
    public void AnUpload_IsInvisibleToOtherPrincipalsAndRepositories(string owner, string repository)
    {
        var uploads = new UploadSessions(TimeProvider.System);
        var id = uploads.Start(Owner, Repository);

        Assert.Equal(UploadSessions.UploadNotFound, Assert.Throws<AwsServiceException>(() => uploads.Append(id, owner, repository, 0, [1])).ErrorCode);
        Assert.Equal(0, uploads.Length(id, Owner, Repository));
    }

    [Fact]
    public void AnIdleUpload_IsDroppedWhenTheNextStarts()
    {
        var clock = new FakeTimeProvider();
        var uploads = new UploadSessions(clock);
        var idle = uploads.Start(Owner, Repository);

        clock.Advance(UploadSessions.IdleLimit + TimeSpan.FromSeconds(1));
        uploads.Start(Owner, Repository);

        Assert.Throws<AwsServiceException>(() => uploads.Length(idle, Owner, Repository));
    }
}
