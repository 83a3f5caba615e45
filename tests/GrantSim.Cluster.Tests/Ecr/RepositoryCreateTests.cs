using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Ecr;
using GrantSim.Kms;

namespace GrantSim.Cluster.Tests.Ecr;

[Collection(ClusterCollection.Name)]
public sealed class RepositoryCreateTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Create_WithoutConfiguration_IsAes256AndMakesNoKmsCall()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var repository = await tenant.EcrApi.CreateRepository(tenant.Ci, new CreateRepositoryRequest("plain"));

        Assert.Equal(EncryptionType.Aes256, repository.EncryptionConfiguration.EncryptionType);
        Assert.Null(repository.EncryptionConfiguration.KmsKey);
        var trail = await tenant.Trail.Query(new AuditQuery());
        Assert.DoesNotContain(trail, e => e.EventSource == AuditEvent.KmsEventSource);
    }

    [Fact]
    public async Task Create_WithKms_DescribesTheKeyThenCreatesTwoGrantsAsTheCaller()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var repository = await tenant.CreateRepositoryAsync("app", kmsKey: key.KeyId);

        Assert.Equal(key.Arn, repository.EncryptionConfiguration.KmsKey);
        var kmsEvents = (await tenant.Trail.Query(new AuditQuery())).Where(e => e.EventSource == AuditEvent.KmsEventSource && e.EventName != KmsOperations.CreateKey).ToArray();
        Assert.Equal([KmsOperations.DescribeKey, KmsOperations.CreateGrant, KmsOperations.CreateGrant], kmsEvents.Select(e => e.EventName));
        Assert.All(kmsEvents, e =>
        {
            Assert.Equal(tenant.Ci.Principal, e.UserIdentity.Principal);
            Assert.Equal(Regions.EcrServicePrincipal(tenant.Region), e.UserIdentity.InvokedBy);
        });

        var grants = await tenant.GrantsForRepositoryAsync(key.Arn, repository.RepositoryArn);
        Assert.Equal(2, grants.Count);
        Assert.All(grants, g =>
        {
            Assert.Equal(Regions.EcrServicePrincipal(tenant.Region), g.GranteePrincipal);
            Assert.Equal(Regions.EcrServicePrincipal(tenant.Region), g.RetiringPrincipal);
            Assert.Equal([KmsOperations.Decrypt, KmsOperations.GenerateDataKey], g.Operations);
            Assert.Equal(EncryptionContext.Of((EcrEncryptionContext.EcrArnKey, repository.RepositoryArn)), g.Constraints!.EncryptionContextSubset);
        });
        Assert.NotEqual(grants[0].Name, grants[1].Name);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("arn")]
    [InlineData("alias")]
    [InlineData("alias-arn")]
    public async Task Create_WithAnyKindOfKeyReference_RecordsTheKeyArn(string form)
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync(alias: "alias/team");
        var reference = form switch
        {
            "id" => key.KeyId,
            "arn" => key.Arn,
            "alias" => "alias/team",
            _ => Arn.KmsAlias(tenant.Region, tenant.Account, "alias/team").ToString(),
        };

        var repository = await tenant.CreateRepositoryAsync("by-" + form, kmsKey: reference);

        Assert.Equal(key.Arn, repository.EncryptionConfiguration.KmsKey);
    }

    [Fact]
    public async Task Create_WithKmsAndNoKey_CreatesTheAwsManagedKeyOnce()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var first = await tenant.CreateRepositoryAsync("one");
        var second = await tenant.CreateRepositoryAsync("two");

        Assert.Equal(first.EncryptionConfiguration.KmsKey, second.EncryptionConfiguration.KmsKey);
        var aliases = await tenant.Kms.ListAliases(tenant.Admin);
        var managed = Assert.Single(aliases, a => a.AliasName == KmsAliases.AwsEcr);
        Assert.EndsWith(managed.TargetKeyId, first.EncryptionConfiguration.KmsKey);
        var key = await tenant.Kms.DescribeKey(tenant.Admin, KmsAliases.AwsEcr);
        Assert.Equal(KeyManager.Aws, key.KeyManager);
    }

    [Fact]
    public async Task Create_WithKmsDsseOutsideGovCloud_IsInvalidParameter()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidParameter, () => tenant.CreateRepositoryAsync("dual", EncryptionType.KmsDsse));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryNotFound, () => tenant.EcrApi.DescribeRepositories(tenant.Ci, ["dual"]));
    }

    [Fact]
    public async Task Create_WithKmsDsseInGovCloud_UsesAGovCloudKey()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains, Regions.UsGovWest1);
        var repository = await tenant.CreateRepositoryAsync("dual", EncryptionType.KmsDsse);

        Assert.Equal(EncryptionType.KmsDsse, repository.EncryptionConfiguration.EncryptionType);
        Assert.StartsWith("arn:aws-us-gov:kms:us-gov-west-1:", repository.EncryptionConfiguration.KmsKey);
        Assert.StartsWith("arn:aws-us-gov:ecr:us-gov-west-1:", repository.RepositoryArn);
    }

    [Fact]
    public async Task Create_WithAKeyFromAnotherRegion_IsInvalidParameterAndLeavesNothing()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var elsewhere = await fixture.Grains.GetGrain<Grains.IKmsServiceGrain>(Regions.EuWest1).CreateKey(
            GrantSim.Identity.CallerIdentity.Root(Partition.Aws, tenant.Account), new CreateKeyRequest());

        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidParameter, () => tenant.CreateRepositoryAsync("cross", kmsKey: elsewhere.Arn));
        Assert.Empty((await fixture.Grains.GetGrain<Grains.IKmsServiceGrain>(Regions.EuWest1).ListGrants(
            GrantSim.Identity.CallerIdentity.Root(Partition.Aws, tenant.Account), new ListGrantsRequest(elsewhere.Arn))).Grants);
    }

    [Fact]
    public async Task Create_WithAnUnknownKey_IsKmsExceptionNotFound()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Kms, () => tenant.CreateRepositoryAsync("nokey", kmsKey: "alias/missing"), AwsErrorCodes.NotFound);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Kms, () => tenant.CreateRepositoryAsync("nokey", kmsKey: Guid.NewGuid().ToString()), AwsErrorCodes.NotFound);
    }

    [Fact]
    public async Task Create_WithACustomerKey_ByACallerWithoutRetireGrant_IsRefusedWithNoGrantLeft()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();

        await AwsAssert.ThrowsAsync(AwsErrorCodes.Kms, () => tenant.CreateRepositoryAsync("strict", kmsKey: key.Arn, caller: tenant.Deployer), AwsErrorCodes.AccessDenied);
        Assert.Empty((await tenant.Kms.ListGrants(tenant.Admin, new ListGrantsRequest(key.Arn))).Grants);
    }

    [Fact]
    public async Task Create_WithTheManagedKey_ByAnyoneWhoMayCreateRepositories_Works()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var repository = await tenant.CreateRepositoryAsync("managed", caller: tenant.Deployer);
        Assert.NotNull(repository.EncryptionConfiguration.KmsKey);
    }

    [Fact]
    public async Task Create_OnADisabledKey_IsKmsExceptionDisabledAndLeavesNoRepository()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        await tenant.Kms.DisableKey(tenant.Admin, key.KeyId);

        await AwsAssert.ThrowsAsync(AwsErrorCodes.Kms, () => tenant.CreateRepositoryAsync("off", kmsKey: key.KeyId), AwsErrorCodes.Disabled);
        Assert.Empty(await tenant.EcrApi.DescribeRepositories(tenant.Ci));
    }

    [Fact]
    public async Task Create_TwiceConcurrently_OneWins()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            try
            {
                await tenant.CreateRepositoryAsync("race");
                return "OK";
            }
            catch (AwsServiceException error)
            {
                return error.ErrorCode;
            }
        }));

        Assert.Single(attempts, a => a == "OK");
        Assert.All(attempts.Where(a => a != "OK"), a => Assert.Equal(AwsErrorCodes.RepositoryAlreadyExists, a));
        var repository = Assert.Single(await tenant.EcrApi.DescribeRepositories(tenant.Ci));
        Assert.Equal(2, (await tenant.GrantsForRepositoryAsync(repository.EncryptionConfiguration.KmsKey!, repository.RepositoryArn)).Count);
    }

    [Fact]
    public async Task Create_WithAnInvalidName_IsInvalidParameter()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidParameter, () => tenant.CreateRepositoryAsync("Upper-Case"));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidParameter, () => tenant.CreateRepositoryAsync("x"));
    }

    [Fact]
    public async Task Configuration_IsTheSameEveryTimeItIsRead()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = await tenant.CreateRepositoryAsync("fixed");
        await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryAlreadyExists, () => tenant.CreateRepositoryAsync("fixed", EncryptionType.Aes256));

        var described = Assert.Single(await tenant.EcrApi.DescribeRepositories(tenant.Ci, ["fixed"]));
        Assert.Equal(created.EncryptionConfiguration, described.EncryptionConfiguration);
    }
}
