using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Kms;

namespace GrantSim.Cluster.Tests.Kms;

[Collection(ClusterCollection.Name)]
public sealed class KeyStateTests(ClusterFixture fixture)
{
    [Fact]
    public async Task DisabledKey_RefusesCryptographyAndGrants_ButNotDescribeOrList()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        await tenant.Kms.DisableKey(tenant.Admin, key.KeyId);

        var error = await AwsAssert.ThrowsAsync(AwsErrorCodes.Disabled, () => tenant.Kms.GenerateDataKey(tenant.Admin, new GenerateDataKeyRequest(key.KeyId)));
        Assert.Equal($"{key.Arn} is disabled.", error.Message);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Disabled, () => tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(key.KeyId, [1])));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Disabled, () => tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(key.KeyId, tenant.Ci.Principal, [KmsOperations.Decrypt])));
        Assert.Equal(KeyState.Disabled, (await tenant.Kms.DescribeKey(tenant.Admin, key.KeyId)).KeyState);
        Assert.Empty((await tenant.Kms.ListGrants(tenant.Admin, new ListGrantsRequest(key.KeyId))).Grants);
    }

    [Fact]
    public async Task PendingDeletion_RefusesUseAndStateChanges_AndCancelLeavesTheKeyDisabled()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var scheduled = await tenant.Kms.ScheduleKeyDeletion(tenant.Admin, key.KeyId);
        Assert.Equal(30, scheduled.PendingWindowInDays);
        Assert.Equal(KeyState.PendingDeletion, scheduled.KeyState);

        var error = await AwsAssert.ThrowsAsync(AwsErrorCodes.KmsInvalidState, () => tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(key.KeyId, [1])));
        Assert.Equal($"{key.Arn} is pending deletion.", error.Message);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.KmsInvalidState, () => tenant.Kms.EnableKey(tenant.Admin, key.KeyId));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.KmsInvalidState, () => tenant.Kms.ScheduleKeyDeletion(tenant.Admin, key.KeyId, 7));

        await tenant.Kms.CancelKeyDeletion(tenant.Admin, key.KeyId);
        Assert.Equal(KeyState.Disabled, (await tenant.Kms.DescribeKey(tenant.Admin, key.KeyId)).KeyState);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.KmsInvalidState, () => tenant.Kms.CancelKeyDeletion(tenant.Admin, key.KeyId));
    }

    [Theory]
    [InlineData(6)]
    [InlineData(31)]
    public async Task ScheduleKeyDeletion_OutsideSevenToThirtyDays_IsValidationException(int days)
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Validation, () => tenant.Kms.ScheduleKeyDeletion(tenant.Admin, key.KeyId, days));
        Assert.Equal(KeyState.Enabled, (await tenant.Kms.DescribeKey(tenant.Admin, key.KeyId)).KeyState);
    }

    [Fact]
    public async Task Key_IsDeletedWhenItsWindowEnds_OnTheSimulatedClock()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var ciphertext = await tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(key.KeyId, [42]));
        await tenant.Kms.ScheduleKeyDeletion(tenant.Admin, key.KeyId, 7);

        fixture.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Equal(KeyState.PendingDeletion, (await tenant.Kms.DescribeKey(tenant.Admin, key.KeyId)).KeyState);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));

        await AwsAssert.ThrowsAsync(AwsErrorCodes.NotFound, () => tenant.Kms.DescribeKey(tenant.Admin, key.KeyId));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.NotFound, () => tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(ciphertext.CiphertextBlob)));
        Assert.DoesNotContain(await tenant.Kms.ListKeys(tenant.Admin), k => k.KeyId == key.KeyId);
        var deletion = Assert.Single(await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.DeleteKey)));
        Assert.Equal(key.Arn, deletion.Resources.Single());
    }

    [Fact]
    public async Task AwsManagedKey_CannotBeDisabledScheduledOrUsedDirectly()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var repository = await tenant.CreateRepositoryAsync("managed");
        var keyArn = repository.EncryptionConfiguration.KmsKey!;

        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.DisableKey(tenant.Admin, keyArn));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.ScheduleKeyDeletion(tenant.Root, keyArn, 7));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.GenerateDataKey(tenant.Admin, new GenerateDataKeyRequest(keyArn)));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.PutKeyPolicy(tenant.Root, keyArn, TestTenant.AllowAll));
        Assert.Equal(KeyManager.Aws, (await tenant.Kms.DescribeKey(tenant.Admin, keyArn)).KeyManager);
    }

    [Fact]
    public async Task AwsManagedKey_IsCreatedExactlyOnce_WhenManyCreatesRace()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var repositories = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => tenant.CreateRepositoryAsync($"race-{i}")));

        Assert.Single(repositories.Select(r => r.EncryptionConfiguration.KmsKey).Distinct());
        var keys = await tenant.Kms.ListKeys(tenant.Admin);
        Assert.Single(keys);
        Assert.Single(await tenant.Kms.ListAliases(tenant.Admin), a => a.AliasName == KmsAliases.AwsEcr);
    }

    [Fact]
    public async Task EncryptDecrypt_BindTheEncryptionContext()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var other = await tenant.CreateKeyAsync();
        var context = EncryptionContext.Of(("purpose", "test"), ("team", "a"));
        var encrypted = await tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(key.KeyId, [1, 2, 3], context));

        var reordered = EncryptionContext.From([KeyValuePair.Create("team", "a"), KeyValuePair.Create("purpose", "test")]);
        Assert.Equal([1, 2, 3], (await tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(encrypted.CiphertextBlob, reordered))).Plaintext);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidCiphertext, () => tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(encrypted.CiphertextBlob, EncryptionContext.Of(("purpose", "Test"), ("team", "a")))));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidCiphertext, () => tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(encrypted.CiphertextBlob)));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.IncorrectKey, () => tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(encrypted.CiphertextBlob, context, other.KeyId)));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidCiphertext, () => tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest([1, 2, 3, 4])));
    }
}
