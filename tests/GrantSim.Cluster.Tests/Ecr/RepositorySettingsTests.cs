using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Crypto;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Identity;
using Orleans.Core.Internal;

namespace GrantSim.Cluster.Tests.Ecr;

[Collection(ClusterCollection.Name)]
public sealed class RepositorySettingsTests(ClusterFixture fixture)
{
    private static readonly ImageTagMutabilityExclusionFilter Latest = new(ImageTagMutabilities.Wildcard, "latest");
    private static readonly ImageTagMutabilityExclusionFilter Dev = new(ImageTagMutabilities.Wildcard, "dev-*");

    // ---- resource tags ----

    [Fact]
    public async Task Tags_AtCreate_ThenTagged_Retagged_AndUntagged_AreListedAndAudited()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var repository = await Create(tenant, "tagged", new RepositorySettings { ResourceTags = Tags(("team", "build")) });
        var arn = repository.RepositoryArn;

        await tenant.EcrApi.TagResource(tenant.Ci, arn, [new RepositoryTag("env", "dev"), new RepositoryTag("team", "platform")]);
        Assert.Equal([("env", "dev"), ("team", "platform")], await ListTags(tenant, arn));

        await tenant.EcrApi.UntagResource(tenant.Ci, arn, ["env", "not-there"]);
        Assert.Equal([("team", "platform")], await ListTags(tenant, arn));

