using GrantSim.Aws;
using GrantSim.Client.Histories;
using GrantSim.Client.Hosting;
using GrantSim.Client.Images;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Identity;
using GrantSim.Kms;

namespace GrantSim.Client.Simulation;

/// <summary>
/// Runs a seeded random mix of ECR and KMS operations across the world's tenants and regions,
/// one after another (races are run as explicit concurrent pairs), recording every outcome.
/// Choices come only from the seeded generator and the ledger, never from ids that differ from
/// run to run, so the same seed makes the same run.
/// </summary>
public sealed partial class SimulationRunner
{
    private readonly IGrainFactory _grains;
    private readonly ISimulationClock _clock;
    private readonly World _world;
    private readonly SimulationOptions _options;
    private readonly Random _random;
    private int _tagCounter;

    public SimulationLedger Ledger { get; }

    public OperationLog Log { get; } = new();

    /// <summary>Every operation on a repository or key, with when it was invoked and returned: what the linearizability check reads.</summary>
    public HistoryRecorder History => Ledger.History;

    private readonly AwsRetry _retry;
    private readonly ImageClient _images;

    public SimulationRunner(IGrainFactory grains, ISimulationClock clock, World world, SimulationOptions options)
    {
        _grains = grains;
        _clock = clock;
        _world = world;
        _options = options;
        _random = new Random(options.Seed);
        Ledger = new SimulationLedger(new HistoryRecorder(() => Log.ElapsedSeconds));
        _retry = new AwsRetry(options.Retry, options.Seed, Log, TimeProvider.System);
        _images = new ImageClient(grains, _retry);
    }

    public World World => _world;

    public SimulationOptions Options => _options;

    /// <summary>The mix of the default run: operation kinds and their weights.</summary>
    public static readonly IReadOnlyList<(string Kind, int Weight)> DefaultMix =
    [
        (OperationKinds.CreateRepository, 22),
        (OperationKinds.PushImage, 26),
        (OperationKinds.PullImage, 22),
        (OperationKinds.DeleteRepository, 9),
        (OperationKinds.RevokeGrants, 2),
        (OperationKinds.DisableKey, 3),
        (OperationKinds.EnableKey, 4),
        (OperationKinds.ScheduleKeyDeletion, 1),
        (OperationKinds.CancelKeyDeletion, 2),
        (OperationKinds.AdvanceClock, 2),
        (OperationKinds.RetireLeftoverGrants, 3),
        (OperationKinds.ConcurrentCreate, 2),
        (OperationKinds.ConcurrentDeleteAndPush, 2),
        .. FeatureMix,
    ];

    private IReadOnlyList<(string Kind, int Weight)> Mix => _options.Mix ?? DefaultMix;

