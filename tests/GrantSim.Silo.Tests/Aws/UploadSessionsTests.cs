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

    [Fact]
    public void TheDefaultLimits_AreValid() => Assert.Null(new UploadLimits().Invalid());

    public static TheoryData<string, string?> LimitBoundaries => new()
    {
        { "MaxUploadBytes=1", null },
        { "MaxUploadBytes=0", "GrantSim__Aws__Uploads__MaxUploadBytes must be at least 1" },
        { "MaxSessionsPerSilo=1,MaxSessionsPerTenant=1", null },
        { "MaxSessionsPerSilo=0,MaxSessionsPerTenant=0", "GrantSim__Aws__Uploads__MaxSessionsPerSilo must be at least 1" },
        { "MaxSessionsPerTenant=0", "GrantSim__Aws__Uploads__MaxSessionsPerTenant must be between 1 and MaxSessionsPerSilo" },
        { "MaxSessionsPerTenant=1000", null },
        { "MaxSessionsPerTenant=1001", "GrantSim__Aws__Uploads__MaxSessionsPerTenant must be between 1 and MaxSessionsPerSilo" },
        { "MaxBytesPerTenant=536870912", null },
        { "MaxBytesPerTenant=536870911", "GrantSim__Aws__Uploads__MaxBytesPerTenant must be at least MaxUploadBytes" },
        { "MaxBytesPerSilo=2147483648", null },
        { "MaxBytesPerSilo=2147483647", "GrantSim__Aws__Uploads__MaxBytesPerSilo must be at least MaxBytesPerTenant" },
        { "InMemoryBytes=0", null },
        { "InMemoryBytes=-1", "GrantSim__Aws__Uploads__InMemoryBytes must not be negative" },
        { "IdleLimit=1", null },
        { "IdleLimit=0", "GrantSim__Aws__Uploads__IdleLimit must be positive" },
        { "IdleLimit=-1", "GrantSim__Aws__Uploads__IdleLimit must be positive" },
    };

    /// <summary>Each limit at its boundary is accepted, one past it is named as configuration names it.</summary>
    [Theory]
    [MemberData(nameof(LimitBoundaries))]
    public void EachLimit_IsCheckedAtItsBoundary(string settings, string? problem)
    {
        var limits = new UploadLimits();
        foreach (var setting in settings.Split(','))
        {
            var (name, value) = (setting.Split('=')[0], long.Parse(setting.Split('=')[1], System.Globalization.CultureInfo.InvariantCulture));
            switch (name)
            {
                case "MaxUploadBytes": limits.MaxUploadBytes = value; break;
                case "MaxSessionsPerSilo": limits.MaxSessionsPerSilo = (int)value; break;
                case "MaxSessionsPerTenant": limits.MaxSessionsPerTenant = (int)value; break;
                case "MaxBytesPerTenant": limits.MaxBytesPerTenant = value; break;
                case "MaxBytesPerSilo": limits.MaxBytesPerSilo = value; break;
                case "InMemoryBytes": limits.InMemoryBytes = (int)value; break;
                case "IdleLimit": limits.IdleLimit = TimeSpan.FromTicks(value); break;
            }
        }

        Assert.Equal(problem, limits.Invalid());
    }

    [Fact]
    public void TheRefusals_SayWhichLimitAndHowToGetOut()
    {
        var uploads = New(limits: l => (l.MaxSessionsPerTenant, l.MaxSessionsPerSilo, l.IdleLimit, l.MaxUploadBytes, l.MaxBytesPerTenant, l.MaxBytesPerSilo) = (1, 2, TimeSpan.FromMinutes(30), 4, 6, 8));
        var first = uploads.Start(Owner, Repository);

        Assert.Equal("Too many uploads in progress for account 111100000001: at most 1. Complete or cancel some, or wait 30 minutes for abandoned ones to be reclaimed.",
            Assert.Throws<AwsServiceException>(() => uploads.Start(Owner, Repository)).Message);
        var second = uploads.Start(OtherOwner, OtherRepository);
        Assert.Equal("Too many uploads in progress on this server: at most 2. Try again later.",
            Assert.Throws<AwsServiceException>(() => uploads.Start("arn:aws:iam::111100000003:root", "111100000003/us-east-1/app")).Message);
        Assert.Equal("A layer may not exceed 4 bytes here.", Assert.Throws<AwsServiceException>(() => uploads.Append(first, Owner, Repository, 0, new byte[5])).Message);
        Assert.Equal($"The upload with id '{first}' does not exist in this repository for this caller.",
            Assert.Throws<AwsServiceException>(() => uploads.Append(first, OtherOwner, Repository, 0, [1])).Message);
        uploads.Append(first, Owner, Repository, 0, new byte[4]);
        Assert.Equal("The part starts at byte 3, but the upload has 4 bytes: parts must arrive in order.",
            Assert.Throws<AwsServiceException>(() => uploads.Append(first, Owner, Repository, 3, [1])).Message);
        uploads.Append(second, OtherOwner, OtherRepository, 0, new byte[4]);
        Assert.Equal(8, uploads.Bytes);
        Assert.Equal(2, uploads.Count);
    }

    [Fact]
    public void TheSilosBytes_AreLimitedAcrossTenants_AtExactlyTheLimit()
    {
        var uploads = New(limits: l => (l.MaxUploadBytes, l.MaxBytesPerTenant, l.MaxBytesPerSilo) = (5, 5, 8));
        var first = uploads.Start(Owner, Repository);
        var second = uploads.Start(OtherOwner, OtherRepository);
        uploads.Append(first, Owner, Repository, 0, new byte[5]);

        var refused = Assert.Throws<AwsServiceException>(() => uploads.Append(second, OtherOwner, OtherRepository, 0, new byte[4]));

        Assert.Equal(AwsErrorCodes.LimitExceeded, refused.ErrorCode);
        Assert.Equal("Unfinished uploads on this server may hold at most 8 bytes. Try again later.", refused.Message);
        Assert.Equal(3, uploads.Append(second, OtherOwner, OtherRepository, 0, new byte[3]));
        Assert.Equal(8, uploads.Bytes);
    }

    [Fact]
    public void ATenantsBytes_MayReachTheirLimitExactly_ButNotPassIt()
    {
        var uploads = New(limits: l => (l.MaxUploadBytes, l.MaxBytesPerTenant) = (10, 12));
        var first = uploads.Start(Owner, Repository);
        var second = uploads.Start(Owner, Repository);
        uploads.Append(first, Owner, Repository, 0, new byte[10]);

        Assert.Equal(2, uploads.Append(second, Owner, Repository, 0, new byte[2]));
        Assert.Equal("Unfinished uploads of account 111100000001 may hold at most 12 bytes.",
            Assert.Throws<AwsServiceException>(() => uploads.Append(second, Owner, Repository, 2, [1])).Message);
    }

    [Fact]
    public void AnUpload_MayReachTheLayerLimitExactly()
    {
        var uploads = New(limits: l => l.MaxUploadBytes = 6);
        var id = uploads.Start(Owner, Repository);

        Assert.Equal(6, uploads.Append(id, Owner, Repository, 0, new byte[6]));
        Assert.Equal(AwsErrorCodes.LimitExceeded, Assert.Throws<AwsServiceException>(() => uploads.Append(id, Owner, Repository, 6, [1])).ErrorCode);
    }

    [Fact]
    public async Task AStreamedPart_IsCheckedAgainstTheLimitsAsItArrives_AndLeavesNothingBehind()
    {
        var uploads = New(limits: l => (l.MaxUploadBytes, l.InMemoryBytes) = (100, 1));
        var id = uploads.Start(Owner, Repository);

        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => uploads.AppendAsync(id, Owner, Repository, 0, new MemoryStream(new byte[101])));

        Assert.Equal("A layer may not exceed 100 bytes here.", refused.Message);
        Assert.Equal(0, uploads.Length(id, Owner, Repository));
        Assert.Empty(SpoolFiles());
        Assert.Equal(100, await uploads.AppendAsync(id, Owner, Repository, 0, new MemoryStream(new byte[100]), expectedLength: 100));
        Assert.Equal("The part's range says 3 bytes, but 0 arrived.",
            (await Assert.ThrowsAsync<AwsServiceException>(() => uploads.AppendAsync(id, Owner, Repository, 100, new MemoryStream(), expectedLength: 3))).Message);
        Assert.Equal(UploadSessions.InvalidLayerPart,
            (await Assert.ThrowsAsync<AwsServiceException>(() => uploads.AppendAsync(id, Owner, Repository, 7, new MemoryStream([]), expectedLength: 0))).ErrorCode);
        Assert.Single(SpoolFiles());
    }

    [Fact]
    public async Task ASealedUpload_TakesNoPart_UntilUnsealed_AndFinishingEndsIt()
    {
        var uploads = New();
        var id = uploads.Start(Owner, Repository);
        uploads.Append(id, Owner, Repository, 0, [1, 2]);

        Assert.Equal([1, 2, 3], await uploads.SealAsync(id, Owner, Repository, new MemoryStream([3]), firstByte: 2, expectedLength: 1));

        Assert.Equal($"The upload '{id}' is being completed: no part may be added.",
            Assert.Throws<AwsServiceException>(() => uploads.Append(id, Owner, Repository, 2, [9])).Message);
        Assert.Equal(UploadSessions.InvalidLayerPart,
            (await Assert.ThrowsAsync<AwsServiceException>(() => uploads.AppendAsync(id, Owner, Repository, 2, new MemoryStream([9])))).ErrorCode);
        uploads.Unseal(id, OtherOwner, Repository);
        Assert.Throws<AwsServiceException>(() => uploads.Append(id, Owner, Repository, 2, [9]));

        uploads.Unseal(id, Owner, Repository);
        Assert.Equal(2, uploads.Length(id, Owner, Repository));
        Assert.Equal(3, uploads.Append(id, Owner, Repository, 2, [4]));
        Assert.Equal([1, 2, 4], await uploads.SealAsync(id, Owner, Repository));

        Assert.Equal(UploadSessions.UploadNotFound, Assert.Throws<AwsServiceException>(() => uploads.Finish(id, OtherOwner, Repository)).ErrorCode);
        Assert.Equal(1, uploads.Count);
        uploads.Finish(id, Owner, Repository);
        Assert.Equal(0, uploads.Count);
        Assert.Equal(UploadSessions.UploadNotFound, Assert.Throws<AwsServiceException>(() => uploads.Length(id, Owner, Repository)).ErrorCode);
    }

    [Fact]
    public async Task SealingWithAFinalPart_ChecksItsPositionLengthAndRoom_AndChangesNothingWhenRefused()
    {
        var uploads = New(limits: l => l.MaxUploadBytes = 4);
        var id = uploads.Start(Owner, Repository);
        uploads.Append(id, Owner, Repository, 0, [1, 2]);

        Assert.Equal("The part starts at byte 1, but the upload has 2 bytes: parts must arrive in order.",
            (await Assert.ThrowsAsync<AwsServiceException>(() => uploads.SealAsync(id, Owner, Repository, new MemoryStream([3]), firstByte: 1))).Message);
        Assert.Equal("The part's range says 2 bytes, but 1 arrived.",
            (await Assert.ThrowsAsync<AwsServiceException>(() => uploads.SealAsync(id, Owner, Repository, new MemoryStream([3]), firstByte: 2, expectedLength: 2))).Message);
        Assert.Equal("A layer may not exceed 4 bytes here.",
            (await Assert.ThrowsAsync<AwsServiceException>(() => uploads.SealAsync(id, Owner, Repository, new MemoryStream([3, 4, 5]), firstByte: 2))).Message);

        Assert.Equal(2, uploads.Append(id, Owner, Repository, null, []));
        Assert.Equal([1, 2, 3, 4], await uploads.SealAsync(id, Owner, Repository, new MemoryStream([3, 4]), firstByte: 2));
        // An empty final part needs no position: it adds nothing.
        uploads.Unseal(id, Owner, Repository);
        Assert.Equal([1, 2], await uploads.SealAsync(id, Owner, Repository, new MemoryStream(), firstByte: 99));
    }

    [Fact]
    public void AnUploadOfExactlyItsInMemoryShare_StaysInMemory()
    {
        var uploads = New(limits: l => l.InMemoryBytes = 16);
        var id = uploads.Start(Owner, Repository);

        uploads.Append(id, Owner, Repository, 0, new byte[16]);
        Assert.Empty(SpoolFiles());

        uploads.Append(id, Owner, Repository, 16, [1]);
        Assert.Single(SpoolFiles());
        uploads.Cancel(id, Owner, Repository);
        Assert.Empty(SpoolFiles());
        Assert.Equal(0, uploads.Count);
    }

    [Fact]
    public void Cancelling_SomeoneElsesUpload_IsNotFound_AndLeavesItAlone()
    {
        var uploads = New();
        var id = uploads.Start(Owner, Repository);
        uploads.Append(id, Owner, Repository, 0, [1]);

        Assert.Equal(UploadSessions.UploadNotFound, Assert.Throws<AwsServiceException>(() => uploads.Cancel(id, OtherOwner, Repository)).ErrorCode);
        Assert.Equal(UploadSessions.UploadNotFound, Assert.Throws<AwsServiceException>(() => uploads.Complete(id, Owner, OtherRepository)).ErrorCode);
        Assert.Equal([1], uploads.Complete(id, Owner, Repository));
    }

    [Fact]
    public void ReclaimIdle_TakesOnlyUploadsIdlePastTheLimit_AndCountsThem()
    {
        var clock = new FakeTimeProvider();
        var uploads = New(clock, l => (l.IdleLimit, l.MaxSessionsPerTenant) = (TimeSpan.FromHours(2), 2));
        uploads.Start(Owner, Repository);
        clock.Advance(TimeSpan.FromMinutes(30));
        var younger = uploads.Start(Owner, Repository);

        // The timer runs every minute at most, whatever the limit; here nothing is idle long enough yet.
        clock.Advance(TimeSpan.FromMinutes(90));
        Assert.Equal(2, uploads.Count);
        Assert.Equal(0, uploads.ReclaimIdle());

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, uploads.Count);
        Assert.Equal(0, uploads.Length(younger, Owner, Repository));
        // A new upload finds the tenant's freed slot.
        uploads.Start(Owner, Repository);
        Assert.Equal(2, uploads.Count);
    }

    [Fact]
    public void TheReclaimTimer_RunsAtLeastEverySecond_ForAShortIdleLimit()
    {
        var clock = new FakeTimeProvider();
        var uploads = New(clock, l => l.IdleLimit = TimeSpan.FromMilliseconds(400));
        uploads.Start(Owner, Repository);

        clock.Advance(TimeSpan.FromMilliseconds(900));
        Assert.Equal(1, uploads.Count);

        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, uploads.Count);
    }

    [Fact]
    public void Disposing_DropsEveryUploadAndItsSpoolFiles_ButNeverAConfiguredFolder()
    {
        var settings = new UploadLimits { SpoolDirectory = _spool, InMemoryBytes = 1 };
        var uploads = new UploadSessions(settings, TimeProvider.System);
        var id = uploads.Start(Owner, Repository);
        uploads.Append(id, Owner, Repository, 0, [1, 2, 3]);
        var someoneElses = Path.Combine(_spool, "not-an-upload.txt");
        File.WriteAllText(someoneElses, "kept");
        Assert.Equal(2, Directory.GetFiles(_spool).Length);

        uploads.Dispose();

        Assert.Equal(0, uploads.Count);
        Assert.Equal([someoneElses], Directory.GetFiles(_spool));
        File.Delete(someoneElses);
    }

    [Fact]
    public void Disposing_LeavesItsOwnFolderInPlace_WhenSomethingElseWasPutInIt()
    {
        var uploads = new UploadSessions(new UploadLimits { InMemoryBytes = 1 }, TimeProvider.System);
        var id = uploads.Start(Owner, Repository);
        uploads.Append(id, Owner, Repository, 0, [1, 2]);
        var stranger = Path.Combine(uploads.SpoolPath, "stranger.txt");
        File.WriteAllText(stranger, "kept");

        uploads.Dispose();

        Assert.True(File.Exists(stranger));
        Directory.Delete(uploads.SpoolPath, recursive: true);
    }

    [Fact]
    public void WithoutASpoolDirectory_EachSiloSpoolsInAFolderOfItsOwn_UnderTheTemporaryFolder_AndRemovesIt()
    {
        using var first = new UploadSessions(new UploadLimits { InMemoryBytes = 1 }, TimeProvider.System);
        using var second = new UploadSessions(new UploadLimits(), TimeProvider.System);

        Assert.Equal(Path.GetFullPath(Path.GetTempPath()).TrimEnd(Path.DirectorySeparatorChar), Path.GetDirectoryName(first.SpoolPath));
        Assert.StartsWith($"grantsim-uploads-{Environment.ProcessId}-", Path.GetFileName(first.SpoolPath), StringComparison.Ordinal);
        Assert.NotEqual(first.SpoolPath, second.SpoolPath);
        var id = first.Start(Owner, Repository);
        first.Append(id, Owner, Repository, 0, [1, 2, 3]);
        Assert.Single(Directory.GetFiles(first.SpoolPath));

        first.Dispose();

        Assert.False(Directory.Exists(first.SpoolPath));
    }

    [Fact]
    public void ByDefault_An64KiBUpload_StaysInMemory_AndOneByteMoreIsSpooled()
    {
        var uploads = New();
        var id = uploads.Start(Owner, Repository);

        uploads.Append(id, Owner, Repository, 0, new byte[64 * 1024]);
        Assert.Empty(SpoolFiles());
        uploads.Append(id, Owner, Repository, 64 * 1024, [1]);
        Assert.Single(SpoolFiles());
    }

    [Fact]
    public async Task AFinishedUpload_GivesBackItsSpoolFile()
    {
        var uploads = New(limits: l => l.InMemoryBytes = 1);
        var id = uploads.Start(Owner, Repository);
        uploads.Append(id, Owner, Repository, 0, [1, 2]);
        await uploads.SealAsync(id, Owner, Repository);
        Assert.Single(SpoolFiles());

        uploads.Finish(id, Owner, Repository);

        Assert.Empty(SpoolFiles());
    }

    [Fact]
    public void StartingAnUpload_ReclaimsIdleOnes_EvenBeforeTheTimerRuns()
    {
        var clock = new TimersNeverFire();
        var uploads = New(clock, l => (l.IdleLimit, l.MaxSessionsPerTenant) = (TimeSpan.FromMinutes(10), 1));
        uploads.Start(Owner, Repository);
        clock.Now += TimeSpan.FromMinutes(11);

        uploads.Start(Owner, Repository);

        Assert.Equal(1, uploads.Count);
    }

    [Fact]
    public void ReclaimIdle_CountsWhatItReclaimed()
    {
        var clock = new TimersNeverFire();
        var uploads = New(clock, l => l.IdleLimit = TimeSpan.FromMinutes(10));
        uploads.Start(Owner, Repository);
        uploads.Start(OtherOwner, OtherRepository);
        clock.Now += TimeSpan.FromMinutes(5);
        uploads.Start(Owner, Repository);
        clock.Now += TimeSpan.FromMinutes(6);

        Assert.Equal(2, uploads.ReclaimIdle());
        Assert.Equal(1, uploads.Count);
    }

    [Fact]
    public void Disposing_StopsTheReclaimTimer()
    {
        var clock = new TimersNeverFire();
        var uploads = new UploadSessions(new UploadLimits { SpoolDirectory = _spool }, clock);
        Assert.Equal(1, clock.LiveTimers);

        uploads.Dispose();

        Assert.Equal(0, clock.LiveTimers);
    }

    [Fact]
    public async Task AStreamedPartPastTheLimit_IsRefusedAsItArrives_NotAfterItWasAllRead()
    {
        var uploads = New(limits: l => l.MaxUploadBytes = 1024 * 1024);
        var id = uploads.Start(Owner, Repository);
        var endless = new EndlessStream();

        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => uploads.AppendAsync(id, Owner, Repository, 0, endless));

        Assert.Equal(AwsErrorCodes.LimitExceeded, refused.ErrorCode);
        Assert.InRange(endless.Served, 1024 * 1024, 2 * 1024 * 1024);
        var sealRefused = await Assert.ThrowsAsync<AwsServiceException>(() => uploads.SealAsync(id, Owner, Repository, endless = new EndlessStream(), firstByte: 0));
        Assert.Equal(AwsErrorCodes.LimitExceeded, sealRefused.ErrorCode);
        Assert.InRange(endless.Served, 1024 * 1024, 2 * 1024 * 1024);
    }

    [Fact]
    public async Task AStreamedPart_CountsWhatTheUploadAlreadyHolds()
    {
        var uploads = New(limits: l => l.MaxUploadBytes = 10);
        var id = uploads.Start(Owner, Repository);
        uploads.Append(id, Owner, Repository, 0, new byte[8]);

        var endless = new EndlessStream(chunk: 1);
        await Assert.ThrowsAsync<AwsServiceException>(() => uploads.AppendAsync(id, Owner, Repository, 8, endless));
        Assert.Equal(3, endless.Served);

        endless = new EndlessStream(chunk: 1);
        await Assert.ThrowsAsync<AwsServiceException>(() => uploads.SealAsync(id, Owner, Repository, endless, firstByte: 8));
        Assert.Equal(3, endless.Served);
    }

    [Fact]
    public async Task AnUploadCancelledWhileAPartStreams_RefusesThePart_AsNotFound()
    {
        var uploads = New();
        var id = uploads.Start(Owner, Repository);
        var part = new CallbackStream([1, 2, 3], () => uploads.Cancel(id, Owner, Repository));

        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => uploads.AppendAsync(id, Owner, Repository, 0, part));

        Assert.Equal(UploadSessions.UploadNotFound, refused.ErrorCode);
        Assert.Equal(2, part.Position);
    }

    [Fact]
    public async Task AnUploadCancelledWhileItsFinalPartStreams_IsNotSealed_AndNotFound()
    {
        var uploads = New();
        var id = uploads.Start(Owner, Repository);
        var part = new CallbackStream([1, 2, 3], () => uploads.Cancel(id, Owner, Repository));

        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => uploads.SealAsync(id, Owner, Repository, part, firstByte: 0));

        Assert.Equal(UploadSessions.UploadNotFound, refused.ErrorCode);
        Assert.Equal(2, part.Position);
    }

    [Fact]
    public async Task AnUploadCancelledAfterItsFinalPartArrived_IsNotSealed_AndNotFound()
    {
        var uploads = New();
        var id = uploads.Start(Owner, Repository);
        var part = new CallbackStream([1, 2, 3], () => uploads.Cancel(id, Owner, Repository), whenDone: true);

        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => uploads.SealAsync(id, Owner, Repository, part, firstByte: 0));

        Assert.Equal(UploadSessions.UploadNotFound, refused.ErrorCode);
    }

    [Fact]
    public async Task AnUploadCancelledAfterAStreamedPartArrived_TakesNothing()
    {
        var uploads = New();
        var id = uploads.Start(Owner, Repository);
        var part = new CallbackStream([1, 2, 3], () => uploads.Cancel(id, Owner, Repository), whenDone: true);

        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => uploads.AppendAsync(id, Owner, Repository, 0, part));

        Assert.Equal(UploadSessions.UploadNotFound, refused.ErrorCode);
    }

    [Fact]
    public async Task AnUploadThatGrewWhileAPartStreamed_IsCheckedAgainstItsLimitWithBoth()
    {
        var uploads = New(limits: l => l.MaxUploadBytes = 5);
        var id = uploads.Start(Owner, Repository);
        var part = new CallbackStream([1, 2, 3], () => uploads.Append(id, Owner, Repository, 0, [9, 9, 9]), whenDone: true);

        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => uploads.AppendAsync(id, Owner, Repository, null, part));

        Assert.Equal("A layer may not exceed 5 bytes here.", refused.Message);
        Assert.Equal(3, uploads.Length(id, Owner, Repository));
    }

    /// <summary>A clock whose timers never fire by themselves (a silo too busy to run them), and that counts the timers still alive.</summary>
    private sealed class TimersNeverFire : TimeProvider
    {
        private int _live;

        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        public int LiveTimers => Volatile.Read(ref _live);

        public override DateTimeOffset GetUtcNow() => Now;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _live);
            return new Timer(() => Interlocked.Decrement(ref _live));
        }

        private sealed class Timer(Action disposed) : ITimer
        {
            private int _disposed;

            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    disposed();
                }
            }

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }

    /// <summary>A body that never ends, counting what it served.</summary>
    private sealed class EndlessStream(int chunk = 64 * 1024) : Stream
    {
        public long Served { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var served = Math.Min(count, chunk);
            Served += served;
            return served;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(new byte[buffer.Length], 0, buffer.Length));

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A body that runs <paramref name="during"/> once: after serving its first byte, or, with <paramref name="whenDone"/>, when it has nothing more to serve.</summary>
    private sealed class CallbackStream(byte[] content, Action during, bool whenDone = false) : Stream
    {
        private int _position;
        private bool _called;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position == content.Length)
            {
                Call(whenDone);
                return 0;
            }

            Call(!whenDone && _position == 1);
            buffer[offset] = content[_position++];
            return 1;
        }

        private void Call(bool now)
        {
            if (now && !_called)
            {
                _called = true;
                during();
            }
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var one = new byte[1];
            var read = Read(one, 0, buffer.Length == 0 ? 0 : 1);
            if (read > 0)
            {
                buffer.Span[0] = one[0];
            }

            return ValueTask.FromResult(read);
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => content.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private string[] SpoolFiles() => Directory.Exists(_spool) ? Directory.GetFiles(_spool) : [];
}
