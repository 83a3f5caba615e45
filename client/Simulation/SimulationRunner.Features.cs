using GrantSim.Aws;
using GrantSim.Client.Histories;
using GrantSim.Client.Images;
using GrantSim.Client.Hosting;
using GrantSim.Ecr;
using GrantSim.Grains;

namespace GrantSim.Client.Simulation;

/// <summary>
/// The operation kinds of the ECR features that touch keys, grants or images: tag mutability (and a push that re-uses
/// a tag), repository policies with cross-account pulls, registry replication and lifecycle policies (docs/chaos.md).
/// </summary>
public sealed partial class SimulationRunner
{
    /// <summary>The prefix of the repositories replication configurations name; only the new kinds create them.</summary>
    public const string MirrorPrefix = "mirror/";

    /// <summary>The tags IMMUTABLE_WITH_EXCLUSION leaves mutable.</summary>
    public const string ExcludedTagFilter = "latest*";

    /// <summary>The re-used tag the exclusion filter matches.</summary>
    public const string MovableTag = "latest";

    /// <summary>The feature kinds' share of the default mix: small, so that the existing kinds keep most of it (87 of 102).</summary>
    public static IReadOnlyList<(string Kind, int Weight)> FeatureMix =>
    [
        (OperationKinds.PutTagMutability, 2),
        (OperationKinds.PushReusedTag, 3),
        (OperationKinds.ShareRepository, 2),
        (OperationKinds.CrossAccountPull, 3),
        (OperationKinds.PutReplicationConfiguration, 2),
        (OperationKinds.DeleteReplicaRepository, 1),
        (OperationKinds.PutLifecyclePolicy, 2),
    ];

    /// <summary>The source repository name of a registry's replicated repositories: unique to the registry, so two sources never share a destination.</summary>
    public static string MirrorName(string account, string region, int index) => $"{MirrorPrefix}{account}-{region}/{index}";

    public static string CountPolicy(int keep) =>
        $$$"""{"rules":[{"rulePriority":1,"description":"keep the newest {{{keep}}}","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":{{{keep}}}},"action":{"type":"expire"}}]}""";

    public static string AgePolicy(int days) =>
        $$$"""{"rules":[{"rulePriority":1,"description":"older than {{{days}}} days","selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":{{{days}}}},"action":{"type":"expire"}}]}""";