    public async Task RunAsync(Action<int>? onProgress = null, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < _options.Operations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await StepAsync();
            onProgress?.Invoke(i + 1);
        }
    }

    /// <summary>Runs one operation of the mix, chosen by the seeded generator.</summary>
    public Task StepAsync() => StepAsync(Pick());

    /// <summary>Creates a repository as <paramref name="role"/>; the track goes live when the create is acknowledged.</summary>
    public Task<OperationResult> CreateRepositoryAsync(RepositoryTrack track, EncryptionConfiguration? configuration, string role = Roles.Ci) =>
        CreateRepositoryAsync(track, configuration, role, counted: true);

    private Task<OperationResult> CreateRepositoryAsync(RepositoryTrack track, EncryptionConfiguration? configuration, string role, bool counted) =>
        Attempt(OperationKinds.CreateRepository, async () =>
        {
            track.Created(await _retry.RunAsync(() => Ecr(track.Region).CreateRepository(World.Principal(track.Account, track.Region, role), new CreateRepositoryRequest(track.Name, configuration))));
        }, track, On(track, HistoryOperations.CreateRepository), counted: counted);

    /// <summary>Pushes a new random image; the track owes it once the push is acknowledged.</summary>
    public Task<OperationResult> PushImageAsync(RepositoryTrack track, string role = Roles.Ci)
    {
        var (layers, config) = RandomImage();
        var tag = $"v{++_tagCounter}";
        return Attempt(OperationKinds.PushImage, async () =>
        {
            var pushed = await _images.PushAsync(World.Principal(track.Account, track.Region, role), track.Region, track.Name, tag, layers, config);
            lock (track.Images)
            {
                track.Images.Add(pushed);
            }
        }, track, On(track, HistoryOperations.PushImage, ImageClient.ManifestDigestOf(layers, config)), afterOk: () => FollowReplicationAsync(track));
    }

    /// <summary>
    /// Pulls an image and compares it byte for byte with what was pushed; a difference fails the pull
    /// and is kept in the ledger. A pull only reads, so one the cluster left unanswered is tried again.
    /// </summary>
    public Task<OperationResult> PullImageAsync(RepositoryTrack track, PushedImage image, string role = Roles.Ci) =>
        Attempt(OperationKinds.PullImage, async () =>
        {
            var differences = await ReadAsync(() => _images.PullAndCompareAsync(World.Principal(track.Account, track.Region, role), track.Region, track.Name, image));
            if (differences.Count > 0)
            {
                lock (Ledger.PullMismatches)
                {
                    Ledger.PullMismatches.AddRange(differences.Select(d => $"{track.Account}/{track.Region}/{track.Name}: {d}"));
                }

                throw new AwsServiceException("PullMismatch", string.Join("; ", differences));
            }
        }, history: On(track, HistoryOperations.PullImage, image.ManifestDigest));

    /// <summary>Deletes a repository as <paramref name="role"/>; a delete whose grants could not be retired still deletes (KmsException with the documented message).</summary>
    public Task<OperationResult> DeleteRepositoryAsync(RepositoryTrack track, string role, bool force) =>
        Attempt(OperationKinds.DeleteRepository, async () =>
        {
            try
            {
                await _retry.RunAsync(() => Ecr(track.Region).DeleteRepository(World.Principal(track.Account, track.Region, role), track.Name, force));
                track.MarkDeleted();
            }
            catch (AwsServiceException error) when (error.ErrorCode == AwsErrorCodes.Kms && error.Message.Contains(EcrMessages.DeletedButGrantsNotRetiredMarker, StringComparison.Ordinal))
            {
                // Deleted; its grants were not retired and are now listed for manual retirement.
                track.MarkDeleted();
                throw;
            }
        }, track, On(track, HistoryOperations.DeleteRepository, force ? HistoryOperations.Force : HistoryOperations.KeepImages));

    /// <summary>A key administrator revokes ECR's grants for the repository (found by the ARN in their constraint).</summary>
    public Task<OperationResult> RevokeRepositoryGrantsAsync(RepositoryTrack track)
    {
        var keyArn = track.Live?.EncryptionConfiguration.KmsKey ?? throw new InvalidOperationException($"{track.Name} is not a live KMS repository.");
        var repositoryArn = track.Live.RepositoryArn;
        var admin = World.Principal(track.Account, track.Region, Roles.Admin);
        var kms = Kms(track.Region);
        return Attempt(OperationKinds.RevokeGrants, async () =>
        {
            var grants = await ListAllGrants(admin, track.Region, keyArn);
            foreach (var grant in grants.Where(g => EcrEncryptionContext.RepositoryArnOf(g) == repositoryArn))
            {
                await _retry.RunAsync(() => kms.RevokeGrant(admin, keyArn, grant.GrantId));
            }
        });
    }

    /// <summary>Runs one operation; one that finds nothing to act on (no image to pull yet) creates a repository instead.</summary>
    private async Task StepAsync(string kind)
    {
        var account = _world.Accounts[_random.Next(_world.Accounts.Count)];
        var region = _world.Regions[_random.Next(_world.Regions.Count)];
        var acted = kind switch
        {
            OperationKinds.PushImage => await PushImage(account, region),
            OperationKinds.PullImage => await PullImage(account, region),
            OperationKinds.DeleteRepository => await DeleteRepository(account, region),
            OperationKinds.RevokeGrants => await RevokeGrants(account, region),
            OperationKinds.ConcurrentCreate => await ConcurrentCreate(account, region),
            OperationKinds.ConcurrentDeleteAndPush => await ConcurrentDeleteAndPush(account, region),
            OperationKinds.PutTagMutability => await PutTagMutability(account, region),
            OperationKinds.PushReusedTag => await PushReusedTag(account, region),
            OperationKinds.ShareRepository => await ShareRepository(account, region),
            OperationKinds.CrossAccountPull => await CrossAccountPull(account, region),
            OperationKinds.PutReplicationConfiguration => await PutReplicationConfiguration(account, region),
            OperationKinds.DeleteReplicaRepository => await DeleteReplicaRepository(account, region),
            OperationKinds.PutLifecyclePolicy => await PutLifecyclePolicy(account, region),
            _ => true,
        };
        if (!acted)
        {
            kind = OperationKinds.CreateRepository;
        }

        switch (kind)
        {
            case OperationKinds.CreateRepository:
                await CreateRepository(account, region);
                break;
            case OperationKinds.DisableKey or OperationKinds.EnableKey or OperationKinds.ScheduleKeyDeletion or OperationKinds.CancelKeyDeletion:
                await ChangeKeyState(kind, account, region);
                break;
            case OperationKinds.AdvanceClock:
                var by = TimeSpan.FromDays(_random.Next(1, 11));
                if ((await Attempt(kind, () => _clock.AdvanceAsync(by))).Outcome == OperationKinds.Ok)
                {
                    await FollowLifecycleExpiriesAsync();
                }

                break;
            case OperationKinds.RetireLeftoverGrants:
                await RetireLeftoverGrantsAsync(account, region);
                break;
        }
    }

    private async Task CreateRepository(string account, string region)
    {
        var track = Ledger.Track(account, region, PickName());
        var role = _random.Next(10) < 8 ? Roles.Ci : Roles.Deployer;
        var configuration = PickConfiguration(account, region);
        await CreateRepositoryAsync(track, configuration, role);
    }

    private EncryptionConfiguration? PickConfiguration(string account, string region)
    {
        var roll = _random.Next(100);
        if (roll < 20)
        {
            return roll < 10 ? null : EncryptionConfiguration.Aes256;
        }

        var type = roll < 85 ? EncryptionType.Kms : EncryptionType.KmsDsse;
        var keyRoll = _random.Next(100);
        var keyIndex = _random.Next(World.CustomerKeysPerRegion);
        var keyArn = _world.CustomerKeys(account, region)[keyIndex];
        var kmsKey = keyRoll switch
        {
            < 30 => null,
            < 45 => Arn.Parse(keyArn).KeyId,
            < 60 => World.AliasName(keyIndex),
            < 80 => keyArn,
            < 92 => Arn.KmsAlias(region, account, World.AliasName(keyIndex)).ToString(),
            _ => OtherRegionKey(account, region) ?? keyArn,
        };
        return new EncryptionConfiguration(type, kmsKey);
    }

    private string? OtherRegionKey(string account, string region)
    {
        var others = _world.Regions.Where(r => r != region).ToArray();
        return others.Length == 0 ? null : _world.CustomerKeys(account, others[_random.Next(others.Length)])[0];
    }

    private async Task<bool> PushImage(string account, string region)
    {
        var track = PickTrack(account, region, live: _random.Next(10) < 9);
        if (track is null)
        {
            return false;
        }

        var role = _random.Next(20) == 0 ? Roles.Reader : Roles.Ci;
        await PushImageAsync(track, role);
        return true;
    }

    private async Task<bool> PullImage(string account, string region)
    {
        var candidates = Ledger.Repositories.Where(r => r.Account == account && r.Region == region && !r.IsReplica && r.Images.Count > 0).ToArray();
        if (candidates.Length == 0)
        {
            return false;
        }

        var track = candidates[_random.Next(candidates.Length)];
        var image = track.Images[_random.Next(track.Images.Count)];
        var role = _random.Next(4) == 0 ? Roles.Reader : Roles.Ci;
        await PullImageAsync(track, image, role);
        return true;
    }

    private async Task<bool> DeleteRepository(string account, string region)
    {
        var track = PickTrack(account, region, live: _random.Next(10) < 9);
        if (track is null)
        {
            return false;
        }

        var roll = _random.Next(10);
        var role = roll < 6 ? Roles.Ci : roll < 9 ? Roles.Deployer : Roles.Reader;
        var force = _random.Next(10) < 7;
        await DeleteRepositoryAsync(track, role, force);
        return true;
    }

    private async Task<bool> RevokeGrants(string account, string region)
    {
        var track = PickTrack(account, region, live: true);
        if (track?.Live?.EncryptionConfiguration.KmsKey is null)
        {
            return false;
        }

        await RevokeRepositoryGrantsAsync(track);
        return true;
    }

    private async Task ChangeKeyState(string kind, string account, string region)
    {
        var keyArn = _world.CustomerKeys(account, region)[_random.Next(World.CustomerKeysPerRegion)];
        var window = _random.Next(3) == 0 ? _random.Next(5, 32) : 7;
        await ChangeKeyStateAsync(kind, account, region, keyArn, window);
    }

    /// <summary>A key administrator disables, enables, schedules the deletion of (with <paramref name="window"/> days) or cancels the deletion of a key.</summary>
    public Task<OperationResult> ChangeKeyStateAsync(string kind, string account, string region, string keyArn, int window = 7)
    {
        var admin = World.Principal(account, region, Roles.Admin);
        var kms = Kms(region);
        Func<Task> action = kind switch
        {
            OperationKinds.DisableKey => () => kms.DisableKey(admin, keyArn),
            OperationKinds.EnableKey => () => kms.EnableKey(admin, keyArn),
            OperationKinds.ScheduleKeyDeletion => () => kms.ScheduleKeyDeletion(admin, keyArn, window),
            OperationKinds.CancelKeyDeletion => () => kms.CancelKeyDeletion(admin, keyArn),
            _ => throw new ArgumentException($"'{kind}' does not change a key's state.", nameof(kind)),
        };
        var operation = kind switch
        {
            OperationKinds.DisableKey => HistoryOperations.DisableKey,
            OperationKinds.EnableKey => HistoryOperations.EnableKey,
            OperationKinds.ScheduleKeyDeletion => HistoryOperations.ScheduleKeyDeletion,
            _ => HistoryOperations.CancelKeyDeletion,
        };
        return Attempt(kind, () => _retry.RunAsync(action), history: new HistoryCall(HistoryOperations.KeyPartition(keyArn), operation, ""));
    }

    /// <summary>
    /// The documented troubleshooting: list the grants of each key, find those naming a repository
    /// that no longer exists (or predate the live repository of that name), and retire them.
    /// </summary>
    public Task<OperationResult> RetireLeftoverGrantsAsync(string account, string region)
    {
        var admin = World.Principal(account, region, Roles.Admin);
        var kms = Kms(region);
        return Attempt(OperationKinds.RetireLeftoverGrants, async () =>
        {
            var live = (await ReadAsync(() => Ecr(region).DescribeRepositories(admin))).ToDictionary(r => r.RepositoryArn);
            foreach (var key in await ReadAsync(() => kms.ListKeys(admin)))
            {
                IReadOnlyList<GrantListEntry> grants;
                try
                {
                    grants = await ListAllGrants(admin, region, key.KeyArn);
                }
                catch (AwsServiceException error) when (error.ErrorCode == AwsErrorCodes.NotFound)
                {
                    continue;
                }

                foreach (var grant in grants)
                {
                    if (EcrEncryptionContext.RepositoryArnOf(grant) is { } repositoryArn
                        && (!live.TryGetValue(repositoryArn, out var repository) || grant.CreationDate < repository.CreatedAt))
                    {
                        await _retry.RunAsync(() => kms.RetireGrant(admin, new RetireGrantRequest(KeyId: key.KeyArn, GrantId: grant.GrantId)));
                    }
                }
            }
        });
    }

    private async Task<bool> ConcurrentCreate(string account, string region)
    {
        var track = Ledger.Repositories.FirstOrDefault(r => r.Account == account && r.Region == region && !r.IsReplica && r.Live is null)
            ?? Ledger.Track(account, region, PickName());
        if (track.Live is not null)
        {
            return false;
        }

        var ci = World.Principal(account, region, Roles.Ci);
        var configuration = _random.Next(2) == 0 ? null : new EncryptionConfiguration(EncryptionType.Kms);
        var request = new CreateRepositoryRequest(track.Name, configuration);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Outcome(() => Ecr(region).CreateRepository(ci, request), On(track, HistoryOperations.CreateRepository))));
        if (outcomes.Select(o => o.Result).FirstOrDefault(r => r is not null) is { } created)
        {
            track.Created(created);
        }

        track.Uncertain |= outcomes.Any(o => OperationLog.IsUnknown(o.Outcome));

        // Which of the two wins is up to timing; the pair of outcomes, in order, is not.
        Log.Record(OperationKinds.ConcurrentCreate, string.Join(" + ", outcomes.Select(o => o.Outcome).Order(StringComparer.Ordinal)));


        return true;
    }

    private async Task<bool> ConcurrentDeleteAndPush(string account, string region)
    {
        var track = PickTrack(account, region, live: true);
        if (track is null)
        {
            return false;
        }

        var ci = World.Principal(account, region, Roles.Ci);
        var (layers, config) = RandomImage();
        var tag = $"v{++_tagCounter}";
        var delete = Outcome(() => Ecr(region).DeleteRepository(ci, track.Name, force: true), On(track, HistoryOperations.DeleteRepository, HistoryOperations.Force));
        var push = Outcome(() => _images.PushAsync(ci, region, track.Name, tag, layers, config), On(track, HistoryOperations.PushImage, ImageClient.ManifestDigestOf(layers, config)));
        await Task.WhenAll(delete, push);
        ReplicaMayChange(track);
        Log.Record(OperationKinds.ConcurrentDeleteAndPush, $"delete {delete.Result.Outcome}, push {push.Result.Outcome}");
        track.Uncertain |= OperationLog.IsUnknown(push.Result.Outcome);
        if (delete.Result.Outcome == OperationKinds.Ok)
        {
            track.MarkDeleted();
        }
        else if (OperationLog.IsUnknown(delete.Result.Outcome))
        {
            // The delete may have run after the push: neither the old images nor the new one are owed.
            track.DeleteUnanswered();
        }
        else if (push.Result.Result is { } pushed)
        {
            track.Images.Add(pushed);
        }


        return true;
    }

    // ---- helpers ----

    private Task<IReadOnlyList<GrantListEntry>> ListAllGrants(CallerIdentity caller, string region, string keyArn) =>
        KmsPaging.AllGrantsAsync(Kms(region), caller, keyArn, ReadAsync);

    /// <summary>
    /// A call that only reads: retried like any call (<see cref="AwsRetry"/>), and also while the
    /// cluster cannot answer it (a silo just died), since repeating it changes nothing. Calls that
    /// change state are not repeated that way: their outcome is recorded as unknown instead.
    /// </summary>
    private Task<T> ReadAsync<T>(Func<Task<T>> read) => ClusterRetry.RunAsync(() => _retry.RunAsync(read));

    /// <summary>
    /// Runs one operation and records its outcome and latency, and, for an operation on a repository
    /// or key, its invocation and answer in the history; an unanswered one leaves <paramref name="track"/> uncertain.
    /// </summary>
    private async Task<OperationResult> Attempt(string kind, Func<Task> action, RepositoryTrack? track = null, HistoryCall? history = null, Func<Task>? afterOk = null, bool counted = true, string? expectedRefusal = null)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var invocation = history is { } call ? History.Begin(call.Partition, call.Operation, call.Argument) : -1;
        OperationResult result;
        string historyOutcome;
        try
        {
            await action();
            result = new OperationResult(OperationKinds.Ok, null);
            historyOutcome = HistoryEntry.Ok;
        }
        catch (AwsServiceException error)
        {
            result = new OperationResult(error.ErrorCode == expectedRefusal ? OperationKinds.ExpectedRefusal(error.ErrorCode) : OperationLog.OutcomeOf(error), error.Message);
            historyOutcome = HistoryOutcomeOf(error);
        }
        catch (Exception error) when (ClusterFailures.IsClusterFailure(error))
        {
            result = new OperationResult(OperationLog.OutcomeOf(error), error.Message);
            historyOutcome = result.Outcome;
        }

        if (invocation >= 0)
        {
            History.End(invocation, historyOutcome);
        }

        Log.Record(kind, result.Outcome, System.Diagnostics.Stopwatch.GetElapsedTime(started), counted);
        if (track is not null && OperationLog.IsUnknown(result.Outcome))
        {
            if (kind == OperationKinds.DeleteRepository)
            {
                track.DeleteUnanswered();
            }
            else
            {
                track.Uncertain = true;
            }

            ReplicaMayChange(track);
        }

        if (result.Outcome == OperationKinds.Ok && afterOk is not null)
        {
            await afterOk();
        }

        return result;
    }

    /// <summary>One side of a race: its outcome (and result), with its invocation and answer in the history.</summary>
    private async Task<(string Outcome, T? Result)> Outcome<T>(Func<Task<T>> action, HistoryCall history)
    {
        var invocation = History.Begin(history.Partition, history.Operation, history.Argument);
        try
        {
            var result = await action();
            History.End(invocation, HistoryEntry.Ok);
            return (OperationKinds.Ok, result);
        }
        catch (AwsServiceException error)
        {
            History.End(invocation, HistoryOutcomeOf(error));
            return (OperationLog.OutcomeOf(error), default);
        }
        catch (Exception error) when (ClusterFailures.IsClusterFailure(error))
        {
            History.End(invocation, OperationLog.OutcomeOf(error));
            return (OperationLog.OutcomeOf(error), default);
        }
    }

    /// <summary>An answer as the history's models read it: the error's own code, or a delete that deleted but could not retire its grants.</summary>
    private static string HistoryOutcomeOf(AwsServiceException error) =>
        error.ErrorCode == AwsErrorCodes.Kms && error.Message.Contains(EcrMessages.DeletedButGrantsNotRetiredMarker, StringComparison.Ordinal)
            ? HistoryOperations.DeletedLeavingGrants
            : error.ErrorCode;

    private static HistoryCall On(RepositoryTrack track, string operation, string argument = "") =>
        new(HistoryOperations.RepositoryPartition(track.Account, track.Region, track.Name), operation, argument);

    private RepositoryTrack? PickTrack(string account, string region, bool live)
    {
        var candidates = Ledger.Repositories.Where(r => r.Account == account && r.Region == region && !r.IsReplica && (r.Live is not null) == live).ToArray();
        return candidates.Length == 0 ? (live ? null : Ledger.Track(account, region, PickName())) : candidates[_random.Next(candidates.Length)];
    }

    private string PickName()
    {
        var index = _random.Next(_options.NamesPerRegion);
        return index == 0 ? "team/base-image" : $"app-{index}";
    }

    private (IReadOnlyList<byte[]> Layers, byte[] Config) RandomImage()
    {
        var layers = Enumerable.Range(0, _random.Next(1, 4)).Select(_ => RandomBytes(_random.Next(64, 8192))).ToArray();
        var config = System.Text.Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"{++_tagCounter}\"}}");
        return (layers, config);
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string Pick()
    {
        var mix = Mix;
        var total = mix.Sum(m => m.Weight);
        var roll = _random.Next(total);
        foreach (var (kind, weight) in mix)
        {
            if ((roll -= weight) < 0)
            {
                return kind;
            }
        }

        return mix[^1].Kind;
    }

    private IEcrServiceGrain Ecr(string region) => _grains.GetGrain<IEcrServiceGrain>(region);

    private IKmsServiceGrain Kms(string region) => _grains.GetGrain<IKmsServiceGrain>(region);
}
