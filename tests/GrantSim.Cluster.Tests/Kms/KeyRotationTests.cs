using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Crypto;
using GrantSim.Kms;

namespace GrantSim.Cluster.Tests.Kms;

/// <summary>Rotation: new encryptions use the newest material, every older ciphertext still decrypts, automatic rotation follows the simulated clock.</summary>
[Collection(ClusterCollection.Name)]
public sealed class KeyRotationTests(ClusterFixture fixture)
{
    [Fact]
    public async Task RotateOnDemand_NewCiphertextUsesNewMaterial_AndEveryOlderOneStillDecrypts()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var context = EncryptionContext.Of(("purpose", "rotation"));
        var blobs = new List<byte[]>();
        for (var version = 0; version < 4; version++)
        {
            blobs.Add((await tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(key.KeyId, [(byte)version], context))).CiphertextBlob);
            Assert.True(KmsCiphertext.TryReadHeader(blobs[^1], out _, out var blobVersion));
            Assert.Equal(version, blobVersion);
            Assert.Equal(key.Arn, await tenant.Kms.RotateKeyOnDemand(tenant.Admin, key.KeyId));
        }

        for (var version = 0; version < blobs.Count; version++)
        {
            Assert.Equal([(byte)version], (await tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(blobs[version], context))).Plaintext);
        }

        var rotations = await tenant.Kms.ListKeyRotations(tenant.Admin, key.KeyId);
        Assert.Equal(4, rotations.Count);
        Assert.All(rotations, r => Assert.Equal(RotationType.OnDemand, r.RotationType));
        Assert.Equal(4, rotations.Select(r => r.KeyMaterialId).Distinct().Count());
        Assert.Equal([false, false, false, true], rotations.Select(r => r.Current));
        Assert.Equal(5, (await tenant.Kms.ListKeyRotations(tenant.Admin, key.KeyId, includeInitialMaterial: true)).Count);
        Assert.Equal(4, (await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.RotateKeyOnDemand))).Count(e => e.Succeeded));
    }

    [Fact]
    public async Task AutomaticRotation_FollowsTheSimulatedClock_AndSkipsWhileTheKeyIsDisabled()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        Assert.False((await tenant.Kms.GetKeyRotationStatus(tenant.Admin, key.KeyId)).Enabled);

        await tenant.Kms.EnableKeyRotation(tenant.Admin, key.KeyId, 90);
        var status = await tenant.Kms.GetKeyRotationStatus(tenant.Admin, key.KeyId);
        Assert.True(status.Enabled);
        Assert.Equal(90, status.RotationPeriodInDays);
        var before = (await tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(key.KeyId, [1]))).CiphertextBlob;

        fixture.Clock.Advance(TimeSpan.FromDays(181));
        var rotations = await tenant.Kms.ListKeyRotations(tenant.Admin, key.KeyId);
        Assert.Equal(2, rotations.Count);
        Assert.All(rotations, r => Assert.Equal(RotationType.Automatic, r.RotationType));
        Assert.Equal(TimeSpan.FromDays(90), rotations[1].RotationDate - rotations[0].RotationDate);
        var after = (await tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(key.KeyId, [2]))).CiphertextBlob;
        Assert.True(KmsCiphertext.TryReadHeader(after, out _, out var version));
        Assert.Equal(2, version);

        // Disabled, the key does not rotate; enabled after its date passed, it rotates at once.
        await tenant.Kms.DisableKey(tenant.Admin, key.KeyId);
        fixture.Clock.Advance(TimeSpan.FromDays(200));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Disabled, () => tenant.Kms.EnableKeyRotation(tenant.Admin, key.KeyId, 120));
        Assert.Equal(2, (await tenant.Kms.ListKeyRotations(tenant.Admin, key.KeyId)).Count);
        await tenant.Kms.EnableKey(tenant.Admin, key.KeyId);
        Assert.Equal(3, (await tenant.Kms.ListKeyRotations(tenant.Admin, key.KeyId)).Count);

        Assert.Equal([1], (await tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(before))).Plaintext);
        Assert.Equal([2], (await tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(after))).Plaintext);

        await tenant.Kms.DisableKeyRotation(tenant.Admin, key.KeyId);
        fixture.Clock.Advance(TimeSpan.FromDays(400));
        Assert.Equal(3, (await tenant.Kms.ListKeyRotations(tenant.Admin, key.KeyId)).Count);
    }

    [Fact]
    public async Task RotationRefusals_ChangeNothing()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync("alias/rotation-refusals");
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Validation, () => tenant.Kms.EnableKeyRotation(tenant.Admin, key.KeyId, 89));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Validation, () => tenant.Kms.EnableKeyRotation(tenant.Admin, key.KeyId, 2561));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.NotFound, () => tenant.Kms.EnableKeyRotation(tenant.Admin, "alias/rotation-refusals"));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.RotateKeyOnDemand(tenant.Ci, key.KeyId));
        Assert.False((await tenant.Kms.GetKeyRotationStatus(tenant.Admin, key.KeyId)).Enabled);
        Assert.Empty(await tenant.Kms.ListKeyRotations(tenant.Admin, key.KeyId));

        for (var i = 0; i < KeyRotations.MaxOnDemandRotations; i++)
        {
            await tenant.Kms.RotateKeyOnDemand(tenant.Admin, key.KeyId);
        }

        await AwsAssert.ThrowsAsync(AwsErrorCodes.LimitExceeded, () => tenant.Kms.RotateKeyOnDemand(tenant.Admin, key.KeyId));
        Assert.Equal(KeyRotations.MaxOnDemandRotations, (await tenant.Kms.ListKeyRotations(tenant.Admin, key.KeyId)).Count);

        await tenant.Kms.ScheduleKeyDeletion(tenant.Admin, key.KeyId, 7);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.KmsInvalidState, () => tenant.Kms.EnableKeyRotation(tenant.Admin, key.KeyId));
    }

    [Fact]
    public async Task EcrImages_PushedBeforeAndAfterARotation_BothPull()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        await tenant.CreateRepositoryAsync("rotated", kmsKey: key.Arn);
        var first = await tenant.PushImageAsync("rotated", "v1");
        await tenant.Kms.RotateKeyOnDemand(tenant.Admin, key.KeyId);
        var second = await tenant.PushImageAsync("rotated", "v2");

        await tenant.PullAndVerifyAsync("rotated", first);
        await tenant.PullAndVerifyAsync("rotated", second);
    }

    [Fact]
    public async Task AwsManagedKey_RotatesEveryYear_AndItsRotationCannotBeChanged()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var repository = await tenant.CreateRepositoryAsync("managed-rotation");
        var keyArn = repository.EncryptionConfiguration.KmsKey!;

        var status = await tenant.Kms.GetKeyRotationStatus(tenant.Root, keyArn);
        Assert.True(status.Enabled);
        Assert.Equal(KeyRotations.AwsManagedPeriodInDays, status.RotationPeriodInDays);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.DisableKeyRotation(tenant.Root, keyArn));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.RotateKeyOnDemand(tenant.Root, keyArn));
    }
}
