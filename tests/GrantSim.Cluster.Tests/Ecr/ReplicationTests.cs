using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Identity;
using GrantSim.Kms;

namespace GrantSim.Cluster.Tests.Ecr;

/// <summary>
/// Replication through the grains: cross-Region into a KMS repository created from a template (the destination's own key,
/// grants, data keys and encryption contexts, in its own Region's trail), a revoked destination grant, and cross-account
/// replication as the destination's registry policy allows or refuses it. Replication is asynchronous: each test waits for
/// the source's outbox to drain (the worker's <see cref="IReplicationWorkerGrain.Drain"/>, which returns what is still in progress).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplicationTests(ClusterFixture fixture)
{
    private const string West = Regions.UsWest2;

    internal static ReplicationConfiguration Rule(string region, string registry, params string[] prefixes) =>
        new([new ReplicationRule([new ReplicationDestination(region, registry)], prefixes.Select(p => new RepositoryFilter(p, RepositoryFilter.PrefixMatch)).ToArray())]);

    internal static async Task DrainAsync(IGrainFactory grains, string account, string region, string repository) =>
        Assert.Equal(0, await grains.GetGrain<IReplicationWorkerGrain>(GrainKeys.Repository(account, region, repository)).Drain());

    internal static Task<(ImageIdentifier Image, IReadOnlyList<ImageReplicationStatus> Statuses)> StatusAsync(
        IGrainFactory grains, CallerIdentity caller, string account, string region, string repository, string digest) =>
        grains.GetGrain<IRepositoryReplicationGrain>(GrainKeys.Repository(account, region, repository)).DescribeImageReplicationStatus(caller, new ImageIdentifier(digest));

    internal static async Task PullAsync(IEcrServiceGrain ecr, CallerIdentity caller, string repository, (string ManifestDigest, byte[] Manifest, IReadOnlyList<(string Digest, byte[] Content)> Blobs) image)
    {
        Assert.Equal(image.Manifest, (await ecr.GetImage(caller, repository, new ImageIdentifier(image.ManifestDigest))).Content);
        foreach (var (digest, content) in image.Blobs)
        {
            Assert.Equal(content, (await ecr.GetBlob(caller, repository, digest)).Value);
        }
    }

    [Fact]
    public async Task CrossRegion_IntoAKmsTemplate_UsesTheDestinationsOwnKeyGrantsDataKeysAndTrail_AndARevokeThereBlocksOnlyTheDestination()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var sourceKey = await tenant.CreateKeyAsync();
        var westKms = fixture.Grains.GetGrain<IKmsServiceGrain>(West);
        var westEcr = fixture.Grains.GetGrain<IEcrServiceGrain>(West);
        var westKey = await westKms.CreateKey(tenant.Root, new CreateKeyRequest("the destination's key", null));
        var westRegistry = fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(tenant.Account, West));
        await westRegistry.CreateTemplate(tenant.Admin, new RepositoryCreationTemplateUpdate(
            "app", "replicas of app/", new EncryptionConfiguration(EncryptionType.Kms, westKey.Arn), null, null, null, null, null,
            [RepositoryCreationTemplate.Replication], tenant.Admin.Principal));
        await fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(tenant.Account, tenant.Region))
            .PutReplicationConfiguration(tenant.Admin, Rule(West, tenant.Account, "app/"));
        var source = await tenant.CreateRepositoryAsync("app/web", kmsKey: sourceKey.Arn);

        var image = await tenant.PushImageAsync("app/web", "v1");
        await DrainAsync(fixture.Grains, tenant.Account, tenant.Region, "app/web");

        var (_, statuses) = await StatusAsync(fixture.Grains, tenant.Ci, tenant.Account, tenant.Region, "app/web", image.ManifestDigest);
        Assert.Equal(new ImageReplicationStatus(West, tenant.Account, "COMPLETE", null), Assert.Single(statuses));

        // The destination repository: created from the template, under the destination's key, with its own two grants.
        var destination = Assert.Single(await westEcr.DescribeRepositories(tenant.Ci, ["app/web"]));
        Assert.Equal(new EncryptionConfiguration(EncryptionType.Kms, westKey.Arn), destination.EncryptionConfiguration);
        Assert.NotEqual(source.RepositoryArn, destination.RepositoryArn);
        var westGrants = (await westKms.ListGrants(tenant.Admin, new ListGrantsRequest(westKey.Arn))).Grants
            .Where(g => g.Constraints?.EncryptionContextSubset?.GetValueOrDefault(EcrEncryptionContext.EcrArnKey) == destination.RepositoryArn).ToArray();
        Assert.Equal(2, westGrants.Length);
        Assert.All(westGrants, g => Assert.Equal(Regions.EcrServicePrincipal(West), g.GranteePrincipal));

        // Its own data keys, generated in its own Region's trail with its own encryption context: one per object.
        var westTrail = fixture.Grains.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(tenant.Account, West));
        var generated = await westTrail.Query(new AuditQuery(EventName: KmsOperations.GenerateDataKey));
        Assert.Equal(4, generated.Count); // two layers, the config and the manifest
        Assert.All(generated, e =>
        {
            Assert.Equal(destination.RepositoryArn, e.RequestParameters.EncryptionContext![EcrEncryptionContext.EcrArnKey]);
            Assert.Equal(westKey.Arn, e.RequestParameters.KeyId);
            Assert.Contains(e.GrantId, westGrants.Select(g => g.GrantId));
        });
        var sourceDecrypts = await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.Decrypt));
        Assert.Equal(4, sourceDecrypts.Count); // the source read each object once, through its own grant and context
        Assert.All(sourceDecrypts, e => Assert.Equal(source.RepositoryArn, e.RequestParameters.EncryptionContext![EcrEncryptionContext.EcrArnKey]));
        Assert.Empty(await tenant.Trail.Query(new AuditQuery(Resource: destination.RepositoryArn)));
        await PullAsync(westEcr, tenant.Ci, "app/web", image);

        // Revoking the destination's grants blocks the destination's pulls, not the source's.
        foreach (var grant in westGrants)
        {
            await westKms.RevokeGrant(tenant.Admin, westKey.KeyId, grant.GrantId);
        }

        await AwsAssert.ThrowsAsync(AwsErrorCodes.Kms, () => PullAsync(westEcr, tenant.Ci, "app/web", image), AwsErrorCodes.AccessDenied);
        await tenant.PullAndVerifyAsync("app/web", image);
    }

    [Fact]
    public async Task WithoutATemplate_TheDestinationIsAes256_AndOnlyMatchingRepositoriesReplicate_AndOnlyOnce()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(tenant.Account, tenant.Region))
            .PutReplicationConfiguration(tenant.Admin, Rule(West, tenant.Account, "prod"));
        await tenant.CreateRepositoryAsync("prod-api", EncryptionType.Aes256);
        await tenant.CreateRepositoryAsync("dev-api", EncryptionType.Aes256);

        var image = await tenant.PushImageAsync("prod-api", "v1");
        await tenant.PushImageAsync("dev-api", "v1");
        await DrainAsync(fixture.Grains, tenant.Account, tenant.Region, "prod-api");
        await DrainAsync(fixture.Grains, tenant.Account, tenant.Region, "dev-api");

        var westEcr = fixture.Grains.GetGrain<IEcrServiceGrain>(West);
        var replica = Assert.Single(await westEcr.DescribeRepositories(tenant.Ci));
        Assert.Equal("prod-api", replica.RepositoryName);
        Assert.Equal(EncryptionConfiguration.Aes256, replica.EncryptionConfiguration);
        Assert.Equal(["v1"], Assert.Single(await westEcr.DescribeImages(tenant.Ci, "prod-api")).ImageTags);
        await PullAsync(westEcr, tenant.Ci, "prod-api", image);

        // A replicated image is not replicated again from its destination (one replication per push).
        Assert.Equal(0, await fixture.Grains.GetGrain<IReplicationWorkerGrain>(GrainKeys.Repository(tenant.Account, West, "prod-api")).Drain());
    }

    [Fact]
    public async Task ATemplate_GivesTheDestinationItsTagsTagMutabilityRepositoryPolicyAndLifecyclePolicy()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        const string policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"ecr:BatchGetImage"}]}""";
        const string lifecycle = """{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}""";
        await fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(tenant.Account, West)).CreateTemplate(tenant.Admin, new RepositoryCreationTemplateUpdate(
            "mirror", "mirrors", null, [new TemplateResourceTag("team", "platform")], "IMMUTABLE_WITH_EXCLUSION",
            [new TemplateTagMutabilityExclusion("WILDCARD", "latest")], policy, lifecycle, [RepositoryCreationTemplate.Replication], null));
        await fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(tenant.Account, tenant.Region))
            .PutReplicationConfiguration(tenant.Admin, Rule(West, tenant.Account, "mirror/"));
        await tenant.CreateRepositoryAsync("mirror/api", EncryptionType.Aes256);

        await tenant.PushImageAsync("mirror/api", "v1");
        await DrainAsync(fixture.Grains, tenant.Account, tenant.Region, "mirror/api");

        var westEcr = fixture.Grains.GetGrain<IEcrServiceGrain>(West);
        var replica = Assert.Single(await westEcr.DescribeRepositories(tenant.Ci, ["mirror/api"]));
        Assert.Equal(ImageTagMutability.ImmutableWithExclusion, replica.Settings.ImageTagMutability);
        Assert.Equal([new ImageTagMutabilityExclusionFilter("WILDCARD", "latest")], replica.Settings.ExclusionFilters.ToArray());
        Assert.Equal([new RepositoryTag("team", "platform")], await westEcr.ListTagsForResource(tenant.Admin, replica.RepositoryArn));
        Assert.Equal(policy, await westEcr.GetRepositoryPolicy(tenant.Admin, "mirror/api"));
        Assert.Equal(lifecycle, (await fixture.Grains.GetGrain<IRepositoryLifecyclePolicyGrain>(GrainKeys.Repository(tenant.Account, West, "mirror/api"))
            .GetLifecyclePolicy(tenant.Admin)).PolicyText);

        // The source repository is untouched by the destination's template.
        var source = Assert.Single(await fixture.Grains.GetGrain<IEcrServiceGrain>(tenant.Region).DescribeRepositories(tenant.Ci, ["mirror/api"]));
        Assert.Equal(RepositorySettings.Default, source.Settings);
    }

    [Fact]
    public async Task ATemplateWhosePoliciesEcrWouldRefuse_IsRefusedItself_AndChangesNothing()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var registry = fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(tenant.Account, West));
        var badLifecycle = await Assert.ThrowsAsync<AwsServiceException>(() => registry.CreateTemplate(tenant.Admin, new RepositoryCreationTemplateUpdate(
            "bad", null, null, null, null, null, null, """{"rules":[]}""", [RepositoryCreationTemplate.Replication], null)));
        Assert.Equal(AwsErrorCodes.InvalidParameter, badLifecycle.ErrorCode);
        var badPolicy = await Assert.ThrowsAsync<AwsServiceException>(() => registry.CreateTemplate(tenant.Admin, new RepositoryCreationTemplateUpdate(
            "bad", null, null, null, null, null, """{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Principal":"*"}]}""", null, [RepositoryCreationTemplate.Replication], null)));
        Assert.Equal(AwsErrorCodes.InvalidParameter, badPolicy.ErrorCode);
        Assert.Empty(await registry.DescribeTemplates(tenant.Admin, null));
    }

    [Fact]
    public async Task CrossAccount_IsAllowedOnlyByTheDestinationsRegistryPolicy()
    {
        var source = await TestTenant.CreateAsync(fixture.Grains);
        var destination = await TestTenant.CreateAsync(fixture.Grains, West);
        await fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(source.Account, source.Region))
            .PutReplicationConfiguration(source.Admin, Rule(West, destination.Account));
        await source.CreateRepositoryAsync("shared", EncryptionType.Aes256);
        var destinationRegistry = fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(destination.Account, West));

        // No registry policy: refused.
        var first = await source.PushImageAsync("shared", "v1");
        await DrainAsync(fixture.Grains, source.Account, source.Region, "shared");
        Assert.Equal(new ImageReplicationStatus(West, destination.Account, "FAILED", AwsErrorCodes.AccessDenied),
            Assert.Single((await StatusAsync(fixture.Grains, source.Ci, source.Account, source.Region, "shared", first.ManifestDigest)).Statuses));

        // ReplicateImage without CreateRepository: the repository is missing and may not be made.
        await destinationRegistry.PutPolicy(destination.Admin, Policy(source.Account, "ecr:ReplicateImage"));
        var second = await source.PushImageAsync("shared", "v2");
        await DrainAsync(fixture.Grains, source.Account, source.Region, "shared");
        Assert.Equal(AwsErrorCodes.RepositoryNotFound,
            Assert.Single((await StatusAsync(fixture.Grains, source.Ci, source.Account, source.Region, "shared", second.ManifestDigest)).Statuses).FailureCode);
        Assert.Empty(await destination.EcrApi.DescribeRepositories(destination.Ci));

        // Both: the destination registry gets the repository (made by the destination's replication role) and the image.
        await destinationRegistry.PutPolicy(destination.Admin, Policy(source.Account, "ecr:ReplicateImage", "ecr:CreateRepository"));
        var third = await source.PushImageAsync("shared", "v3");
        await DrainAsync(fixture.Grains, source.Account, source.Region, "shared");
        Assert.Equal("COMPLETE",
            Assert.Single((await StatusAsync(fixture.Grains, source.Ci, source.Account, source.Region, "shared", third.ManifestDigest)).Statuses).Status);
        await PullAsync(destination.EcrApi, destination.Ci, "shared", third);
        Assert.Single(await destination.EcrApi.DescribeImages(destination.Ci, "shared"));
        var created = Assert.Single(await destination.Trail.Query(new AuditQuery(EventName: EcrOperations.CreateRepository)));
        Assert.Equal(RegistryPolicies.ReplicationRole(destination.Partition, destination.Account).Principal, created.UserIdentity.Principal);
        Assert.Contains(await destination.Trail.Query(new AuditQuery(EventName: EcrOperations.ReplicateImage, ErrorsOnly: true)),
            e => e.ErrorCode == AwsErrorCodes.AccessDenied);

        // The policy withdrawn: the destination repository exists now, and still no image enters without the policy.
        // (Planted bug 34 checked the policy only when the repository had to be made.)
        await destinationRegistry.DeletePolicy(destination.Admin);
        var fourth = await source.PushImageAsync("shared", "v4");
        await DrainAsync(fixture.Grains, source.Account, source.Region, "shared");
        Assert.Equal(new ImageReplicationStatus(West, destination.Account, "FAILED", AwsErrorCodes.AccessDenied),
            Assert.Single((await StatusAsync(fixture.Grains, source.Ci, source.Account, source.Region, "shared", fourth.ManifestDigest)).Statuses));
        Assert.Single(await destination.EcrApi.DescribeImages(destination.Ci, "shared"));

        // The source's own registry policy changes nothing for the destination, and the source account cannot read the replica.
        await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryNotFound, () => fixture.Grains.GetGrain<IEcrServiceGrain>(West).DescribeRepositories(source.Ci, ["shared"]));
    }

    [Fact]
    public async Task TwoRegionsReplicatingIntoEachOther_BothGetBothImages_EachReplicatedOnce()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(tenant.Account, tenant.Region))
            .PutReplicationConfiguration(tenant.Admin, Rule(West, tenant.Account));
        await fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(tenant.Account, West))
            .PutReplicationConfiguration(tenant.Admin, Rule(tenant.Region, tenant.Account));
        var westEcr = fixture.Grains.GetGrain<IEcrServiceGrain>(West);
        await tenant.CreateRepositoryAsync("both", EncryptionType.Aes256);
        await westEcr.CreateRepository(tenant.Ci, new CreateRepositoryRequest("both", null));

        var pushedEast = await tenant.PushImageAsync("both", "east");
        var westLayer = await westEcr.UploadBlob(tenant.Ci, "both", "a layer pushed in us-west-2"u8.ToArray());
        var westConfig = await westEcr.UploadBlob(tenant.Ci, "both", "{\"os\":\"linux-west\"}"u8.ToArray());
        var westManifest = ImageManifests.BuildOci(westConfig.Digest, westConfig.Size, [(westLayer.Digest, westLayer.Size)]);
        var pushedWest = await westEcr.PutImage(tenant.Ci, "both", westManifest, MediaTypes.OciManifest, "west");
        await Task.WhenAll(DrainAsync(fixture.Grains, tenant.Account, tenant.Region, "both"), DrainAsync(fixture.Grains, tenant.Account, West, "both"));

        var east = (await tenant.EcrApi.DescribeImages(tenant.Ci, "both")).Select(i => i.ImageDigest).Order(StringComparer.Ordinal);
        var west = (await westEcr.DescribeImages(tenant.Ci, "both")).Select(i => i.ImageDigest).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { pushedEast.ManifestDigest, pushedWest.ImageDigest }.Order(StringComparer.Ordinal), east);
        Assert.Equal(east, west);
        Assert.Single((await StatusAsync(fixture.Grains, tenant.Ci, tenant.Account, tenant.Region, "both", pushedEast.ManifestDigest)).Statuses);
        Assert.Empty((await StatusAsync(fixture.Grains, tenant.Ci, tenant.Account, tenant.Region, "both", pushedWest.ImageDigest)).Statuses);
    }

    [Fact]
    public async Task ATemplateWithACustomerKeyButNoCustomRole_FailsAsKmsException_AndLeavesNoRepository()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var westKey = await fixture.Grains.GetGrain<IKmsServiceGrain>(West).CreateKey(tenant.Root, new CreateKeyRequest("no role may use it", null));
        await fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(tenant.Account, West)).CreateTemplate(tenant.Admin, new RepositoryCreationTemplateUpdate(
            "ROOT", null, new EncryptionConfiguration(EncryptionType.Kms, westKey.Arn), null, null, null, null, null, [RepositoryCreationTemplate.Replication], null));
        await fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(tenant.Account, tenant.Region))
            .PutReplicationConfiguration(tenant.Admin, Rule(West, tenant.Account));
        await tenant.CreateRepositoryAsync("keyed", EncryptionType.Aes256);

        var image = await tenant.PushImageAsync("keyed", "v1");
        await DrainAsync(fixture.Grains, tenant.Account, tenant.Region, "keyed");

        Assert.Equal(new ImageReplicationStatus(West, tenant.Account, "FAILED", AwsErrorCodes.Kms),
            Assert.Single((await StatusAsync(fixture.Grains, tenant.Ci, tenant.Account, tenant.Region, "keyed", image.ManifestDigest)).Statuses));
        Assert.Empty(await fixture.Grains.GetGrain<IEcrServiceGrain>(West).DescribeRepositories(tenant.Ci));
        Assert.Empty((await fixture.Grains.GetGrain<IKmsServiceGrain>(West).ListGrants(tenant.Admin, new ListGrantsRequest(westKey.Arn))).Grants);
    }

    internal static string Policy(string sourceAccount, params string[] actions) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new[] { new { Sid = "ReplicationAccessCrossAccount", Effect = "Allow", Principal = new { AWS = $"arn:aws:iam::{sourceAccount}:root" }, Action = actions, Resource = "*" } },
        });

    [Fact]
    public async Task TheRegistryApi_IsTheOwnersOnly_AndRefusedRequestsChangeNothing()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var other = await TestTenant.CreateAsync(fixture.Grains);
        var registry = fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(tenant.Account, tenant.Region));

        await AwsAssert.ThrowsAsync(AwsErrorCodes.RegistryPolicyNotFound, () => registry.GetPolicy(tenant.Admin));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => registry.PutPolicy(other.Admin, Policy(other.Account, "ecr:ReplicateImage")));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => registry.PutReplicationConfiguration(tenant.Reader, Rule(West, tenant.Account)));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidParameter, () => registry.PutReplicationConfiguration(tenant.Admin, Rule("cn-north-1", tenant.Account)));
        Assert.Empty((await registry.DescribeRegistry(tenant.Admin)).Rules);

        var text = Policy(other.Account, "ecr:ReplicateImage");
        Assert.Equal(text, await registry.PutPolicy(tenant.Admin, text));
        Assert.Equal(text, await registry.GetPolicy(tenant.Admin));
        Assert.Equal(text, await registry.DeletePolicy(tenant.Admin));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.RegistryPolicyNotFound, () => registry.DeletePolicy(tenant.Admin));
    }
}
