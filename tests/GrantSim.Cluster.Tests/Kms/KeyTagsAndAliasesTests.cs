using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Grains;
using GrantSim.Identity;
using GrantSim.Kms;

namespace GrantSim.Cluster.Tests.Kms;

/// <summary>Tags (and attribute-based access control on them), UpdateKeyDescription, UpdateAlias and DeleteAlias.</summary>
[Collection(ClusterCollection.Name)]
public sealed class KeyTagsAndAliasesTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Tags_AtCreateAndAfter_AreListedOrderedAndReplacedByKey()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.Kms.CreateKey(tenant.Admin, new CreateKeyRequest("tagged", Tags: [new KeyTag("Team", "blue"), new KeyTag("Env", "dev")]));

        await tenant.Kms.TagResource(tenant.Admin, key.KeyId, [new KeyTag("Env", "prod"), new KeyTag("Cost", "")]);
        Assert.Equal([new KeyTag("Cost", ""), new KeyTag("Env", "prod"), new KeyTag("Team", "blue")], await tenant.Kms.ListResourceTags(tenant.Admin, key.KeyId));

        await tenant.Kms.UntagResource(tenant.Admin, key.KeyId, ["Cost", "NotThere"]);
        Assert.Equal([new KeyTag("Env", "prod"), new KeyTag("Team", "blue")], await tenant.Kms.ListResourceTags(tenant.Admin, key.KeyId));
        var tagged = (await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.TagResource))).Single();
        Assert.Equal(["Env", "Cost"], tagged.RequestParameters.TagKeys!);
    }

    [Fact]
    public async Task TagRefusals_ChangeNothing()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        await tenant.Kms.TagResource(tenant.Admin, key.KeyId, [new KeyTag("Team", "blue")]);

        await AwsAssert.ThrowsAsync(AwsErrorCodes.Tag, () => tenant.Kms.TagResource(tenant.Admin, key.KeyId, [new KeyTag("aws:owner", "x")]));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Tag, () => tenant.Kms.TagResource(tenant.Admin, key.KeyId, [new KeyTag("A", "1"), new KeyTag("A", "2")]));
        var tooMany = Enumerable.Range(0, KeyTags.MaxTagsPerKey).Select(i => new KeyTag($"k{i}", "v")).ToArray();
        await AwsAssert.ThrowsAsync(AwsErrorCodes.LimitExceeded, () => tenant.Kms.TagResource(tenant.Admin, key.KeyId, tooMany));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.TagResource(tenant.Ci, key.KeyId, [new KeyTag("Team", "red")]));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.CreateKey(tenant.Ci, new CreateKeyRequest("no", Tags: [new KeyTag("Team", "red")])));

        Assert.Equal([new KeyTag("Team", "blue")], await tenant.Kms.ListResourceTags(tenant.Admin, key.KeyId));
    }

    [Fact]
    public async Task ResourceTagCondition_AllowsOnlyWhileTheKeyCarriesTheTag()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var abacPolicy = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*",
              "Condition":{"StringEquals":{"aws:ResourceTag/Team":"blue"}}}]}
            """;
        await tenant.Grains.GetGrain<IIamGrain>(tenant.Account).PutPrincipal(new PrincipalDefinition("role/blue-team", [abacPolicy]));
        var blueTeam = tenant.Role("blue-team");
        var key = await tenant.CreateKeyAsync();

        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.Encrypt(blueTeam, new EncryptRequest(key.KeyId, [1])));
        await tenant.Kms.TagResource(tenant.Admin, key.KeyId, [new KeyTag("team", "blue")]);
        var blob = (await tenant.Kms.Encrypt(blueTeam, new EncryptRequest(key.KeyId, [1]))).CiphertextBlob;

        await tenant.Kms.TagResource(tenant.Admin, key.KeyId, [new KeyTag("team", "red")]);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.Decrypt(blueTeam, new DecryptRequest(blob)));
        await tenant.Kms.UntagResource(tenant.Admin, key.KeyId, ["team"]);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.Decrypt(blueTeam, new DecryptRequest(blob)));
    }

    [Fact]
    public async Task UpdateKeyDescription_ChangesTheDescription_NotWhilePendingDeletion()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        await tenant.Kms.UpdateKeyDescription(tenant.Admin, key.KeyId, "new words");
        Assert.Equal("new words", (await tenant.Kms.DescribeKey(tenant.Admin, key.KeyId)).Description);

        await tenant.Kms.ScheduleKeyDeletion(tenant.Admin, key.KeyId, 7);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.KmsInvalidState, () => tenant.Kms.UpdateKeyDescription(tenant.Admin, key.KeyId, "later"));
        Assert.Equal("new words", (await tenant.Kms.DescribeKey(tenant.Admin, key.KeyId)).Description);
    }

    [Fact]
    public async Task UpdateAlias_MovesTheAlias_DeleteAliasRemovesIt_AndNeitherTouchesTheKeys()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var first = await tenant.CreateKeyAsync("alias/moving");
        var second = await tenant.CreateKeyAsync();
        var blob = (await tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest("alias/moving", [7]))).CiphertextBlob;

        await tenant.Kms.UpdateAlias(tenant.Admin, "alias/moving", second.KeyId);
        Assert.Equal(second.Arn, (await tenant.Kms.DescribeKey(tenant.Admin, "alias/moving")).Arn);
        Assert.Equal([7], (await tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(blob))).Plaintext);

        await AwsAssert.ThrowsAsync(AwsErrorCodes.NotFound, () => tenant.Kms.UpdateAlias(tenant.Admin, "alias/none", first.KeyId));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.UpdateAlias(tenant.Ci, "alias/moving", first.KeyId));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.DeleteAlias(tenant.Ci, "alias/moving"));
        Assert.Equal(second.Arn, (await tenant.Kms.DescribeKey(tenant.Admin, "alias/moving")).Arn);

        await tenant.Kms.DeleteAlias(tenant.Admin, "alias/moving");
        await AwsAssert.ThrowsAsync(AwsErrorCodes.NotFound, () => tenant.Kms.DescribeKey(tenant.Admin, "alias/moving"));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.NotFound, () => tenant.Kms.DeleteAlias(tenant.Admin, "alias/moving"));
        Assert.Equal(KeyState.Enabled, (await tenant.Kms.DescribeKey(tenant.Admin, second.KeyId)).KeyState);
        Assert.Single(await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.DeleteAlias)), e => e.Succeeded);
    }

    [Fact]
    public async Task AwsManagedAlias_CannotBeMovedOrDeleted()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("managed-alias");
        var key = await tenant.CreateKeyAsync();
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidAliasName, () => tenant.Kms.UpdateAlias(tenant.Root, KmsAliases.AwsEcr, key.KeyId));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidAliasName, () => tenant.Kms.DeleteAlias(tenant.Root, KmsAliases.AwsEcr));
        Assert.NotEqual(key.Arn, (await tenant.Kms.DescribeKey(tenant.Root, KmsAliases.AwsEcr)).Arn);
    }

    [Fact]
    public async Task GetKeyLastUsage_NamesTheLatestCryptographicCall_FromTheTrail()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var unused = await tenant.Kms.GetKeyLastUsage(tenant.Admin, key.KeyId);
        Assert.Null(unused.Operation);
        Assert.Equal(key.CreationDate, unused.KeyCreationDate);

        await tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(key.KeyId, [1]));
        await tenant.Kms.GenerateDataKey(tenant.Admin, new GenerateDataKeyRequest(key.KeyId, KeySpec: null, NumberOfBytes: 16));
        await tenant.Kms.DescribeKey(tenant.Admin, key.KeyId);

        var used = await tenant.Kms.GetKeyLastUsage(tenant.Admin, key.KeyId);
        Assert.Equal(KmsOperations.GenerateDataKey, used.Operation);
        var generated = (await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.GenerateDataKey))).Single();
        Assert.Equal((generated.EventId, generated.EventTime), (used.EventId, used.Timestamp!.Value));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.GetKeyLastUsage(tenant.Reader, key.KeyId));
    }

    [Fact]
    public async Task ResourceAliasesCondition_AllowsOnlyKeysWhoseAliasMatches_AndFollowsUpdateAlias()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var policy = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*",
              "Condition":{"ForAnyValue:StringLike":{"kms:ResourceAliases":"alias/finance-*"}}}]}
            """;
        await tenant.Grains.GetGrain<IIamGrain>(tenant.Account).PutPrincipal(new PrincipalDefinition("role/finance", [policy]));
        var finance = tenant.Role("finance");
        var key = await tenant.CreateKeyAsync("alias/finance-payroll");
        var other = await tenant.CreateKeyAsync("alias/marketing");

        await tenant.Kms.Encrypt(finance, new EncryptRequest(key.KeyId, [1]));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.Encrypt(finance, new EncryptRequest(other.KeyId, [1])));

        // The alias moves to the other key: the permission moves with it.
        await tenant.Kms.UpdateAlias(tenant.Admin, "alias/finance-payroll", other.KeyId);
        await tenant.Kms.Encrypt(finance, new EncryptRequest(other.KeyId, [1]));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.Encrypt(finance, new EncryptRequest(key.KeyId, [1])));
    }
}
