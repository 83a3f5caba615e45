using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Ecr;
using GrantSim.Faults;
using GrantSim.Grains;
using GrantSim.Hosting;
using GrantSim.Kms;
using GrantSim.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace GrantSim.Cluster.Tests.Faults;

/// <summary>
/// Crash points armed at exact places, on a silo of their own: what must survive a crash or a failed
/// write there, tested at that point rather than found by luck.
/// </summary>
public sealed class CrashPointTests : IAsyncLifetime
{
    private static readonly ArmedCrashPoints Points = new();
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await OwnCluster.StartAsync<WithCrashPoints>();

    public Task DisposeAsync() => OwnCluster.StopAsync(_cluster);

    /// <summary>
    /// A create whose first CreateGrant made its grant but never answered (the key's activation died right
    /// after storing it), then rolled back when the resumed create failed: the rollback finds that grant
    /// by the name ECR gave it and retires it. (Found by the crash-point property: it leaked.)
    /// </summary>
    [Fact]
    public async Task ARollback_RetiresTheGrantOfACreateGrantWhoseAnswerWasLost()
    {
        var tenant = await TestTenant.CreateAsync(_cluster.Client);
        var key = await tenant.CreateKeyAsync();
        Points.Arm(CrashPoints.GrantChangeStored, 1, CrashAction.Crash);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => tenant.CreateRepositoryAsync("lost", kmsKey: key.Arn));
        Assert.True(Points.FiredSinceArmed);
        Points.Disarm();
        var repository = _cluster.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(tenant.Account, tenant.Region, "lost"));
        Assert.Equal(RepositoryStatus.Creating, (await repository.Inspect()).Status);
        Assert.Single((await tenant.Kms.ListGrants(tenant.Admin, new ListGrantsRequest(key.Arn))).Grants);

        // The resumed create fails at KMS, so it rolls back.
        await tenant.SetSimulationAsync(TimeSpan.Zero, new FaultRule(KmsOperations.CreateGrant, AwsErrorCodes.KmsInternal, 1.0));
        await repository.ResumePendingWork();
        await tenant.SetSimulationAsync(TimeSpan.Zero);

        Assert.Equal(RepositoryStatus.Absent, (await repository.Inspect()).Status);
        Assert.Empty((await tenant.Kms.ListGrants(tenant.Admin, new ListGrantsRequest(key.Arn))).Grants);
    }

    [Fact]
    public async Task AGrantChangeStoredByAnActivationThatDiedBeforeItsRecord_IsInTheTrailAfterRecovery()
    {
        var tenant = await TestTenant.CreateAsync(_cluster.Client);
        var key = await tenant.CreateKeyAsync();
        Points.Arm(CrashPoints.GrantChangeStored, 1, CrashAction.Crash);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => tenant.Kms.CreateGrant(tenant.Admin,
            new CreateGrantRequest(key.Arn, tenant.Reader.Principal, [KmsOperations.Decrypt], Name: "crashed")));
        Points.Disarm();

        // The next call activates the key again; its first act is to append what its outbox holds.
        var grant = Assert.Single((await tenant.Kms.ListGrants(tenant.Admin, new ListGrantsRequest(key.Arn))).Grants);
        var recorded = await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.CreateGrant, GrantId: grant.GrantId));
        Assert.Single(recorded, e => e.Succeeded);
    }

    /// <summary>
    /// A grant change stored, and then a failure under the same call (its write's answer lost, as a storage
    /// timeout after the write landed): the activation lives on, so nothing would have appended the record
    /// waiting in the page's outbox. The key's activation now gives way after such a failure, and the next
    /// call's activation appends it. (Found by the crash-point property failing writes: the trail was one
    /// CreateGrant short of the key.)
    /// </summary>
    [Fact]
    public async Task AGrantChangeStoredByACallThatThenFailed_IsInTheTrailByTheNextCall()
    {
        var tenant = await TestTenant.CreateAsync(_cluster.Client);
        var key = await tenant.CreateKeyAsync();
        Points.Arm(CrashPoints.GrantChangeStored, 1, CrashAction.FailWrite);

        await Assert.ThrowsAsync<IOException>(() => tenant.Kms.CreateGrant(tenant.Admin,
            new CreateGrantRequest(key.Arn, tenant.Reader.Principal, [KmsOperations.Decrypt], Name: "answer-lost")));
        Assert.True(Points.FiredSinceArmed);
        Points.Disarm();

        var grant = Assert.Single((await tenant.Kms.ListGrants(tenant.Admin, new ListGrantsRequest(key.Arn))).Grants);
        var recorded = await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.CreateGrant, GrantId: grant.GrantId));
        Assert.Single(recorded, e => e.Succeeded);
    }

    /// <summary>
    /// A delete's reminder is registered before its first step is stored: a silo that dies right after
    /// leaves a reminder that will finish the delete. (A grain-layer mutant that dropped the registration
    /// survived every suite: they finish interrupted work by hand, as the reminder would.)
    /// </summary>
    [Fact]
    public async Task ADeleteInterruptedAfterItsFirstStep_LeavesAReminderToFinishIt()
    {
        var tenant = await TestTenant.CreateAsync(_cluster.Client);
        await tenant.CreateRepositoryAsync("reminded");
        var repository = _cluster.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(tenant.Account, tenant.Region, "reminded"));
        var before = await RemindersOf(repository.GetGrainId());
        Points.Arm(CrashPoints.DeleteBegun, 1, CrashAction.Crash);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => tenant.EcrApi.DeleteRepository(tenant.Admin, "reminded"));
        Points.Disarm();

        Assert.Empty(before);
        Assert.Equal(RepositoryStatus.Deleting, (await repository.Inspect()).Status);
        Assert.NotEmpty(await RemindersOf(repository.GetGrainId()));
    }

    private async Task<IReadOnlyList<string>> RemindersOf(GrainId grain)
    {
        var primary = Assert.IsType<InProcessSiloHandle>(_cluster.Primary);
        var table = primary.SiloHost.Services.GetRequiredService<IReminderTable>();
        return (await table.ReadRows(grain)).Reminders.Select(r => r.ReminderName).ToArray();
    }

    [Fact]
    public async Task WhenTheTrailsStorageFails_NoCallerOfThatBatchHearsSuccess()
    {
        var tenant = await TestTenant.CreateAsync(_cluster.Client);
        var key = await tenant.CreateKeyAsync();
        Points.Arm(CrashPoints.TrailAppendWriting, 2, CrashAction.FailWrite);

        // Many calls at once on one key: their records go to the trail in batches (the first call's alone, the rest behind it); the second batch's write fails.
        var calls = Enumerable.Range(0, 60).Select(async i =>
        {
            try
            {
                await tenant.Kms.GenerateDataKey(tenant.Root, new GenerateDataKeyRequest(key.Arn, EncryptionContext.Of(("call", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
                return (Call: i, Answered: true);
            }
            catch (Exception error) when (error is IOException or AwsServiceException)
            {
                return (Call: i, Answered: false);
            }
        }).ToArray();
        var outcomes = await Task.WhenAll(calls);
        Points.Disarm();

        Assert.True(Points.FiredSinceArmed, "the second append's write failed");
        Assert.Contains(outcomes, o => !o.Answered);
        var recorded = (await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.GenerateDataKey)))
            .Where(e => e.Succeeded).Select(e => e.RequestParameters.EncryptionContext!["call"]).ToHashSet(StringComparer.Ordinal);
        foreach (var (call, answered) in outcomes.Where(o => o.Answered))
        {
            Assert.Contains(call.ToString(System.Globalization.CultureInfo.InvariantCulture), recorded);
        }
    }

    public enum StepKind { Decrypt, Revoke, AwaitAll }

    public sealed record Step(StepKind Kind, bool WithToken)
    {
        public override string ToString() => Kind switch
        {
            StepKind.Decrypt => WithToken ? "decrypt+token" : "decrypt",
            StepKind.Revoke => "revoke",
            _ => "await all",
        };
    }

    public sealed record Schedule(IReadOnlyList<Step> Steps, string HeldAt, int Yields, int Warmups)
    {
        public override string ToString() => $"{Warmups} warm-up decrypts; yields {Yields} at {HeldAt}; {string.Join(" ", Steps)}";
    }

    public static class Schedules
    {
        private static readonly string[] Perturbed =
        [
            CrashPoints.CryptoDecided, CrashPoints.CryptoRecorded, CrashPoints.GrantChangeStored, CrashPoints.GrantChangeRecorded,
            CrashPoints.GrantChangeCleared, CrashPoints.TrailAppendWriting,
        ];

        public static Arbitrary<Schedule> All() =>
            (from count in Gen.Choose(2, 10)
             from steps in Gen.ArrayOf(StepGen(), count)
             from revokeAt in Gen.Choose(0, count)
             from heldAt in Gen.Elements(Perturbed)
             from yields in Gen.Choose(0, 8)
             from warmups in Gen.Choose(0, 3)
             select new Schedule([.. steps[..revokeAt], new Step(StepKind.Revoke, false), .. steps[revokeAt..]], heldAt, yields, warmups)).ToArbitrary();

        private static Gen<Step> StepGen() =>
            Gen.Frequency((5, Gen.Elements(true, false).Select(token => new Step(StepKind.Decrypt, token))), (2, Gen.Constant(new Step(StepKind.AwaitAll, false))));
    }

    /// <summary>
    /// A revoke acknowledged before a crypto call starts always wins, under randomized interleavings: decrypts
    /// by the grantee (with and without its grant token) started before, during and after a revoke, with
    /// barriers at random places and the key grain's steps perturbed (yields at one of the grant-change,
    /// crypto or trail points). Every decrypt that started after the revoke was answered is refused; every
    /// decrypt answered before the revoke started succeeded (so the schedule is not vacuous).
    /// </summary>
    [Property(MaxTest = 40, Arbitrary = [typeof(Schedules)])]
    public Property ARevokeAcknowledgedBeforeACryptoCallStarts_AlwaysWins(Schedule schedule) =>
        RevokeRaceAsync(schedule).GetAwaiter().GetResult().Label(schedule.ToString());

    private async Task<bool> RevokeRaceAsync(Schedule schedule)
    {
        var tenant = await TestTenant.CreateAsync(_cluster.Client);
        var key = await tenant.CreateKeyAsync();
        var grant = await tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(key.Arn, tenant.Reader.Principal, [KmsOperations.Decrypt]));
        var blob = (await tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(key.Arn, [1, 2, 3]))).CiphertextBlob;
        for (var i = 0; i < schedule.Warmups; i++)
        {
            await tenant.Kms.Decrypt(tenant.Reader, new DecryptRequest(blob, GrantTokens: i % 2 == 0 ? [grant.GrantToken] : null));
        }

        long clock = 0;
        long Tick() => Interlocked.Increment(ref clock);
        async Task<(long Start, long End, string? Error)> Timed(Func<Task> call)
        {
            var start = Tick();
            try
            {
                await call();
                return (start, Tick(), null);
            }
            catch (AwsServiceException error)
            {
                return (start, Tick(), error.ErrorCode);
            }
        }

        Points.Hold(schedule.HeldAt, async _ =>
        {
            for (var i = 0; i < schedule.Yields; i++)
            {
                await Task.Yield();
            }
        });
        var started = new List<(Step Step, Task<(long Start, long End, string? Error)> Outcome)>();
        try
        {
            foreach (var step in schedule.Steps)
            {
                switch (step.Kind)
                {
                    case StepKind.Revoke:
                        started.Add((step, Timed(() => tenant.Kms.RevokeGrant(tenant.Admin, key.Arn, grant.GrantId))));
                        break;
                    case StepKind.Decrypt:
                        started.Add((step, Timed(() => tenant.Kms.Decrypt(tenant.Reader, new DecryptRequest(blob, GrantTokens: step.WithToken ? [grant.GrantToken] : null)))));
                        break;
                    default:
                        await Task.WhenAll(started.Select(s => s.Outcome));
                        break;
                }
            }

            await Task.WhenAll(started.Select(s => s.Outcome));
        }
        finally
        {
            Points.Disarm();
        }

        var revoke = await started.Single(s => s.Step.Kind == StepKind.Revoke).Outcome;
        Assert.Null(revoke.Error);
        foreach (var (step, outcome) in started.Where(s => s.Step.Kind == StepKind.Decrypt).Select(s => (s.Step, s.Outcome.Result)))
        {
            if (outcome.Start > revoke.End)
            {
                Assert.True(outcome.Error == AwsErrorCodes.AccessDenied, $"{step} started after the revoke was answered and got {outcome.Error ?? "its plaintext"}");
            }
            else if (outcome.End < revoke.Start)
            {
                Assert.True(outcome.Error is null, $"{step} ended before the revoke started and failed: {outcome.Error}");
            }
        }

        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.Decrypt(tenant.Reader, new DecryptRequest(blob, GrantTokens: [grant.GrantToken])));
        return true;
    }

    private sealed class WithCrashPoints : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddSingleton<ICrashPoints>(Points);
            siloBuilder.AddGrantSim(ClusterFixture.Time).AddGrantSimInMemoryStorage();
        }
    }
}