    /// <summary>A repository policy letting <paramref name="accounts"/> pull (the three actions a pull calls).</summary>
    public static string PullPolicy(string partition, IEnumerable<string> accounts) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new[]
            {
                new
                {
                    Sid = "CrossAccountPull",
                    Effect = "Allow",
                    Principal = new { AWS = accounts.Order(StringComparer.Ordinal).Select(a => $"arn:{partition}:iam::{a}:root").ToArray() },
                    Action = new[] { "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability" },
                },
            },
        });

    /// <summary>A registry policy letting <paramref name="sources"/> replicate into the registry (and create the repositories replication needs).</summary>
    public static string ReplicationPolicy(string partition, IEnumerable<string> sources) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new[]
            {
                new
                {
                    Sid = "ReplicationAccessCrossAccount",
                    Effect = "Allow",
                    Principal = new { AWS = sources.Order(StringComparer.Ordinal).Select(a => $"arn:{partition}:iam::{a}:root").ToArray() },
                    Action = new[] { "ecr:ReplicateImage", "ecr:CreateRepository" },
                    Resource = "*",
                },
            },
        });

    /// <summary>Sets IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION for <see cref="ExcludedTagFilter"/>) on a repository; the track learns it when acknowledged.</summary>
    public Task<OperationResult> PutTagMutabilityAsync(RepositoryTrack track, ImageTagMutability mutability)
    {
        IReadOnlyList<ImageTagMutabilityExclusionFilter>? filters = mutability is ImageTagMutability.ImmutableWithExclusion or ImageTagMutability.MutableWithExclusion
            ? [new ImageTagMutabilityExclusionFilter("WILDCARD", ExcludedTagFilter)]
            : null;
        var caller = World.Principal(track.Account, track.Region, Roles.Ci);
        return Attempt(OperationKinds.PutTagMutability, async () =>
        {
            try
            {
                await _retry.RunAsync(() => Ecr(track.Region).PutImageTagMutability(caller, track.Name, mutability, filters));
                track.TagMutability = mutability;
            }
            catch (Exception error) when (!(error is AwsServiceException) && ClusterFailures.IsClusterFailure(error))
            {
                track.TagMutability = null;
                throw;
            }
        });
    }

    /// <summary>
    /// Pushes a new image under <paramref name="tag"/>, which the repository may already hold. Where the run knows the
    /// repository's tag mutability, it knows the outcome: a tag that may not move is refused with
    /// ImageTagAlreadyExistsException (counted as correct, as is a refusal where the run cannot know) and stores nothing;
    /// otherwise the push succeeds.
    /// </summary>
    public async Task<OperationResult> PushWithTagAsync(RepositoryTrack track, string tag)
    {
        var (layers, config) = RandomImage();
        var digest = ImageClient.ManifestDigestOf(layers, config);
        bool held;
        lock (track.Images)
        {
            held = track.Images.Any(i => i.Tag == tag);
        }

        // Unknown when a put went unanswered, the repository's state is uncertain, or a lifecycle policy may have expired the tag's image.
        bool? refusalExpected = track.TagMutability is not { } mutability || track.Uncertain || track.LifecyclePolicy is not null
            ? null
            : held && !TagMayMove(mutability, tag);
        var result = await Attempt(OperationKinds.PushReusedTag, async () =>
        {
            var pushed = await _images.PushAsync(World.Principal(track.Account, track.Region, Roles.Ci), track.Region, track.Name, tag, layers, config);
            lock (track.Images)
            {
                track.Images.Add(pushed);
            }
        }, track, On(track, HistoryOperations.PushImage, digest), afterOk: () => FollowReplicationAsync(track),
            expectedRefusal: refusalExpected == false ? null : AwsErrorCodes.ImageTagAlreadyExists);

        var refused = result.Outcome is AwsErrorCodes.ImageTagAlreadyExists || result.Outcome.StartsWith(OperationKinds.RefusedAsExpected, StringComparison.Ordinal);
        if (refused)
        {
            track.RefusedDigests.Add(digest);
        }

        if (refusalExpected is { } expected && (refused || result.Outcome == OperationKinds.Ok) && refused != expected)
        {
            Ledger.TagMutabilityMismatches.Add($"{track.Account}/{track.Region}/{track.Name} ({track.TagMutability}): a push re-using tag {tag} " +
                (refused ? "was refused although the tag may move" : "moved a tag that may not move"));
        }

        return result;
    }

    /// <summary>Whether <paramref name="tag"/> may move under <paramref name="mutability"/> (the exclusion filter matches <see cref="MovableTag"/> only).</summary>
    public static bool TagMayMove(ImageTagMutability mutability, string tag) => mutability switch
    {
        ImageTagMutability.Mutable => true,
        ImageTagMutability.Immutable => false,
        ImageTagMutability.ImmutableWithExclusion => tag.StartsWith(MovableTag, StringComparison.Ordinal),
        _ => !tag.StartsWith(MovableTag, StringComparison.Ordinal),
    };

    /// <summary>Sets a repository policy letting <paramref name="puller"/> (another tenant account of the run) pull; the track learns it when acknowledged.</summary>
    public Task<OperationResult> ShareRepositoryAsync(RepositoryTrack track, string puller)
    {
        var caller = World.Principal(track.Account, track.Region, Roles.Ci);
        var accounts = track.SharedWith.Append(puller).Distinct().ToArray();
        var policy = PullPolicy(Regions.PartitionOf(track.Region), accounts);
        return Attempt(OperationKinds.ShareRepository, async () =>
        {
            await _retry.RunAsync(() => Ecr(track.Region).SetRepositoryPolicy(caller, track.Name, policy));
            track.SharedWith.Add(puller);
        });
    }

    /// <summary>
    /// Another account's reader pulls from the owner's registry (by registryId) and compares the bytes. With a KMS repository,
    /// ECR decrypts through the owner's grant: the puller has no permission on the key.
    /// </summary>
    public Task<OperationResult> CrossAccountPullAsync(RepositoryTrack track, PushedImage image, string puller) =>
        Attempt(OperationKinds.CrossAccountPull, async () =>
        {
            var incarnation = track.Live;
            var differences = await ReadAsync(() => _images.PullAndCompareAsync(World.Principal(puller, track.Region, Roles.Reader), track.Region, track.Name, image, registry: track.Account));
            if (differences.Count > 0)
            {
                lock (Ledger.PullMismatches)
                {
                    Ledger.PullMismatches.AddRange(differences.Select(d => $"{track.Account}/{track.Region}/{track.Name} pulled by {puller}: {d}"));
                }

                throw new AwsServiceException("PullMismatch", string.Join("; ", differences));
            }

            Ledger.CrossAccountPulls.Add(new AcknowledgedCrossAccountPull(track, puller, image.ManifestDigest, incarnation));
        }, history: On(track, HistoryOperations.PullImage, image.ManifestDigest));

    /// <summary>
    /// Makes the registry (account, Region) replicate its <see cref="MirrorPrefix"/> repositories to (destination account,
    /// destination Region): the destination registry gets a creation template (KMS under its own aws/ecr key) and, when it is
    /// another account's, a registry policy allowing the source; then the replication configuration is put.
    /// </summary>
    public Task<OperationResult> PutReplicationConfigurationAsync(string account, string region, string destinationAccount, string destinationRegion) =>
        Attempt(OperationKinds.PutReplicationConfiguration, async () =>
        {
            var destinationAdmin = World.Principal(destinationAccount, destinationRegion, Roles.Admin);
            var destinationRegistry = Registry(destinationAccount, destinationRegion);
            var templates = await ReadAsync(() => destinationRegistry.DescribeTemplates(destinationAdmin, null));
            if (!templates.Any(t => t.Prefix == MirrorPrefix.TrimEnd('/')))
            {
                try
                {
                    await _retry.RunAsync(() => destinationRegistry.CreateTemplate(destinationAdmin, new RepositoryCreationTemplateUpdate(
                        MirrorPrefix.TrimEnd('/'), "replicas of the run's mirror repositories", new EncryptionConfiguration(EncryptionType.Kms),
                        null, null, null, null, null, [RepositoryCreationTemplate.Replication], null)));
                }
                catch (AwsServiceException error) when (error.ErrorCode == AwsErrorCodes.TemplateAlreadyExists)
                {
                    // An earlier attempt made it though its answer was lost.
                }
            }

            if (destinationAccount != account)
            {
                var sources = Ledger.ReplicationSources.TryGetValue((destinationAccount, destinationRegion), out var known) ? known : [];
                var allowed = new SortedSet<string>(sources, StringComparer.Ordinal) { account };
                await _retry.RunAsync(() => destinationRegistry.PutPolicy(destinationAdmin, ReplicationPolicy(Regions.PartitionOf(destinationRegion), allowed)));
                Ledger.ReplicationSources[(destinationAccount, destinationRegion)] = allowed;
            }

            var configuration = new ReplicationConfiguration([new ReplicationRule(
                [new ReplicationDestination(destinationRegion, destinationAccount)], [new RepositoryFilter(MirrorPrefix, RepositoryFilter.PrefixMatch)])]);
            await _retry.RunAsync(() => Registry(account, region).PutReplicationConfiguration(World.Principal(account, region, Roles.Admin), configuration));
            Ledger.ReplicationTargets[(account, region)] = (destinationAccount, destinationRegion);
        });

    /// <summary>Deletes a replica repository (forced) as its account's CI; its two grants must be retired or reported like any other's.</summary>
    public Task<OperationResult> DeleteReplicaRepositoryAsync(RepositoryTrack replica)
    {
        var arn = replica.Live?.RepositoryArn;
        return Attempt(OperationKinds.DeleteReplicaRepository, async () =>
        {
            try
            {
                await _retry.RunAsync(() => Ecr(replica.Region).DeleteRepository(World.Principal(replica.Account, replica.Region, Roles.Ci), replica.Name, force: true));
            }
            catch (AwsServiceException error) when (error.ErrorCode == AwsErrorCodes.Kms && error.Message.Contains(EcrMessages.DeletedButGrantsNotRetiredMarker, StringComparison.Ordinal))
            {
                Deleted();
                throw;
            }
            catch (Exception error) when (!(error is AwsServiceException) && ClusterFailures.IsClusterFailure(error))
            {
                replica.DeleteUnanswered();
                throw;
            }

            Deleted();
        });

        void Deleted()
        {
            replica.MarkDeleted();
            if (arn is not null)
            {
                Ledger.DeletedReplicaArns.Add(arn);
            }
        }
    }

    /// <summary>Puts a lifecycle policy; its evaluations fall due on the simulated clock, 24 h after the put and daily after.</summary>
    public Task<OperationResult> PutLifecyclePolicyAsync(RepositoryTrack track, string policyText)
    {
        var caller = World.Principal(track.Account, track.Region, Roles.Ci);
        // Set before the call: an unanswered put may have taken effect, and then images may expire.
        track.LifecyclePolicy = policyText;
        return Attempt(OperationKinds.PutLifecyclePolicy, () =>
            _retry.RunAsync(() => _grains.GetGrain<IRepositoryLifecyclePolicyGrain>(GrainKeys.Repository(track.Account, track.Region, track.Name)).PutLifecyclePolicy(caller, policyText)));
    }

    /// <summary>
    /// After the clock moved: each repository with a lifecycle policy is read (which runs the evaluations that fell due), and
    /// the images it no longer holds leave the owed list for <see cref="RepositoryTrack.Expired"/>. A read the cluster cannot
    /// answer is skipped: the checker adopts expiries from the trail's PolicyExecutionEvents as well.
    /// </summary>
    public async Task FollowLifecycleExpiriesAsync()
    {
        foreach (var track in Ledger.Repositories.Where(t => t.LifecyclePolicy is not null && t.Live is not null && t.Images.Count > 0 && !t.Uncertain).ToArray())
        {
            IReadOnlyList<ImageDetail> held;
            try
            {
                held = await ReadAsync(() => Ecr(track.Region).DescribeImages(World.Principal(track.Account, track.Region, Roles.Admin), track.Name));
            }
            catch (AwsServiceException)
            {
                continue;
            }
            catch (Exception error) when (ClusterFailures.IsClusterFailure(error))
            {
                continue;
            }

            var present = held.Select(i => i.ImageDigest).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in track.Images.Where(i => !present.Contains(i.ManifestDigest)).Select(i => i.ManifestDigest).ToArray())
            {
                track.Expire(gone);
            }
        }
    }

    /// <summary>
    /// After an acknowledged push to a repository its registry replicates: the source's outbox is drained (as replication
    /// would, without waiting for it), and a replication the source reports COMPLETE makes the destination owe the image.
    /// Anything short of that leaves the destination uncertain: a delivery put off may still happen.
    /// </summary>
    private async Task FollowReplicationAsync(RepositoryTrack source)
    {
        if (!source.Name.StartsWith(MirrorPrefix, StringComparison.Ordinal)
            || !Ledger.ReplicationTargets.TryGetValue((source.Account, source.Region), out var target))
        {
            return;
        }

        PushedImage image;
        lock (source.Images)
        {
            image = source.Images[^1];
        }

        var destination = Ledger.Replica(source, target.Account, target.Region);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        string outcome;
        try
        {
            await ClusterRetry.RunAsync(() => _grains.GetGrain<IReplicationWorkerGrain>(GrainKeys.Repository(source.Account, source.Region, source.Name)).Drain());
            var (_, statuses) = await ReadAsync(() => _grains.GetGrain<IRepositoryReplicationGrain>(GrainKeys.Repository(source.Account, source.Region, source.Name))
                .DescribeImageReplicationStatus(World.Principal(source.Account, source.Region, Roles.Ci), new ImageIdentifier(image.ManifestDigest)));
            var status = statuses.FirstOrDefault(s => s.Region == target.Region && s.RegistryId == target.Account);
            outcome = status is null ? "NoStatus" : status.FailureCode is null ? status.Status : $"{status.Status}({status.FailureCode})";
            if (status?.Status == "COMPLETE")
            {
                var live = Assert(await ReadAsync(() => Ecr(target.Region).DescribeRepositories(World.Principal(target.Account, target.Region, Roles.Admin), [source.Name])));
                if (destination.Live is null || destination.Live.CreatedAt != live.CreatedAt || destination.Live.RepositoryArn != live.RepositoryArn)
                {
                    destination.Created(live);
                }

                lock (destination.Images)
                {
                    if (!destination.Images.Any(i => i.ManifestDigest == image.ManifestDigest))
                    {
                        destination.Images.Add(image);
                    }
                }

                Ledger.Replications.Add(new AcknowledgedReplication(source, destination, image.ManifestDigest));
                outcome = OperationKinds.Ok;
            }
            else if (status?.Status != "FAILED")
            {
                destination.Uncertain = true;
            }
        }
        catch (AwsServiceException error)
        {
            destination.Uncertain = true;
            outcome = OperationLog.OutcomeOf(error);
        }
        catch (Exception error) when (ClusterFailures.IsClusterFailure(error))
        {
            destination.Uncertain = true;
            outcome = OperationLog.OutcomeOf(error);
        }

        Log.Record(OperationKinds.Replicate, outcome, System.Diagnostics.Stopwatch.GetElapsedTime(started), counted: false);

        static RepositoryDescription Assert(IReadOnlyList<RepositoryDescription> found) =>
            found.Count == 1 ? found[0] : throw new AwsServiceException(AwsErrorCodes.RepositoryNotFound, "The replica repository was not found after a COMPLETE replication.");
    }

    /// <summary>A push to <paramref name="source"/> whose outcome the run does not follow may have replicated: the destination's existence is for the state to say.</summary>
    private void ReplicaMayChange(RepositoryTrack source)
    {
        if (source.Name.StartsWith(MirrorPrefix, StringComparison.Ordinal) && Ledger.ReplicationTargets.TryGetValue((source.Account, source.Region), out var target))
        {
            Ledger.Replica(source, target.Account, target.Region).Uncertain = true;
        }
    }

    // ---- choosing ----

    private async Task<bool> PutTagMutability(string account, string region)
    {
        var track = PickTrack(account, region, live: true);
        if (track is null)
        {
            return false;
        }

        await PutTagMutabilityAsync(track, _random.Next(2) == 0 ? ImageTagMutability.Immutable : ImageTagMutability.ImmutableWithExclusion);
        return true;
    }

    private async Task<bool> PushReusedTag(string account, string region)
    {
        // Mostly where a tag may not move, so that refusals are exercised as often as moves.
        var immutable = Ledger.Repositories.Where(r => r.Account == account && r.Region == region && !r.IsReplica && r.Live is not null
            && r.TagMutability is not (null or ImageTagMutability.Mutable)).ToArray();
        var track = immutable.Length > 0 && _random.Next(3) > 0 ? immutable[_random.Next(immutable.Length)] : PickTrack(account, region, live: true);
        if (track is null)
        {
            return false;
        }

        string tag;
        lock (track.Images)
        {
            tag = track.Images.Count == 0 || _random.Next(3) == 0 ? MovableTag : track.Images[_random.Next(track.Images.Count)].Tag;
        }

        await PushWithTagAsync(track, tag);
        return true;
    }

    private async Task<bool> ShareRepository(string account, string region)
    {
        var track = PickTrack(account, region, live: true);
        var others = _world.Accounts.Where(a => a != account).ToArray();
        if (track is null || others.Length == 0)
        {
            return false;
        }

        await ShareRepositoryAsync(track, others[_random.Next(others.Length)]);
        return true;
    }

    private async Task<bool> CrossAccountPull(string account, string region)
    {
        var candidates = Ledger.Repositories.Where(r => r.Account == account && r.Region == region && !r.IsReplica && r.SharedWith.Count > 0 && r.Images.Count > 0).ToArray();
        if (candidates.Length == 0)
        {
            return await ShareRepository(account, region);
        }

        var track = candidates[_random.Next(candidates.Length)];
        var image = track.Images[_random.Next(track.Images.Count)];
        var pullers = track.SharedWith.Order(StringComparer.Ordinal).ToArray();
        await CrossAccountPullAsync(track, image, pullers[_random.Next(pullers.Length)]);
        return true;
    }

    private async Task<bool> PutReplicationConfiguration(string account, string region)
    {
        var partition = Regions.PartitionOf(region);
        var otherRegions = _world.Regions.Where(r => r != region && Regions.PartitionOf(r) == partition).ToArray();
        if (otherRegions.Length == 0)
        {
            return false;
        }

        var destinationRegion = otherRegions[_random.Next(otherRegions.Length)];
        var destinationAccount = _random.Next(2) == 0 ? account : _world.Accounts[_random.Next(_world.Accounts.Count)];
        await PutReplicationConfigurationAsync(account, region, destinationAccount, destinationRegion);

        // A source repository for later pushes to replicate from, when the registry has none live.
        var mirror = Ledger.Track(account, region, MirrorName(account, region, _random.Next(2)));
        if (mirror.Live is null)
        {
            await CreateRepositoryAsync(mirror, PickConfiguration(account, region), Roles.Ci, counted: false);
        }

        return true;
    }

    private async Task<bool> DeleteReplicaRepository(string account, string region)
    {
        var replicas = Ledger.Repositories.Where(r => r.Account == account && r.Region == region && r.IsReplica && r.Live is not null).ToArray();
        if (replicas.Length == 0)
        {
            return false;
        }

        await DeleteReplicaRepositoryAsync(replicas[_random.Next(replicas.Length)]);
        return true;
    }

    private async Task<bool> PutLifecyclePolicy(string account, string region)
    {
        var track = PickTrack(account, region, live: true);
        if (track is null)
        {
            return false;
        }

        await PutLifecyclePolicyAsync(track, _random.Next(2) == 0 ? CountPolicy(_random.Next(1, 4)) : AgePolicy(_random.Next(1, 6)));
        return true;
    }

    private IRegistryGrain Registry(string account, string region) => _grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(account, region));
}
