using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Crypto;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Kms;

namespace GrantSim.Cluster.Tests.Ecr;

[Collection(ClusterCollection.Name)]
public sealed class PushPullTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(EncryptionType.Aes256, Regions.UsEast1)]
    [InlineData(EncryptionType.Kms, Regions.UsEast1)]
    [InlineData(EncryptionType.KmsDsse, Regions.UsGovEast1)]
    public async Task Pull_ReturnsExactlyThePushedBytes(EncryptionType type, string region)
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains, region);
        await tenant.CreateRepositoryAsync("app", type);
        var image = await tenant.PushImageAsync("app", "v1");

        await tenant.PullAndVerifyAsync("app", image);
        var manifest = await tenant.EcrApi.GetImage(tenant.Reader, "app", new ImageIdentifier(ImageTag: "v1"));
        Assert.Equal(image.ManifestDigest, manifest.Digest);
    }

    [Fact]
    public async Task Push_GeneratesADataKeyPerObject_WithTheObjectAndRepositoryContext()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var repository = await tenant.CreateRepositoryAsync("ctx");
        await tenant.PushImageAsync("ctx", "v1");

        var generated = await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.GenerateDataKey));
        Assert.Equal(4, generated.Count); // two layers, a config, a manifest
        Assert.All(generated, e =>
        {
            var context = e.RequestParameters.EncryptionContext!;
            Assert.Equal(2, context.Count);
            Assert.Equal(repository.RepositoryArn, context[EcrEncryptionContext.EcrArnKey]);
            Assert.StartsWith("arn:aws:s3:::", context[EcrEncryptionContext.S3ArnKey]);
            Assert.Equal(Regions.EcrServicePrincipal(tenant.Region), e.UserIdentity.Principal);
            Assert.NotNull(e.GrantId);
        });
        Assert.Equal(4, generated.Select(e => e.RequestParameters.EncryptionContext![EcrEncryptionContext.S3ArnKey]).Distinct().Count());
    }

    [Fact]
    public async Task StoredObjects_AreEncryptedAtRest_UnderTheKmsDataKey()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var repository = await tenant.CreateRepositoryAsync("rest", kmsKey: key.Arn);
        var image = await tenant.PushImageAsync("rest", "v1");
        var snapshot = await fixture.Grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(tenant.Account, tenant.Region, "rest")).Inspect();
        var (digest, content) = image.Blobs[0];

        var stored = await fixture.Grains.GetGrain<IStoredObjectGrain>(
            GrainKeys.StoredObject(tenant.Account, tenant.Region, "rest", snapshot.Incarnation, StoredObjectKind.Blob, digest)).Get();

        Assert.NotNull(stored);
        Assert.Equal(repository.EncryptionConfiguration.KmsKey, stored.DataKey.KmsKeyArn);
        Assert.Equal(content.Length + AesGcmSealer.Overhead, stored.Sealed.Length);
        Assert.False(stored.Sealed.AsSpan().IndexOf(content.AsSpan(0, 64)) >= 0, "the plaintext must not appear at rest");
        var dataKey = await tenant.Kms.Decrypt(tenant.Root, new DecryptRequest(stored.DataKey.Ciphertext, EcrEncryptionContext.For(stored.ObjectArn, repository.RepositoryArn)));
        Assert.Equal(content, ObjectEncryption.OpenContent(dataKey.Plaintext, stored.Sealed, EcrEncryptionContext.For(stored.ObjectArn, repository.RepositoryArn)));
    }

    [Fact]
    public async Task DualLayer_HasASecondIndependentLayer()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains, Regions.UsGovWest1);
        await tenant.CreateRepositoryAsync("dsse", EncryptionType.KmsDsse);
        var image = await tenant.PushImageAsync("dsse", "v1");
        var snapshot = await fixture.Grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(tenant.Account, tenant.Region, "dsse")).Inspect();

        var stored = await fixture.Grains.GetGrain<IStoredObjectGrain>(
            GrainKeys.StoredObject(tenant.Account, tenant.Region, "dsse", snapshot.Incarnation, StoredObjectKind.Blob, image.Blobs[0].Digest)).Get();

        Assert.NotNull(stored!.OuterKey);
        Assert.Null(stored.OuterKey.KmsKeyArn);
        Assert.Equal(image.Blobs[0].Content.Length + 2 * AesGcmSealer.Overhead, stored.Sealed.Length);
    }

    [Fact]
    public async Task PutImage_WithAMissingLayer_IsLayersNotFound()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("partial", EncryptionType.Aes256);
        var config = await tenant.EcrApi.UploadBlob(tenant.Ci, "partial", "{}"u8.ToArray());
        var manifest = ImageManifests.BuildOci(config.Digest, config.Size, [(ContentDigest.Sha256("never uploaded"u8), 14)]);

        await AwsAssert.ThrowsAsync(AwsErrorCodes.LayersNotFound, () => tenant.EcrApi.PutImage(tenant.Ci, "partial", manifest, MediaTypes.OciManifest, "v1"));
        Assert.Empty(await tenant.EcrApi.DescribeImages(tenant.Ci, "partial"));
    }

    [Fact]
    public async Task UploadBlob_WithTheWrongDigest_IsInvalidLayerAndStoresNothing()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("digest", EncryptionType.Aes256);

        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidLayer, () => tenant.EcrApi.UploadBlob(tenant.Ci, "digest", [1, 2, 3], ContentDigest.Sha256([3, 2, 1])));
        Assert.Equal([null], await tenant.EcrApi.CheckBlobs(tenant.Ci, "digest", [ContentDigest.Sha256([1, 2, 3])]));
    }

    [Fact]
    public async Task Pull_OfAnUnknownTag_IsImageNotFound_AndOfAnUnknownRepository_RepositoryNotFound()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("known", EncryptionType.Aes256);

        await AwsAssert.ThrowsAsync(AwsErrorCodes.ImageNotFound, () => tenant.EcrApi.GetImage(tenant.Ci, "known", new ImageIdentifier(ImageTag: "nope")));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryNotFound, () => tenant.EcrApi.GetImage(tenant.Ci, "unknown", new ImageIdentifier(ImageTag: "v1")));
    }

    [Fact]
    public async Task Push_ByAPrincipalWithoutEcrPermissions_IsAccessDenied()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("guarded", EncryptionType.Aes256);

        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.EcrApi.UploadBlob(tenant.Reader, "guarded", [1]));
    }

    [Fact]
    public async Task Push_AndPull_WithADisabledKey_AreKmsExceptionDisabled_AndWorkAgainOnceEnabled()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        await tenant.CreateRepositoryAsync("toggle", kmsKey: key.Arn);
        var image = await tenant.PushImageAsync("toggle", "v1");

        await tenant.Kms.DisableKey(tenant.Admin, key.KeyId);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Kms, () => tenant.PullAndVerifyAsync("toggle", image), AwsErrorCodes.Disabled);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Kms, () => tenant.PushImageAsync("toggle", "v2"), AwsErrorCodes.Disabled);

        await tenant.Kms.EnableKey(tenant.Admin, key.KeyId);
        await tenant.PullAndVerifyAsync("toggle", image);
    }

    [Fact]
    public async Task Pull_AfterTheKeyIsDeleted_IsGoneForGood()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        await tenant.CreateRepositoryAsync("shredded", kmsKey: key.Arn);
        var image = await tenant.PushImageAsync("shredded", "v1");

        await tenant.Kms.ScheduleKeyDeletion(tenant.Admin, key.KeyId, 7);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Kms, () => tenant.PullAndVerifyAsync("shredded", image), AwsErrorCodes.KmsInvalidState);
        fixture.Clock.Advance(TimeSpan.FromDays(7));

        var error = await AwsAssert.ThrowsAsync(AwsErrorCodes.Kms, () => tenant.PullAndVerifyAsync("shredded", image), AwsErrorCodes.NotFound);
        Assert.Contains("unrecoverable", error.Message, StringComparison.Ordinal);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.NotFound, () => tenant.Kms.DescribeKey(tenant.Admin, key.KeyId));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.NotFound, () => tenant.Kms.CancelKeyDeletion(tenant.Admin, key.KeyId));
    }

    [Fact]
    public async Task DeleteImage_ByTag_RemovesTheImageWithItsLastTag()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("tags", EncryptionType.Aes256);
        var image = await tenant.PushImageAsync("tags", "v1");
        await tenant.EcrApi.PutImage(tenant.Ci, "tags", image.Manifest, MediaTypes.OciManifest, "latest");

        await tenant.EcrApi.DeleteImage(tenant.Ci, "tags", new ImageIdentifier(ImageTag: "v1"));
        Assert.Equal(["latest"], Assert.Single(await tenant.EcrApi.DescribeImages(tenant.Ci, "tags")).ImageTags);

        await tenant.EcrApi.DeleteImage(tenant.Ci, "tags", new ImageIdentifier(ImageTag: "latest"));
        Assert.Empty(await tenant.EcrApi.DescribeImages(tenant.Ci, "tags"));
    }
}
