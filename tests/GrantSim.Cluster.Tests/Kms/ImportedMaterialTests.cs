using System.Security.Cryptography;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Kms;

namespace GrantSim.Cluster.Tests.Kms;

/// <summary>Imported key material: a second way to crypto-shred an ECR repository, undone by importing the same material again.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ImportedMaterialTests(ClusterFixture fixture)
{
    [Fact]
    public async Task DeletingImportedMaterial_ShredsTheRepository_UntilTheSameMaterialReturns()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.Kms.CreateKey(tenant.Admin, new CreateKeyRequest("imported", Origin: KeyMetadata.ExternalOrigin));
        Assert.Equal((KeyState.PendingImport, KeyMetadata.ExternalOrigin), (key.KeyState, key.Origin));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.KmsInvalidState, () => tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(key.KeyId, [1])));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.KmsInvalidState, () => tenant.Kms.EnableKey(tenant.Admin, key.KeyId));

        var material = RandomNumberGenerator.GetBytes(32);
        await ImportAsync(tenant, key.KeyId, material);
        Assert.Equal(KeyState.Enabled, (await tenant.Kms.DescribeKey(tenant.Admin, key.KeyId)).KeyState);
        await tenant.CreateRepositoryAsync("imported", kmsKey: key.Arn);
        var image = await tenant.PushImageAsync("imported", "v1");

        await tenant.Kms.DeleteImportedKeyMaterial(tenant.Admin, key.KeyId);
        Assert.Equal(KeyState.PendingImport, (await tenant.Kms.DescribeKey(tenant.Admin, key.KeyId)).KeyState);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Kms, () => tenant.PullAndVerifyAsync("imported", image), AwsErrorCodes.KmsInvalidState);

        var other = await Assert.ThrowsAsync<AwsServiceException>(() => ImportAsync(tenant, key.KeyId, RandomNumberGenerator.GetBytes(32)));
        Assert.Equal(AwsErrorCodes.IncorrectKeyMaterial, other.ErrorCode);
        await ImportAsync(tenant, key.KeyId, material);
        await tenant.PullAndVerifyAsync("imported", image);
    }

    [Fact]
    public async Task ExpiringMaterial_IsGoneOnTheSimulatedClock()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.Kms.CreateKey(tenant.Admin, new CreateKeyRequest("expiring", Origin: KeyMetadata.ExternalOrigin));
        var material = RandomNumberGenerator.GetBytes(32);
        await ImportAsync(tenant, key.KeyId, material, validTo: fixture.Clock.GetUtcNow().AddDays(2));
        var blob = (await tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(key.KeyId, [4]))).CiphertextBlob;
        Assert.NotNull((await tenant.Kms.DescribeKey(tenant.Admin, key.KeyId)).ValidTo);

        fixture.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(KeyState.PendingImport, (await tenant.Kms.DescribeKey(tenant.Admin, key.KeyId)).KeyState);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.KmsInvalidState, () => tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(blob)));

        await ImportAsync(tenant, key.KeyId, material);
        Assert.Equal([4], (await tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(blob))).Plaintext);
    }

    [Fact]
    public async Task ImportRefusals_ChangeNothing()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.Kms.CreateKey(tenant.Admin, new CreateKeyRequest("refusals", Origin: KeyMetadata.ExternalOrigin));
        var kmsKey = await tenant.CreateKeyAsync();
        var parameters = await tenant.Kms.GetParametersForImport(tenant.Admin, key.KeyId, KeySpecs.RsaOaepSha256, "RSA_2048");
        var wrapped = Wrap(parameters.PublicKey, RandomNumberGenerator.GetBytes(32));

        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidImportToken, () =>
            tenant.Kms.ImportKeyMaterial(tenant.Admin, new ImportKeyMaterialRequest(key.KeyId, [.. parameters.ImportToken[..^1], 0], wrapped, ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE")));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidCiphertext, () =>
            tenant.Kms.ImportKeyMaterial(tenant.Admin, new ImportKeyMaterialRequest(key.KeyId, parameters.ImportToken, [.. wrapped[..^1], 0], ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE")));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.IncorrectKeyMaterial, () =>
            tenant.Kms.ImportKeyMaterial(tenant.Admin, new ImportKeyMaterialRequest(key.KeyId, parameters.ImportToken, Wrap(parameters.PublicKey, new byte[16]), ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE")));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Validation, () =>
            tenant.Kms.ImportKeyMaterial(tenant.Admin, new ImportKeyMaterialRequest(key.KeyId, parameters.ImportToken, wrapped)));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.UnsupportedOperation, () => tenant.Kms.GetParametersForImport(tenant.Admin, kmsKey.KeyId, KeySpecs.RsaOaepSha256, "RSA_2048"));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.UnsupportedOperation, () => tenant.Kms.EnableKeyRotation(tenant.Admin, key.KeyId));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.GetParametersForImport(tenant.Ci, key.KeyId, KeySpecs.RsaOaepSha256, "RSA_2048"));

        fixture.Clock.Advance(ImportedMaterial.ParametersLifetime + TimeSpan.FromSeconds(1));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.ExpiredImportToken, () =>
            tenant.Kms.ImportKeyMaterial(tenant.Admin, new ImportKeyMaterialRequest(key.KeyId, parameters.ImportToken, wrapped, ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE")));
        Assert.Equal(KeyState.PendingImport, (await tenant.Kms.DescribeKey(tenant.Admin, key.KeyId)).KeyState);
    }

    private static async Task ImportAsync(TestTenant tenant, string keyId, byte[] material, DateTimeOffset? validTo = null)
    {
        var parameters = await tenant.Kms.GetParametersForImport(tenant.Admin, keyId, KeySpecs.RsaOaepSha256, "RSA_3072");
        await tenant.Kms.ImportKeyMaterial(tenant.Admin, new ImportKeyMaterialRequest(keyId, parameters.ImportToken, Wrap(parameters.PublicKey, material), validTo,
            validTo is null ? "KEY_MATERIAL_DOES_NOT_EXPIRE" : "KEY_MATERIAL_EXPIRES"));
    }

    private static byte[] Wrap(byte[] publicKey, byte[] material)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(publicKey, out _);
        return rsa.Encrypt(material, RSAEncryptionPadding.OaepSHA256);
    }
}
