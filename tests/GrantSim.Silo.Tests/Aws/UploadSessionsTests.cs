using GrantSim.Aws;
using GrantSim.Silo.Aws;
using Microsoft.Extensions.Time.Testing;

namespace GrantSim.Silo.Tests.Aws;

public sealed class UploadSessionsTests : IDisposable
{
    private const string Owner = "arn:aws:iam::111100000001:root";
    private const string Repository = "111100000001/us-east-1/app";
    private const string OtherOwner = "arn:aws:iam::111100000002:root";
    private const string OtherRepository = "111100000002/us-east-1/app";

    private readonly string _spool = Path.Combine(Path.GetTempPath(), $"grantsim-upload-tests-{Guid.NewGuid():N}");
    private readonly List<UploadSessions> _created = [];

    public void Dispose()
    {
        foreach (var uploads in _created)
        {
            uploads.Dispose();
        }
    }

    private UploadSessions New(TimeProvider? clock = null, Action<UploadLimits>? limits = null)
    {
        var settings = new UploadLimits { SpoolDirectory = _spool };
        limits?.Invoke(settings);
        var uploads = new UploadSessions(settings, clock ?? TimeProvider.System);
        _created.Add(uploads);
        return uploads;
    }

    [Fact]
    public void Parts_InOrder_AreJoinedOnComplete()
    {
        var uploads = New();
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
        var uploads = New();
        var id = uploads.Start(Owner, Repository);
        uploads.Append(id, Owner, Repository, 0, [1, 2]);

        Assert.Equal(UploadSessions.InvalidLayerPart, Assert.Throws<AwsServiceException>(() => uploads.Append(id, Owner, Repository, 5, [9])).ErrorCode);
        Assert.Equal(2, uploads.Length(id, Owner, Repository));
    }

    [Theory]
    [InlineData(OtherOwner, Repository)]
    [InlineData(Owner, "111100000001/us-east-1/other")]
    public void AnUpload_IsInvisibleToOtherPrincipalsAndRepositories(string owner, string repository)
    {
        var uploads = New();
        var id = uploads.Start(Owner, Repository);

        Assert.Equal(UploadSessions.UploadNotFound, Assert.Throws<AwsServiceException>(() => uploads.Append(id, owner, repository, 0, [1])).ErrorCode);
        Assert.Equal(0, uploads.Length(id, Owner, Repository));
    }

    [Fact]
    public void ATenantHoldingAllItsSlots_DoesNotStopAnotherTenant()
    {
        var uploads = New(limits: l => (l.MaxSessionsPerTenant, l.MaxSessionsPerSilo) = (3, 10));
        for (var i = 0; i < 3; i++)
        {
            uploads.Start(Owner, Repository);
        }

        var refused = Assert.Throws<AwsServiceException>(() => uploads.Start(Owner, Repository));
        Assert.Equal(AwsErrorCodes.LimitExceeded, refused.ErrorCode);
        Assert.Contains("111100000001", refused.Message, StringComparison.Ordinal);

        var other = uploads.Start(OtherOwner, OtherRepository);
        Assert.Equal(3, uploads.Append(other, OtherOwner, OtherRepository, 0, [1, 2, 3]));
    }

    [Fact]
    public void TheSiloLimit_HoldsAcrossTenants()
    {
        var uploads = New(limits: l => (l.MaxSessionsPerTenant, l.MaxSessionsPerSilo) = (2, 3));
        uploads.Start(Owner, Repository);
        uploads.Start(Owner, Repository);
        uploads.Start(OtherOwner, OtherRepository);

        Assert.Equal(AwsErrorCodes.LimitExceeded, Assert.Throws<AwsServiceException>(() => uploads.Start(OtherOwner, OtherRepository)).ErrorCode);
    }

