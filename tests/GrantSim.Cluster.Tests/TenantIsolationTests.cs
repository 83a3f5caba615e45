using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Kms;

namespace GrantSim.Cluster.Tests;

[Collection(ClusterCollection.Name)]
public sealed class TenantIsolationTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AnotherTenant_CannotSeeUseOrDecryptAKey()
    {
        var owner = await TestTenant.CreateAsync(fixture.Grains);
        var stranger = await TestTenant.CreateAsync(fixture.Grains);
        var key = await owner.CreateKeyAsync(alias: "alias/private");
        var encrypted = await owner.Kms.Encrypt(owner.Root, new EncryptRequest(key.KeyId, [7]));

        await AwsAssert.ThrowsAsync(AwsErrorCodes.NotFound, () => stranger.Kms.DescribeKey(stranger.Admin, key.KeyId));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.NotFound, () => stranger.Kms.DescribeKey(stranger.Admin, "alias/private"));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => stranger.Kms.DescribeKey(stranger.Root, key.Arn));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => stranger.Kms.Decrypt(stranger.Root, new DecryptRequest(encrypted.CiphertextBlob)));
        Assert.DoesNotContain(await stranger.Kms.ListKeys(stranger.Admin), k => k.KeyId == key.KeyId);
    }

    [Fact]
    public async Task AnotherTenant_SeesNoneOfARegistrysRepositoriesOrImages()
    {
        var owner = await TestTenant.CreateAsync(fixture.Grains);
        var stranger = await TestTenant.CreateAsync(fixture.Grains);
        await owner.CreateRepositoryAsync("shared-name");
        var image = await owner.PushImageAsync("shared-name", "v1");

        Assert.Empty(await stranger.EcrApi.DescribeRepositories(stranger.Ci));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryNotFound, () => stranger.PullAndVerifyAsync("shared-name", image));

        await stranger.CreateRepositoryAsync("shared-name");
        await AwsAssert.ThrowsAsync(AwsErrorCodes.ImageNotFound, () => stranger.PullAndVerifyAsync("shared-name", image));
        await owner.PullAndVerifyAsync("shared-name", image);
    }

    [Fact]
    public async Task AKeyPolicyNamingAnotherAccount_LetsItsIamPrincipalsUseTheKey()
    {
        var owner = await TestTenant.CreateAsync(fixture.Grains);
        var partner = await TestTenant.CreateAsync(fixture.Grains);
        var policy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{owner.Account}}:root"},"Action":"kms:*","Resource":"*"},
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{partner.Account}}:root"},"Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*"}]}
            """;
        var key = await owner.CreateKeyAsync(policy: policy);

        var encrypted = await partner.Kms.Encrypt(partner.Admin, new EncryptRequest(key.Arn, [9]));
        Assert.Equal([9], (await partner.Kms.Decrypt(partner.Admin, new DecryptRequest(encrypted.CiphertextBlob))).Plaintext);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => partner.Kms.Encrypt(partner.Reader, new EncryptRequest(key.Arn, [9])));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => partner.Kms.DisableKey(partner.Admin, key.Arn));

        // The call is in both accounts' trails.
        Assert.Contains(await owner.Trail.Query(new AuditQuery(EventName: KmsOperations.Encrypt)), e => e.UserIdentity.AccountId == partner.Account);
        Assert.Contains(await partner.Trail.Query(new AuditQuery(EventName: KmsOperations.Encrypt)), e => e.RecipientAccountId == owner.Account);
    }

    /// <summary>
    /// An alias ARN or key ARN names its account: it resolves there, never to the caller's key of the same
    /// alias name (a resolver that read every alias in the caller's account would encrypt under the wrong key).
    /// </summary>
    [Fact]
    public async Task AliasAndKeyArnsOfAnotherAccount_ResolveInTheAccountTheyName()
    {
        var owner = await TestTenant.CreateAsync(fixture.Grains);
        var partner = await TestTenant.CreateAsync(fixture.Grains);
        var stranger = await TestTenant.CreateAsync(fixture.Grains);
        var policy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{owner.Account}}:root"},"Action":"kms:*","Resource":"*"},
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{partner.Account}}:root"},"Action":["kms:Encrypt","kms:Decrypt","kms:DescribeKey"],"Resource":"*"}]}
            """;
        var ownersKey = await owner.CreateKeyAsync(alias: "alias/shared", policy: policy);
        var partnersKey = await partner.CreateKeyAsync(alias: "alias/shared");
        var strangersKey = await stranger.CreateKeyAsync(alias: "alias/shared");
        var ownersAliasArn = Arn.KmsAlias(owner.Region, owner.Account, "alias/shared").ToString();

        Assert.Equal(ownersKey.Arn, (await partner.Kms.DescribeKey(partner.Admin, ownersAliasArn)).Arn);
        Assert.Equal(partnersKey.Arn, (await partner.Kms.DescribeKey(partner.Admin, "alias/shared")).Arn);
        var viaAliasArn = await partner.Kms.Encrypt(partner.Admin, new EncryptRequest(ownersAliasArn, [1]));
        Assert.Equal(ownersKey.Arn, viaAliasArn.KeyId);
        Assert.Equal(ownersKey.Arn, (await owner.Kms.Decrypt(owner.Admin, new DecryptRequest(viaAliasArn.CiphertextBlob))).KeyId);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.IncorrectKey, () => partner.Kms.Decrypt(partner.Admin, new DecryptRequest(viaAliasArn.CiphertextBlob, KeyId: "alias/shared")));

        // A key whose policy does not name the caller's account: refused, and refused as that key (its ARN in the message).
        var strangersAliasArn = Arn.KmsAlias(stranger.Region, stranger.Account, "alias/shared").ToString();
        var refused = await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => partner.Kms.Encrypt(partner.Admin, new EncryptRequest(strangersAliasArn, [1])));
        Assert.Contains(strangersKey.Arn, refused.Message, StringComparison.Ordinal);
        refused = await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => partner.Kms.DescribeKey(partner.Admin, strangersKey.Arn));
        Assert.Contains(strangersKey.Arn, refused.Message, StringComparison.Ordinal);
    }
}
