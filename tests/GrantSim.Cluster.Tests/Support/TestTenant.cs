using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Identity;
using GrantSim.Kms;
using GrantSim.Simulation;

namespace GrantSim.Cluster.Tests.Support;

/// <summary>
/// A fresh tenant (account) for one test, with the roles of a typical account: an admin, a CI
/// role with the KMS permissions the ECR guide lists, a deployer without kms:RetireGrant, and a
/// reader. Accounts are unique across the test run, so tests never share state.
/// </summary>
public sealed class TestTenant
{
    private static long _nextAccount = 300_000_000_000;

    public const string AllowAll = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    private TestTenant(IGrainFactory grains, string account, string region)
    {
        Grains = grains;
        Account = account;
        Region = region;
    }

    public IGrainFactory Grains { get; }

    public string Account { get; }

    public string Region { get; }

    public string Partition => Regions.PartitionOf(Region);

    public CallerIdentity Root => CallerIdentity.Root(Partition, Account);

    public CallerIdentity Admin => Role("admin");

    public CallerIdentity Ci => Role("ci");

    public CallerIdentity Deployer => Role("deployer");

    public CallerIdentity Reader => Role("reader");

    public CallerIdentity Ecr => CallerIdentity.Service(Regions.EcrServicePrincipal(Region));

    public IKmsServiceGrain Kms => Grains.GetGrain<IKmsServiceGrain>(Region);

    public IEcrServiceGrain EcrApi => Grains.GetGrain<IEcrServiceGrain>(Region);

    public IAuditTrailGrain Trail => Grains.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(Account, Region));

    public IRepositoryRegistryGrain Repositories => Grains.GetGrain<IRepositoryRegistryGrain>(GrainKeys.TenantRegion(Account, Region));

    public CallerIdentity Role(string name) => CallerIdentity.Role(Partition, Account, name);

    public static async Task<TestTenant> CreateAsync(IGrainFactory grains, string region = Regions.UsEast1)
    {
        var account = Interlocked.Increment(ref _nextAccount).ToString("D12", System.Globalization.CultureInfo.InvariantCulture);
        var tenant = new TestTenant(grains, account, region);
        var iam = grains.GetGrain<IIamGrain>(account);
        await iam.PutPrincipal(new PrincipalDefinition("role/admin", [AllowAll]));
        await iam.PutPrincipal(new PrincipalDefinition("role/ci", [Allow("ecr:*", "kms:DescribeKey", "kms:CreateGrant", "kms:RetireGrant")]));
        await iam.PutPrincipal(new PrincipalDefinition("role/deployer", [Allow("ecr:*", "kms:DescribeKey", "kms:CreateGrant")]));
        await iam.PutPrincipal(new PrincipalDefinition("role/reader", [Allow("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:DescribeRepositories")]));
        return tenant;
    }

    public static string Allow(params string[] actions) =>
        System.Text.Json.JsonSerializer.Serialize(new { Version = "2012-10-17", Statement = new[] { new { Effect = "Allow", Action = actions, Resource = "*" } } });

    public async Task<KeyMetadata> CreateKeyAsync(string? alias = null, string? policy = null)
    {
        var key = await Kms.CreateKey(Root, new CreateKeyRequest("test key", policy));
        if (alias is not null)
        {
            await Kms.CreateAlias(Root, alias, key.KeyId);
        }

        return key;
    }

    public Task<RepositoryDescription> CreateRepositoryAsync(string name, EncryptionType type = EncryptionType.Kms, string? kmsKey = null, CallerIdentity? caller = null) =>
        EcrApi.CreateRepository(caller ?? Ci, new CreateRepositoryRequest(name, new EncryptionConfiguration(type, kmsKey)));

    /// <summary>Pushes one image (two layers and a config) and returns the manifest digest and every blob's content.</summary>
    public async Task<(string ManifestDigest, byte[] Manifest, IReadOnlyList<(string Digest, byte[] Content)> Blobs)> PushImageAsync(string repository, string tag, CallerIdentity? caller = null)
    {
        caller ??= Ci;
        var blobs = new List<(string, byte[])>();
        foreach (var content in new[] { Random.Shared.GetItems<byte>([1, 2, 3, 4, 5, 6, 7, 8], 3000), Random.Shared.GetItems<byte>([9, 10, 11], 700), "{\"os\":\"linux\"}"u8.ToArray() })
        {
            var descriptor = await EcrApi.UploadBlob(caller, repository, content);
            blobs.Add((descriptor.Digest, content));
        }

        var manifest = ImageManifests.BuildOci(blobs[2].Item1, blobs[2].Item2.Length, [(blobs[0].Item1, blobs[0].Item2.Length), (blobs[1].Item1, blobs[1].Item2.Length)]);
        var image = await EcrApi.PutImage(caller, repository, manifest, MediaTypes.OciManifest, tag);
        Assert.Equal(ContentDigest.Sha256(manifest), image.ImageDigest);
        return (image.ImageDigest, manifest, blobs);
    }

    /// <summary>Pulls an image by digest and asserts every byte is what was pushed.</summary>
    public async Task PullAndVerifyAsync(string repository, (string ManifestDigest, byte[] Manifest, IReadOnlyList<(string Digest, byte[] Content)> Blobs) image, CallerIdentity? caller = null)
    {
        caller ??= Ci;
        var manifest = await EcrApi.GetImage(caller, repository, new ImageIdentifier(ImageDigest: image.ManifestDigest));
        Assert.Equal(image.Manifest, manifest.Content);
        foreach (var (digest, content) in image.Blobs)
        {
            Assert.Equal(content, (await EcrApi.GetBlob(caller, repository, digest)).Value);
        }
    }

    public async Task<IReadOnlyList<GrantListEntry>> GrantsForRepositoryAsync(string keyArn, string repositoryArn)
    {
        var all = new List<GrantListEntry>();
        string? marker = null;
        do
        {
            var page = await Kms.ListGrants(Admin, new ListGrantsRequest(keyArn, Limit: 100, Marker: marker));
            all.AddRange(page.Grants);
            marker = page.NextMarker;
        }
        while (marker is not null);
        return all.Where(g => g.Constraints?.EncryptionContextSubset?.TryGetValue(EcrEncryptionContext.EcrArnKey, out var arn) == true && arn == repositoryArn).ToArray();
    }

    public Task<SimulationSettings> SetSimulationAsync(TimeSpan propagationDelay, params FaultRule[] faults) =>
        Grains.GetGrain<ITenantSettingsGrain>(Account).Set(propagationDelay, new FaultPlan(7, faults));
}