    [Fact]
    public void ATenantsBytes_AreLimited_AndARefusedPartChangesNothing()
    {
        var uploads = New(limits: l => (l.MaxUploadBytes, l.MaxBytesPerTenant) = (10, 12));
        var first = uploads.Start(Owner, Repository);
        var second = uploads.Start(Owner, Repository);
        uploads.Append(first, Owner, Repository, 0, new byte[8]);

        Assert.Equal(AwsErrorCodes.LimitExceeded, Assert.Throws<AwsServiceException>(() => uploads.Append(second, Owner, Repository, 0, new byte[5])).ErrorCode);
        Assert.Equal(AwsErrorCodes.LimitExceeded, Assert.Throws<AwsServiceException>(() => uploads.Append(first, Owner, Repository, 8, new byte[3])).ErrorCode);
        Assert.Equal(0, uploads.Length(second, Owner, Repository));
        Assert.Equal(8, uploads.Length(first, Owner, Repository));
        var other = uploads.Start(OtherOwner, OtherRepository);
        Assert.Equal(10, uploads.Append(other, OtherOwner, OtherRepository, 0, new byte[10]));
    }

    [Fact]
    public void AnUploadPastItsInMemoryShare_IsSpooledToAFile_GoneWhenItCompletes()
    {
        var uploads = New(limits: l => l.InMemoryBytes = 16);
        var id = uploads.Start(Owner, Repository);
        var content = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        uploads.Append(id, Owner, Repository, 0, content.AsSpan(0, 10));
        Assert.Empty(SpoolFiles());

        uploads.Append(id, Owner, Repository, 10, content.AsSpan(10));

        Assert.Single(SpoolFiles());
        Assert.Equal(content, uploads.Complete(id, Owner, Repository));
        Assert.Empty(SpoolFiles());
    }

    [Fact]
    public async Task AStreamedPart_IsAppendedWhole_OrNotAtAll()
    {
        var uploads = New(limits: l => l.InMemoryBytes = 4);
        var id = uploads.Start(Owner, Repository);
        await uploads.AppendAsync(id, Owner, Repository, 0, new MemoryStream([1, 2, 3, 4, 5, 6]), expectedLength: 6);

        var shortPart = await Assert.ThrowsAsync<AwsServiceException>(() => uploads.AppendAsync(id, Owner, Repository, 6, new MemoryStream([7, 8]), expectedLength: 5));
        Assert.Equal(UploadSessions.InvalidLayerPart, shortPart.ErrorCode);
        Assert.Equal(6, uploads.Length(id, Owner, Repository));
        Assert.Equal([1, 2, 3, 4, 5, 6], uploads.Complete(id, Owner, Repository));
    }

    [Fact]
    public void AnAbandonedUpload_IsReclaimedByItsTimer_WithItsFile()
    {
        var clock = new FakeTimeProvider();
        var uploads = New(clock, l => (l.InMemoryBytes, l.IdleLimit) = (1, TimeSpan.FromMinutes(10)));
        var idle = uploads.Start(Owner, Repository);
        uploads.Append(idle, Owner, Repository, 0, new byte[100]);
        Assert.Single(SpoolFiles());

        clock.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(0, uploads.Count);
        Assert.Empty(SpoolFiles());
        Assert.Equal(UploadSessions.UploadNotFound, Assert.Throws<AwsServiceException>(() => uploads.Length(idle, Owner, Repository)).ErrorCode);
    }

    [Fact]
    public void AnUploadInUse_IsNotReclaimed()
    {
        var clock = new FakeTimeProvider();
        var uploads = New(clock, l => l.IdleLimit = TimeSpan.FromMinutes(10));
        var busy = uploads.Start(Owner, Repository);
        for (var minute = 0; minute < 30; minute += 5)
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            uploads.Append(busy, Owner, Repository, null, [1]);
        }

        Assert.Equal(6, uploads.Length(busy, Owner, Repository));
    }

    [Theory]
    [InlineData(0, "MaxSessionsPerSilo")]
    [InlineData(-1, "InMemoryBytes")]
    public void NonsenseLimits_AreNamed(int value, string setting)
    {
        var limits = setting == "MaxSessionsPerSilo" ? new UploadLimits { MaxSessionsPerSilo = value } : new UploadLimits { InMemoryBytes = value };

        Assert.Contains(setting, limits.Invalid(), StringComparison.Ordinal);
    }

    private string[] SpoolFiles() => Directory.Exists(_spool) ? Directory.GetFiles(_spool) : [];
}
