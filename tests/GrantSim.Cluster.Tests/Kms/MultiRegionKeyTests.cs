using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Grains;
using GrantSim.Kms;

namespace GrantSim.Cluster.Tests.Kms;

/// <summary>Multi-Region keys: related keys in several Regions with one id and one material, each with its own policy, grants and state.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MultiRegionKeyTests(ClusterFixture fixture)
{
    private const string Replica = Regions.EuWest1;

    [Fact]
    public async Task AReplica_DecryptsWhatItsPrimaryEncrypted_AndThePrimaryRoleMoves()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var primary = await tenant.Kms.CreateKey(tenant.Admin, new CreateKeyRequest("multi", MultiRegion: true));
        Assert.True(MultiRegionKeys.IsId(primary.KeyId));
        Assert.Equal(tenant.Region, primary.MultiRegionConfiguration!.PrimaryRegion);
        Assert.Empty(primary.MultiRegionConfiguration.ReplicaRegions);
        var context = EncryptionContext.Of(("app", "multi"));
        var blob = (await tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(primary.KeyId, [1, 2], context))).CiphertextBlob;

        var replica = await tenant.Kms.ReplicateKey(tenant.Admin, new ReplicateKeyRequest(primary.KeyId, Replica, Description: "the replica"));
        Assert.Equal((primary.KeyId, Replica, "the replica"), (replica.KeyId, replica.Region, replica.Description));
        Assert.Equal([Replica], replica.MultiRegionConfiguration!.ReplicaRegions);
        var replicaKms = fixture.Grains.GetGrain<IKmsServiceGrain>(Replica);
        var decrypted = await replicaKms.Decrypt(tenant.Admin, new DecryptRequest(blob, context));
        Assert.Equal([1, 2], decrypted.Plaintext);
        Assert.Equal(replica.Arn, decrypted.KeyId);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidCiphertext, () => replicaKms.Decrypt(tenant.Admin, new DecryptRequest(blob, EncryptionContext.Of(("app", "other")))));
        var back = (await replicaKms.Encrypt(tenant.Admin, new EncryptRequest(primary.KeyId, [3]))).CiphertextBlob;
        Assert.Equal([3], (await tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(back))).Plaintext);

        // Each related key has its own state: disabling the replica leaves the primary usable.
        await replicaKms.DisableKey(tenant.Admin, primary.KeyId);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Disabled, () => replicaKms.Decrypt(tenant.Admin, new DecryptRequest(blob, context)));
        Assert.Equal([1, 2], (await tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(blob, context))).Plaintext);
        await replicaKms.EnableKey(tenant.Admin, primary.KeyId);

        await tenant.Kms.UpdatePrimaryRegion(tenant.Admin, primary.KeyId, Replica);
        var moved = await tenant.Kms.DescribeKey(tenant.Admin, primary.KeyId);
        Assert.Equal(Replica, moved.MultiRegionConfiguration!.PrimaryRegion);
        Assert.Equal([tenant.Region], moved.MultiRegionConfiguration.ReplicaRegions);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.UnsupportedOperation, () => tenant.Kms.ReplicateKey(tenant.Admin, new ReplicateKeyRequest(primary.KeyId, Regions.UsWest2)));
    }

    [Fact]
    public async Task ReplicationRefusals_ChangeNothing()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var single = await tenant.CreateKeyAsync();
        var primary = await tenant.Kms.CreateKey(tenant.Admin, new CreateKeyRequest("multi", MultiRegion: true));

        await AwsAssert.ThrowsAsync(AwsErrorCodes.UnsupportedOperation, () => tenant.Kms.ReplicateKey(tenant.Admin, new ReplicateKeyRequest(single.KeyId, Replica)));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.UnsupportedOperation, () => tenant.Kms.ReplicateKey(tenant.Admin, new ReplicateKeyRequest(primary.KeyId, Regions.UsGovWest1)));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.ReplicateKey(tenant.Ci, new ReplicateKeyRequest(primary.KeyId, Replica)));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.UnsupportedOperation, () => tenant.Kms.RotateKeyOnDemand(tenant.Admin, primary.KeyId));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.NotFound, () => tenant.Kms.UpdatePrimaryRegion(tenant.Admin, primary.KeyId, Replica));
        Assert.Empty((await tenant.Kms.DescribeKey(tenant.Admin, primary.KeyId)).MultiRegionConfiguration!.ReplicaRegions);

        await tenant.Kms.ReplicateKey(tenant.Admin, new ReplicateKeyRequest(primary.KeyId, Replica));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AlreadyExists, () => tenant.Kms.ReplicateKey(tenant.Admin, new ReplicateKeyRequest(primary.KeyId, Replica)));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.UnsupportedOperation, () => tenant.Kms.ScheduleKeyDeletion(tenant.Admin, primary.KeyId, 7));

        await fixture.Grains.GetGrain<IKmsServiceGrain>(Replica).ScheduleKeyDeletion(tenant.Admin, primary.KeyId, 7);
        Assert.Equal(KeyState.PendingDeletion, (await tenant.Kms.ScheduleKeyDeletion(tenant.Admin, primary.KeyId, 7)).KeyState);
    }
}
