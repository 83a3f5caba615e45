using System.Text;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Crypto;
using GrantSim.Ecr;
using GrantSim.Grains;

namespace GrantSim.Cluster.Tests.Ecr;

/// <summary>
/// UpdateImageStorageClass, ListImageReferrers and managed signing through the grains: an archived image of a KMS
/// repository cannot be pulled, and after a restore (ACTIVATING on the simulated clock) it is pulled and decrypted through
/// the repository's grant as before; referrers are the manifests whose subject names the image; signing statuses never claim a signature.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ImageStorageAndReferrersTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AnArchivedImage_IsNotPullable_AndARestoreMakesItPullableThroughTheGrant_OnceTheClockHasPassed()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("archive");
        var image = await tenant.PushImageAsync("archive", "v1");
        var id = new ImageIdentifier(ImageTag: "v1");

        Assert.Equal((image.ManifestDigest, ImageStatuses.Archived), await tenant.EcrApi.UpdateImageStorageClass(tenant.Ci, "archive", id, ImageStatuses.ArchiveStorageClass));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.ImageNotFound, () => tenant.EcrApi.GetImage(tenant.Ci, "archive", id));
        var described = Assert.Single(await tenant.EcrApi.DescribeImages(tenant.Ci, "archive"));
        Assert.Equal((ImageStatuses.Archived, fixture.Clock.GetUtcNow()), (described.ImageStatus, described.LastArchivedAt));

        Assert.Equal((image.ManifestDigest, ImageStatuses.Activating), await tenant.EcrApi.UpdateImageStorageClass(tenant.Ci, "archive", id, ImageStatuses.StandardStorageClass));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.ImageStorageClassUpdateNotSupported,
            () => tenant.EcrApi.UpdateImageStorageClass(tenant.Ci, "archive", id, ImageStatuses.ArchiveStorageClass));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.ImageNotFound, () => tenant.EcrApi.GetImage(tenant.Ci, "archive", id));

        fixture.Clock.Advance(ImageStorage.RestoreDuration);
        var restored = Assert.Single(await tenant.EcrApi.DescribeImages(tenant.Ci, "archive"));
        Assert.Equal((ImageStatuses.Active, fixture.Clock.GetUtcNow()), (restored.ImageStatus, restored.LastActivatedAt));
        await tenant.PullAndVerifyAsync("archive", image);
    }

    [Fact]
    public async Task RepushingAnArchivedImage_RestoresIt_AndOnlyAllowedCallersMayArchive()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("repush");
        var image = await tenant.PushImageAsync("repush", "v1");
        await tenant.EcrApi.UpdateImageStorageClass(tenant.Ci, "repush", new ImageIdentifier(image.ManifestDigest), ImageStatuses.ArchiveStorageClass);

        var again = await tenant.EcrApi.PutImage(tenant.Ci, "repush", image.Manifest, MediaTypes.OciManifest, "v1");
        Assert.Equal(ImageStatuses.Activating, again.ImageStatus);

        var other = await TestTenant.CreateAsync(fixture.Grains);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () =>
            fixture.Grains.GetGrain<IEcrServiceGrain>(GrainKeys.EcrRegistry(tenant.Account, tenant.Region))
                .UpdateImageStorageClass(other.Ci, "repush", new ImageIdentifier(image.ManifestDigest), ImageStatuses.ArchiveStorageClass));
        Assert.Equal(ImageStatuses.Activating, Assert.Single(await tenant.EcrApi.DescribeImages(tenant.Ci, "repush")).ImageStatus);
    }

    [Fact]
    public async Task AManifestWithASubject_IsListedAsItsReferrer_AndSigningStatusesNeverClaimASignature()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("prod/app");
        var subject = await tenant.PushImageAsync("prod/app", "v1");
        var empty = await tenant.EcrApi.UploadBlob(tenant.Ci, "prod/app", "{}"u8.ToArray());
        var sbom = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/spdx+json",
             "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{empty.Digest}}","size":2},
             "layers":[{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{empty.Digest}}","size":2}],
             "subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{subject.ManifestDigest}}","size":{{subject.Manifest.Length}} },
             "annotations":{"kind":"sbom"} }
            """);
        var referrer = await tenant.EcrApi.PutImage(tenant.Ci, "prod/app", sbom, MediaTypes.OciManifest);
        Assert.Equal(subject.ManifestDigest, referrer.SubjectManifestDigest);

        var listed = Assert.Single(await tenant.EcrApi.ListImageReferrers(tenant.Ci, "prod/app", subject.ManifestDigest, null, ImageStatuses.Active));
        Assert.Equal((ContentDigest.Sha256(sbom), "application/spdx+json", (long)sbom.Length, "sbom"), (listed.Digest, listed.ArtifactType, listed.Size, listed.Annotations["kind"]));
        Assert.Empty(await tenant.EcrApi.ListImageReferrers(tenant.Ci, "prod/app", subject.ManifestDigest, ["application/vnd.cncf.notary.signature"], ImageStatuses.Any));

        var registry = fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(tenant.Account, tenant.Region));
        var v1 = new ImageIdentifier(ImageTag: "v1");
        await AwsAssert.ThrowsAsync(AwsErrorCodes.SigningConfigurationNotFound, () => registry.GetSigningConfiguration(tenant.Admin));
        Assert.Empty((await tenant.EcrApi.DescribeImageSigningStatus(tenant.Ci, "prod/app", v1)).Statuses);
        var profile = $"arn:aws:signer:{tenant.Region}:{tenant.Account}:/signing-profiles/release";
        await registry.PutSigningConfiguration(tenant.Admin, new SigningConfiguration([new SigningRule(profile, [new SigningRepositoryFilter("prod/*", "WILDCARD_MATCH")])]));
        var (digest, statuses) = await tenant.EcrApi.DescribeImageSigningStatus(tenant.Ci, "prod/app", v1);
        Assert.Equal(subject.ManifestDigest, digest);
        var status = Assert.Single(statuses);
        Assert.Equal((profile, "FAILED", SigningConfigurations.SignerNotSimulated), (status.SigningProfileArn, status.Status, status.FailureCode));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.ImageNotFound, () => tenant.EcrApi.DescribeImageSigningStatus(tenant.Ci, "prod/app", new ImageIdentifier(ImageTag: "v9")));

        Assert.Equal(profile, Assert.Single((await registry.DeleteSigningConfiguration(tenant.Admin)).Rules).SigningProfileArn);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.SigningConfigurationNotFound, () => registry.DeleteSigningConfiguration(tenant.Admin));
    }

    [Fact]
    public async Task AccountSettings_ArePerRegistry_AndARefusedPutChangesNothing()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var registry = fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(tenant.Account, tenant.Region));
        Assert.Equal("DISABLED", await registry.GetAccountSetting(tenant.Admin, AccountSettings.BlobMounting));
        Assert.Equal("ENABLED", await registry.PutAccountSetting(tenant.Admin, AccountSettings.BlobMounting, "ENABLED"));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidParameter, () => registry.PutAccountSetting(tenant.Admin, AccountSettings.BlobMounting, "MAYBE"));
        Assert.Equal("ENABLED", await registry.GetAccountSetting(tenant.Admin, AccountSettings.BlobMounting));

        var elsewhere = fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(tenant.Account, Regions.EuWest1));
        Assert.Equal("DISABLED", await elsewhere.GetAccountSetting(tenant.Admin, AccountSettings.BlobMounting));
    }
}