        var tagged = Assert.Single(await tenant.Trail.Query(new AuditQuery(EventName: EcrOperations.TagResource)));
        Assert.Equal(["env", "team"], tagged.RequestParameters.TagKeys);
        Assert.Equal(arn, Assert.Single(tagged.Resources));
        Assert.Equal(["env", "not-there"], Assert.Single(await tenant.Trail.Query(new AuditQuery(EventName: EcrOperations.UntagResource))).RequestParameters.TagKeys);
        Assert.Equal(["team"], Assert.Single(await tenant.Trail.Query(new AuditQuery(EventName: EcrOperations.CreateRepository))).RequestParameters.TagKeys);
    }

    [Fact]
    public async Task Tags_PastFifty_OrReserved_AreRefused_AndChangeNothing()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var arn = (await Create(tenant, "full", new RepositorySettings { ResourceTags = Tags([.. Enumerable.Range(0, 49).Select(i => ($"k{i}", "v"))]) })).RepositoryArn;

        await AwsAssert.ThrowsAsync(AwsErrorCodes.TooManyTags, () => tenant.EcrApi.TagResource(tenant.Ci, arn, [new RepositoryTag("a", "1"), new RepositoryTag("b", "2")]));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidTagParameter, () => tenant.EcrApi.TagResource(tenant.Ci, arn, [new RepositoryTag("ok", "1"), new RepositoryTag("aws:owner", "2")]));

        Assert.Equal(49, (await ListTags(tenant, arn)).Count);
        Assert.All(await tenant.Trail.Query(new AuditQuery(EventName: EcrOperations.TagResource)), e => Assert.NotNull(e.ErrorCode));
        await tenant.EcrApi.TagResource(tenant.Ci, arn, [new RepositoryTag("k0", "replaced"), new RepositoryTag("fiftieth", "1")]);
        Assert.Equal(50, (await ListTags(tenant, arn)).Count);
    }

    [Fact]
    public async Task Tags_ByAnotherAccountsArn_OrWithoutPermission_AreRefused()
    {
        var owner = await TestTenant.CreateAsync(fixture.Grains);
        var other = await TestTenant.CreateAsync(fixture.Grains);
        var arn = (await Create(owner, "mine", RepositorySettings.Default)).RepositoryArn;

        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => other.EcrApi.TagResource(other.Ci, arn, [new RepositoryTag("stolen", "1")]));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => owner.EcrApi.TagResource(owner.Reader, arn, [new RepositoryTag("reader", "1")]));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidParameter, () => owner.EcrApi.ListTagsForResource(owner.Ci, "arn:aws:ecr:us-east-1:" + owner.Account + ":mine"));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryNotFound, () => owner.EcrApi.ListTagsForResource(owner.Ci, arn.Replace("/mine", "/absent", StringComparison.Ordinal)));

        Assert.Empty(await ListTags(owner, arn));
    }

    [Fact]
    public async Task Create_WithTags_NeedsTagResourceToo_AndCreatesNothingWithout()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await fixture.Grains.GetGrain<IIamGrain>(tenant.Account).PutPrincipal(new PrincipalDefinition("role/creator", [TestTenant.Allow("ecr:CreateRepository", "ecr:DescribeRepositories")]));
        var creator = tenant.Role("creator");

        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () =>
            tenant.EcrApi.CreateRepository(creator, new CreateRepositoryRequest("tagged", EncryptionConfiguration.Aes256) { Settings = new RepositorySettings { ResourceTags = Tags(("team", "x")) } }));
        Assert.Empty(await tenant.Repositories.List());

        var untagged = await tenant.EcrApi.CreateRepository(creator, new CreateRepositoryRequest("tagged", EncryptionConfiguration.Aes256));
        Assert.Empty(untagged.Settings.ResourceTags);
    }

    // ---- tag mutability ----

    [Fact]
    public async Task Immutable_AnotherManifestUnderAnExistingTag_IsRefused_AndNothingChanges()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await Create(tenant, "frozen", new RepositorySettings { ImageTagMutability = ImageTagMutability.Immutable }, EncryptionType.Kms);
        var first = await tenant.PushImageAsync("frozen", "v1");
        var other = Reordered(first);
        var before = await Inspect(tenant, "frozen");

        var error = await AwsAssert.ThrowsAsync(AwsErrorCodes.ImageTagAlreadyExists, () => tenant.EcrApi.PutImage(tenant.Ci, "frozen", other, MediaTypes.OciManifest, "v1"));

        Assert.Equal("The image tag 'v1' already exists in the 'frozen' repository and cannot be overwritten because the repository is immutable.", error.Message);
        var after = await Inspect(tenant, "frozen");
        Assert.Equal(first.ManifestDigest, Assert.Single(after.Images).ImageDigest);
        Assert.Equal(["v1"], after.Images[0].ImageTags);
        Assert.Equal(before.BlobCount, after.BlobCount);
        var manifest = await tenant.EcrApi.GetImage(tenant.Ci, "frozen", new ImageIdentifier(ImageTag: "v1"));
        Assert.Equal(first.Manifest, manifest.Content);
    }

    [Fact]
    public async Task Immutable_TheSameManifestAgain_IsImageAlreadyExists_AndNewTagsAndDeletesAreStillAllowed()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await Create(tenant, "frozen", new RepositorySettings { ImageTagMutability = ImageTagMutability.Immutable });
        var image = await tenant.PushImageAsync("frozen", "v1");

        await AwsAssert.ThrowsAsync(AwsErrorCodes.ImageAlreadyExists, () => tenant.EcrApi.PutImage(tenant.Ci, "frozen", image.Manifest, MediaTypes.OciManifest, "v1"));
        await tenant.EcrApi.PutImage(tenant.Ci, "frozen", image.Manifest, MediaTypes.OciManifest, "stable");
        await tenant.EcrApi.DeleteImage(tenant.Ci, "frozen", new ImageIdentifier(ImageTag: "v1"));

        // Once the tag is gone it names nothing: pushing under it again is not a move.
        await tenant.EcrApi.PutImage(tenant.Ci, "frozen", Reordered(image), MediaTypes.OciManifest, "v1");
        Assert.Equal(2, (await tenant.EcrApi.DescribeImages(tenant.Ci, "frozen")).Count);
    }

    [Fact]
    public async Task ExclusionFilters_DecideWhichTagsMove()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await Create(tenant, "mixed", new RepositorySettings { ImageTagMutability = ImageTagMutability.ImmutableWithExclusion, ExclusionFilters = [Latest, Dev] });
        var image = await tenant.PushImageAsync("mixed", "v1");
        foreach (var tag in new[] { "latest", "dev-42" })
        {
            await tenant.EcrApi.PutImage(tenant.Ci, "mixed", image.Manifest, MediaTypes.OciManifest, tag);
        }

        var other = Reordered(image);
        await tenant.EcrApi.PutImage(tenant.Ci, "mixed", other, MediaTypes.OciManifest, "latest");
        await tenant.EcrApi.PutImage(tenant.Ci, "mixed", other, MediaTypes.OciManifest, "dev-42");
        await AwsAssert.ThrowsAsync(AwsErrorCodes.ImageTagAlreadyExists, () => tenant.EcrApi.PutImage(tenant.Ci, "mixed", other, MediaTypes.OciManifest, "v1"));

        // The opposite setting with the same filters: now only the filtered tags are fixed.
        await tenant.EcrApi.PutImageTagMutability(tenant.Ci, "mixed", ImageTagMutability.MutableWithExclusion, [Latest, Dev]);
        await tenant.EcrApi.PutImage(tenant.Ci, "mixed", other, MediaTypes.OciManifest, "v1");
        await AwsAssert.ThrowsAsync(AwsErrorCodes.ImageTagAlreadyExists, () => tenant.EcrApi.PutImage(tenant.Ci, "mixed", image.Manifest, MediaTypes.OciManifest, "latest"));

        var images = await tenant.EcrApi.DescribeImages(tenant.Ci, "mixed");
        // Tags in the order they were put on the image (DescribeImages reports push order).
        Assert.Equal(["latest", "dev-42", "v1"], Assert.Single(images, i => i.ImageDigest == ContentDigest.Sha256(other)).ImageTags);
    }

    [Fact]
    public async Task PutImageTagMutability_IsReported_Audited_AndRefusesWhatTheRuleForbids()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await Create(tenant, "switch", RepositorySettings.Default);
        var image = await tenant.PushImageAsync("switch", "v1");
        await tenant.EcrApi.PutImage(tenant.Ci, "switch", Reordered(image), MediaTypes.OciManifest, "v1");

        var changed = await tenant.EcrApi.PutImageTagMutability(tenant.Ci, "switch", ImageTagMutability.Immutable);
        Assert.Equal(ImageTagMutability.Immutable, changed.Settings.ImageTagMutability);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.ImageTagAlreadyExists, () => tenant.EcrApi.PutImage(tenant.Ci, "switch", image.Manifest, MediaTypes.OciManifest, "v1"));

        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidParameter, () => tenant.EcrApi.PutImageTagMutability(tenant.Ci, "switch", ImageTagMutability.ImmutableWithExclusion, []));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.EcrApi.PutImageTagMutability(tenant.Reader, "switch", ImageTagMutability.Mutable));
        var described = Assert.Single(await tenant.EcrApi.DescribeRepositories(tenant.Ci, ["switch"]));
        Assert.Equal(ImageTagMutability.Immutable, described.Settings.ImageTagMutability);
        Assert.Equal(3, (await tenant.Trail.Query(new AuditQuery(EventName: EcrOperations.PutImageTagMutability))).Count);
    }

    // ---- scanning configuration ----

    [Fact]
    public async Task ScanningConfiguration_OfRepositoriesAndTheRegistry_IsStoredAndReported()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await Create(tenant, "scanned", new RepositorySettings { ScanOnPush = true });
        await Create(tenant, "prod-api", RepositorySettings.Default);

        var unset = await tenant.EcrApi.GetRegistryScanningConfiguration(tenant.Ci);
        Assert.Equal(RegistryScanningConfiguration.Basic, unset.ScanType);
        Assert.Empty(unset.Rules);
        var (found, notFound) = await tenant.EcrApi.BatchGetRepositoryScanningConfiguration(tenant.Ci, ["scanned", "prod-api", "absent"]);
        Assert.Equal([RegistryScanningConfiguration.ScanOnPush, RegistryScanningConfiguration.Manual], found.Select(c => c.ScanFrequency));
        Assert.Equal(["absent"], notFound);

        var rule = new RegistryScanningRule(RegistryScanningConfiguration.ContinuousScan, [new ScanningRepositoryFilter("prod-*", ImageTagMutabilities.Wildcard)]);
        await tenant.EcrApi.PutRegistryScanningConfiguration(tenant.Ci, new RegistryScanningConfiguration(RegistryScanningConfiguration.Enhanced, [rule]));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Validation, () => tenant.EcrApi.PutRegistryScanningConfiguration(tenant.Ci,
            new RegistryScanningConfiguration(RegistryScanningConfiguration.Basic, [rule])));
        await tenant.EcrApi.PutImageScanningConfiguration(tenant.Ci, "scanned", scanOnPush: false);

        var stored = await tenant.EcrApi.GetRegistryScanningConfiguration(tenant.Ci);
        Assert.Equal(RegistryScanningConfiguration.Enhanced, stored.ScanType);
        Assert.Equal(rule.RepositoryFilters.ToArray(), Assert.Single(stored.Rules).RepositoryFilters.ToArray());
        (found, _) = await tenant.EcrApi.BatchGetRepositoryScanningConfiguration(tenant.Ci, ["scanned", "prod-api"]);
        Assert.Equal([(false, RegistryScanningConfiguration.Manual), (false, RegistryScanningConfiguration.ContinuousScan)], found.Select(c => (c.ScanOnPush, c.ScanFrequency)));
        Assert.Single(await tenant.Trail.Query(new AuditQuery(EventName: EcrOperations.PutRegistryScanningConfiguration, ErrorsOnly: true)));
    }

    [Fact]
    public async Task RegistryScanningConfiguration_IsEachTenantsOwn()
    {
        var owner = await TestTenant.CreateAsync(fixture.Grains);
        var other = await TestTenant.CreateAsync(fixture.Grains);
        await owner.EcrApi.PutRegistryScanningConfiguration(owner.Ci, new RegistryScanningConfiguration(RegistryScanningConfiguration.Enhanced, []));

        Assert.Equal(RegistryScanningConfiguration.Basic, (await other.EcrApi.GetRegistryScanningConfiguration(other.Ci)).ScanType);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => owner.EcrApi.GetRegistryScanningConfiguration(owner.Reader));
    }

    // ---- persistence ----

    [Fact]
    public async Task Settings_SurviveReactivation_AndGoWithTheRepository()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var settings = new RepositorySettings
        {
            ImageTagMutability = ImageTagMutability.ImmutableWithExclusion,
            ExclusionFilters = [Latest],
            ScanOnPush = true,
            ResourceTags = Tags(("team", "build")),
        };
        await Create(tenant, "kept", settings, EncryptionType.Kms);
        await tenant.EcrApi.PutRegistryScanningConfiguration(tenant.Ci, new RegistryScanningConfiguration(RegistryScanningConfiguration.Enhanced, []));

        await fixture.Grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(tenant.Account, tenant.Region, "kept")).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await fixture.Grains.GetGrain<IRegistryScanningConfigurationGrain>(GrainKeys.TenantRegion(tenant.Account, tenant.Region)).AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        var described = Assert.Single(await tenant.EcrApi.DescribeRepositories(tenant.Ci, ["kept"]));
        Assert.Equal(ImageTagMutability.ImmutableWithExclusion, described.Settings.ImageTagMutability);
        Assert.Equal(Latest, Assert.Single(described.Settings.ExclusionFilters));
        Assert.True(described.Settings.ScanOnPush);
        Assert.Equal([("team", "build")], await ListTags(tenant, described.RepositoryArn));
        Assert.Equal(RegistryScanningConfiguration.Enhanced, (await tenant.EcrApi.GetRegistryScanningConfiguration(tenant.Ci)).ScanType);

        await tenant.EcrApi.DeleteRepository(tenant.Ci, "kept");
        var again = await Create(tenant, "kept", RepositorySettings.Default);
        Assert.Equal(ImageTagMutability.Mutable, again.Settings.ImageTagMutability);
        Assert.Empty(again.Settings.ResourceTags);
    }

    private static Task<RepositoryDescription> Create(TestTenant tenant, string name, RepositorySettings settings, EncryptionType type = EncryptionType.Aes256) =>
        tenant.EcrApi.CreateRepository(tenant.Ci, new CreateRepositoryRequest(name, new EncryptionConfiguration(type)) { Settings = settings });

    private static async Task<IReadOnlyList<(string, string)>> ListTags(TestTenant tenant, string arn) =>
        (await tenant.EcrApi.ListTagsForResource(tenant.Ci, arn)).Select(t => (t.Key, t.Value)).ToArray();

    private static System.Collections.Immutable.ImmutableSortedDictionary<string, string> Tags(params (string Key, string Value)[] tags) =>
        RepositoryResourceTags.Apply(RepositoryResourceTags.Empty, tags.Select(t => new RepositoryTag(t.Key, t.Value)).ToArray());

    private Task<RepositorySnapshot> Inspect(TestTenant tenant, string name) =>
        fixture.Grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(tenant.Account, tenant.Region, name)).Inspect();

    /// <summary>Another manifest over the same blobs (its layers in the other order): a different image, nothing new to upload.</summary>
    private static byte[] Reordered((string ManifestDigest, byte[] Manifest, IReadOnlyList<(string Digest, byte[] Content)> Blobs) image) =>
        ImageManifests.BuildOci(image.Blobs[2].Digest, image.Blobs[2].Content.Length,
            [(image.Blobs[1].Digest, image.Blobs[1].Content.Length), (image.Blobs[0].Digest, image.Blobs[0].Content.Length)]);
}
