using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Kms;

namespace GrantSim.Cluster.Tests.Kms;

/// <summary>ReEncrypt: ReEncryptFrom on the source key and ReEncryptTo on the destination, each by policy or grant, each with its own encryption context.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReEncryptTests(ClusterFixture fixture)
{
    private static readonly EncryptionContext Source = EncryptionContext.Of(("stage", "old"));
    private static readonly EncryptionContext Destination = EncryptionContext.Of(("stage", "new"));

    [Fact]
    public async Task ReEncrypt_MovesACiphertextToAnotherKeyAndContext_WithoutShowingThePlaintext()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var from = await tenant.CreateKeyAsync();
        var to = await tenant.CreateKeyAsync("alias/re-encrypt-to");
        var blob = (await tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(from.KeyId, [1, 2, 3], Source))).CiphertextBlob;

        var moved = await tenant.Kms.ReEncrypt(tenant.Admin, new ReEncryptRequest(blob, "alias/re-encrypt-to", Source, from.KeyId, Destination));

        Assert.Equal(from.Arn, moved.SourceKeyId);
        Assert.Equal(to.Arn, moved.KeyId);
        Assert.Equal([1, 2, 3], (await tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(moved.CiphertextBlob, Destination))).Plaintext);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidCiphertext, () => tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(moved.CiphertextBlob, Source)));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidCiphertext, () => tenant.Kms.ReEncrypt(tenant.Admin, new ReEncryptRequest(blob, to.KeyId, Destination)));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.IncorrectKey, () => tenant.Kms.ReEncrypt(tenant.Admin, new ReEncryptRequest(blob, to.KeyId, Source, to.KeyId)));
        var events = await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.ReEncrypt));
        Assert.Equal(2, events.Count(e => e.Succeeded));
        Assert.Contains(events, e => e.Succeeded && e.Resources.Contains(from.Arn));
        Assert.Contains(events, e => e.Succeeded && e.Resources.Contains(to.Arn));
    }

    [Fact]
    public async Task ReEncrypt_ThroughGrants_NeedsReEncryptFromOnTheSourceAndReEncryptToOnTheDestination_EachWithItsOwnContext()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var from = await tenant.CreateKeyAsync();
        var to = await tenant.CreateKeyAsync();
        var blob = (await tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(from.KeyId, [9], Source))).CiphertextBlob;
        var worker = tenant.Role("reader");
        var request = new ReEncryptRequest(blob, to.KeyId, Source, DestinationEncryptionContext: Destination);

        await tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(from.KeyId, worker.Principal, [KmsOperations.ReEncryptFrom],
            Constraints: new GrantConstraints(EncryptionContextEquals: Source)));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.ReEncrypt(worker, request));

        var toGrant = await tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(to.KeyId, worker.Principal, [KmsOperations.ReEncryptTo],
            Constraints: new GrantConstraints(EncryptionContextEquals: Source)));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.ReEncrypt(worker, request));

        await tenant.Kms.RevokeGrant(tenant.Admin, to.KeyId, toGrant.GrantId);
        await tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(to.KeyId, worker.Principal, [KmsOperations.ReEncryptTo],
            Constraints: new GrantConstraints(EncryptionContextEquals: Destination)));
        var moved = await tenant.Kms.ReEncrypt(worker, request);

        Assert.Equal([9], (await tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(moved.CiphertextBlob, Destination))).Plaintext);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.Decrypt(worker, new DecryptRequest(moved.CiphertextBlob, Destination)));
    }

    [Fact]
    public async Task ReEncrypt_OfARotatedKeysOldCiphertext_LandsOnTheNewestMaterial()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var old = (await tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(key.KeyId, [5]))).CiphertextBlob;
        await tenant.Kms.RotateKeyOnDemand(tenant.Admin, key.KeyId);

        var moved = await tenant.Kms.ReEncrypt(tenant.Admin, new ReEncryptRequest(old, key.KeyId));

        var rotation = Assert.Single(await tenant.Kms.ListKeyRotations(tenant.Admin, key.KeyId));
        Assert.Equal(rotation.KeyMaterialId, moved.DestinationKeyMaterialId);
        Assert.NotEqual(moved.SourceKeyMaterialId, moved.DestinationKeyMaterialId);
        Assert.Equal([5], (await tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(moved.CiphertextBlob))).Plaintext);
    }
}
