using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Identity;

namespace GrantSim.Cluster.Tests.Ecr;

/// <summary>Lifecycle policies on a real cluster: evaluated on the simulated clock, expired images gone from the repository, storage and (recorded) the trail.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LifecyclePolicyTests(ClusterFixture fixture)
{
    public static string KeepNewest(int count) =>
        $$$"""{"rules":[{"rulePriority":1,"description":"keep the newest {{{count}}}","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":{{{count}}}},"action":{"type":"expire"}}]}""";

    public static string UntaggedOlderThan(int days) =>
        $$$"""{"rules":[{"rulePriority":1,"description":"untagged older than {{{days}}} days","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":{{{days}}}},"action":{"type":"expire"}}]}""";

    private IEcrLifecyclePolicyService Policies(TestTenant tenant) => fixture.Grains.GetGrain<IEcrLifecyclePolicyService>(tenant.Region);

    /// <summary>Pushes images one minute apart, so that their push times order them.</summary>
    private async Task<List<(string ManifestDigest, byte[] Manifest, IReadOnlyList<(string Digest, byte[] Content)> Blobs)>> PushAsync(TestTenant tenant, string repository, params string[] tags)
    {
        var images = new List<(string, byte[], IReadOnlyList<(string, byte[])>)>();
        foreach (var tag in tags)
        {
            images.Add(await tenant.PushImageAsync(repository, tag));
            fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        return images;
    }

    private Task<StoredObject?> StoredAsync(TestTenant tenant, string repository, Guid incarnation, StoredObjectKind kind, string digest) =>
        fixture.Grains.GetGrain<IStoredObjectGrain>(GrainKeys.StoredObject(tenant.Account, tenant.Region, repository, incarnation, kind, digest)).Get();

    private Task<Guid> IncarnationAsync(TestTenant tenant, string repository) =>
        fixture.Grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(tenant.Account, tenant.Region, repository)).Inspect().ContinueWith(t => t.Result.Incarnation, TaskScheduler.Default);

    [Fact]
    public async Task ACountRule_ExpiresTheOldestBeyondN_AtTheFirstEvaluation_AndTheirObjectsLeaveStorage()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("count");
        var images = await PushAsync(tenant, "count", "v1", "v2", "v3");
        var incarnation = await IncarnationAsync(tenant, "count");
        var put = await Policies(tenant).PutLifecyclePolicy(tenant.Ci, "count", KeepNewest(2));
        Assert.Null(put.LastEvaluatedAt);

        fixture.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(3, (await tenant.EcrApi.DescribeImages(tenant.Ci, "count")).Count);
        var policyPutAt = fixture.Clock.GetUtcNow() - TimeSpan.FromHours(23);
        fixture.Clock.Advance(TimeSpan.FromHours(1));

        var remaining = await tenant.EcrApi.DescribeImages(tenant.Ci, "count");
        Assert.Equal(["v2", "v3"], remaining.SelectMany(i => i.ImageTags).Order(StringComparer.Ordinal));
        Assert.Equal(policyPutAt + TimeSpan.FromHours(24), (await Policies(tenant).GetLifecyclePolicy(tenant.Ci, "count")).LastEvaluatedAt);

        var expired = images[0];
        Assert.Null(await StoredAsync(tenant, "count", incarnation, StoredObjectKind.Manifest, expired.ManifestDigest));
        Assert.Null(await StoredAsync(tenant, "count", incarnation, StoredObjectKind.Blob, expired.Blobs[0].Digest));
        Assert.Null(await StoredAsync(tenant, "count", incarnation, StoredObjectKind.Blob, expired.Blobs[1].Digest));
        Assert.NotNull(await StoredAsync(tenant, "count", incarnation, StoredObjectKind.Blob, expired.Blobs[2].Digest)); // the config every image shares
        await AwsAssert.ThrowsAsync(AwsErrorCodes.ImageNotFound, () => tenant.EcrApi.GetImage(tenant.Ci, "count", new ImageIdentifier(expired.ManifestDigest)));
        await tenant.PullAndVerifyAsync("count", images[1]);
        await tenant.PullAndVerifyAsync("count", images[2]);

        var recorded = Assert.Single(await tenant.Trail.Query(new AuditQuery(EventName: EcrOperations.PolicyExecutionEvent)));
        Assert.Equal(expired.ManifestDigest, recorded.RequestParameters.ImageDigest);
        Assert.Equal("count", recorded.RequestParameters.RepositoryName);
        Assert.Equal("v1", recorded.RequestParameters.ImageTag);
        Assert.Equal(AuditEvent.EcrEventSource, recorded.EventSource);
        Assert.Equal(tenant.Ecr.Principal, recorded.UserIdentity.Principal);
        Assert.Equal(policyPutAt + TimeSpan.FromHours(24), recorded.EventTime);
        Assert.Single(await tenant.Trail.Query(new AuditQuery(EventName: EcrOperations.PutLifecyclePolicy)));
    }

    [Fact]
    public async Task AnUntaggedAgeRule_ExpiresOnlyUntaggedImages_OnceOlderThanNDays()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("age");
        var tagged = await tenant.PushImageAsync("age", "keep");
        var untagged = await tenant.PushImageAsync("age", "drop");
        await tenant.EcrApi.DeleteImage(tenant.Ci, "age", new ImageIdentifier(ImageTag: "drop"));
        await tenant.EcrApi.PutImage(tenant.Ci, "age", untagged.Manifest, MediaTypes.OciManifest, null);
        await Policies(tenant).PutLifecyclePolicy(tenant.Ci, "age", UntaggedOlderThan(2));

        fixture.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(2, (await tenant.EcrApi.DescribeImages(tenant.Ci, "age")).Count); // exactly two days old: not older than two days
        fixture.Clock.Advance(TimeSpan.FromDays(1));

        var remaining = Assert.Single(await tenant.EcrApi.DescribeImages(tenant.Ci, "age"));
        Assert.Equal(tagged.ManifestDigest, remaining.ImageDigest);
        await tenant.PullAndVerifyAsync("age", tagged);
    }

    [Fact]
    public async Task APreview_ListsWhatWouldExpire_AndExpiresNothing()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("preview");
        var images = await PushAsync(tenant, "preview", "a", "b", "c");
        await AwsAssert.ThrowsAsync(AwsErrorCodes.LifecyclePolicyPreviewNotFound, () => Policies(tenant).GetLifecyclePolicyPreview(tenant.Ci, "preview"));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.LifecyclePolicyNotFound, () => Policies(tenant).StartLifecyclePolicyPreview(tenant.Ci, "preview", null));

        var started = await Policies(tenant).StartLifecyclePolicyPreview(tenant.Ci, "preview", KeepNewest(1));
        Assert.Equal(LifecyclePreviewStatus.Complete, started.Status);

        var preview = await Policies(tenant).GetLifecyclePolicyPreview(tenant.Ci, "preview");
        Assert.Equal(KeepNewest(1), preview.PolicyText);
        Assert.Equal([images[0].ManifestDigest, images[1].ManifestDigest], preview.Results.Select(r => r.ImageDigest));
        Assert.All(preview.Results, r => Assert.Equal(1, r.AppliedRulePriority));
        Assert.Equal(["a"], preview.Results[0].ImageTags);

        fixture.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(3, (await tenant.EcrApi.DescribeImages(tenant.Ci, "preview")).Count);
        Assert.Empty(await tenant.Trail.Query(new AuditQuery(EventName: EcrOperations.PolicyExecutionEvent)));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.LifecyclePolicyNotFound, () => Policies(tenant).GetLifecyclePolicy(tenant.Ci, "preview"));
    }

    [Fact]
    public async Task OtherRepositories_AreUntouched()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("pruned", EncryptionType.Aes256);
        await tenant.CreateRepositoryAsync("kept", EncryptionType.Aes256);
        await PushAsync(tenant, "pruned", "1", "2");
        var kept = await PushAsync(tenant, "kept", "1", "2");
        await Policies(tenant).PutLifecyclePolicy(tenant.Ci, "pruned", KeepNewest(1));

        fixture.Clock.Advance(TimeSpan.FromDays(2));

        Assert.Single(await tenant.EcrApi.DescribeImages(tenant.Ci, "pruned"));
        Assert.Equal(2, (await tenant.EcrApi.DescribeImages(tenant.Ci, "kept")).Count);
        foreach (var image in kept)
        {
            await tenant.PullAndVerifyAsync("kept", image);
        }

        Assert.All(await tenant.Trail.Query(new AuditQuery(EventName: EcrOperations.PolicyExecutionEvent)), e => Assert.Equal("pruned", e.RequestParameters.RepositoryName));
    }

    [Fact]
    public async Task PutGetDelete_RoundTrip_AndARefusedPolicyChangesNothing()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("policy", EncryptionType.Aes256);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.LifecyclePolicyNotFound, () => Policies(tenant).GetLifecyclePolicy(tenant.Ci, "policy"));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.LifecyclePolicyNotFound, () => Policies(tenant).DeleteLifecyclePolicy(tenant.Ci, "policy"));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryNotFound, () => Policies(tenant).PutLifecyclePolicy(tenant.Ci, "absent", KeepNewest(1)));

        await Policies(tenant).PutLifecyclePolicy(tenant.Ci, "policy", KeepNewest(3));
        var refused = await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidParameter, () => Policies(tenant).PutLifecyclePolicy(tenant.Ci, "policy", KeepNewest(0)));
        Assert.Contains("Lifecycle policy validation failure", refused.Message, StringComparison.Ordinal);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => Policies(tenant).PutLifecyclePolicy(tenant.Reader, "policy", KeepNewest(1)));
        Assert.Equal(KeepNewest(3), (await Policies(tenant).GetLifecyclePolicy(tenant.Ci, "policy")).PolicyText);

        var deleted = await Policies(tenant).DeleteLifecyclePolicy(tenant.Ci, "policy");
        Assert.Equal(KeepNewest(3), deleted.PolicyText);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.LifecyclePolicyNotFound, () => Policies(tenant).GetLifecyclePolicy(tenant.Ci, "policy"));
    }

    [Fact]
    public async Task ADeletedAndRecreatedRepository_HasNoPolicy()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("reborn", EncryptionType.Aes256);
        await Policies(tenant).PutLifecyclePolicy(tenant.Ci, "reborn", KeepNewest(1));
        await tenant.EcrApi.DeleteRepository(tenant.Ci, "reborn");
        await tenant.CreateRepositoryAsync("reborn", EncryptionType.Aes256);

        await AwsAssert.ThrowsAsync(AwsErrorCodes.LifecyclePolicyNotFound, () => Policies(tenant).GetLifecyclePolicy(tenant.Ci, "reborn"));
    }

    /// <summary>An AccessDenied caller still sees the evaluations that fell due done first: what the repository shows never depends on who asks.</summary>
    [Fact]
    public async Task AnEvaluationThatFellDue_IsDoneBeforeAnyCall_EvenARefusedOne()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("due", EncryptionType.Aes256);
        await PushAsync(tenant, "due", "1", "2", "3");
        await Policies(tenant).PutLifecyclePolicy(tenant.Ci, "due", KeepNewest(1));
        fixture.Clock.Advance(TimeSpan.FromDays(1));

        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.EcrApi.DescribeImages(CallerIdentity.Role(tenant.Partition, tenant.Account, "nobody"), "due"));

        Assert.Equal(2, (await tenant.Trail.Query(new AuditQuery(EventName: EcrOperations.PolicyExecutionEvent))).Count);
    }
}
