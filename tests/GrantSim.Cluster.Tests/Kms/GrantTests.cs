using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Kms;
using GrantSim.Simulation;

namespace GrantSim.Cluster.Tests.Kms;

[Collection(ClusterCollection.Name)]
public sealed class GrantTests(ClusterFixture fixture)
{
    [Fact]
    public async Task CreateGrant_WithTheSameNameAndParameters_ReturnsTheSameGrantAndANewToken()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var request = new CreateGrantRequest(key.KeyId, tenant.Reader.Principal, [KmsOperations.Decrypt], Name: "reader-grant");

        var first = await tenant.Kms.CreateGrant(tenant.Admin, request);
        var second = await tenant.Kms.CreateGrant(tenant.Admin, request);
        var unnamed = await tenant.Kms.CreateGrant(tenant.Admin, request with { Name = null });

        Assert.Equal(first.GrantId, second.GrantId);
        Assert.NotEqual(first.GrantToken, second.GrantToken);
        Assert.NotEqual(first.GrantId, unnamed.GrantId);
        Assert.Equal(2, (await tenant.Kms.ListGrants(tenant.Admin, new ListGrantsRequest(key.KeyId))).Grants.Count);
    }

    [Fact]
    public async Task CreateGrant_WithAnOperationThatCannotBeGranted_IsValidationException()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Validation, () => tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(key.KeyId, tenant.Ci.Principal, ["ScheduleKeyDeletion"])));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Validation, () => tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(key.KeyId, tenant.Ci.Principal, [])));
    }

    [Fact]
    public async Task Grant_AuthorizesOnlyItsOperationsAndConstraint()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var constraint = new GrantConstraints(EncryptionContextSubset: EncryptionContext.Of(("team", "a")));
        await tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(key.KeyId, tenant.Reader.Principal, [KmsOperations.GenerateDataKey], Constraints: constraint));

        var generated = await tenant.Kms.GenerateDataKey(tenant.Reader, new GenerateDataKeyRequest(key.Arn, EncryptionContext.Of(("team", "a"), ("extra", "ok"))));
        Assert.Equal(32, generated.Plaintext!.Length);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.GenerateDataKey(tenant.Reader, new GenerateDataKeyRequest(key.Arn, EncryptionContext.Of(("team", "b")))));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.Decrypt(tenant.Reader, new DecryptRequest(generated.CiphertextBlob, EncryptionContext.Of(("team", "a"), ("extra", "ok")))));
    }

    [Fact]
    public async Task RetiredGrant_NeverAuthorizesAgain_AndCannotBeRetiredTwice()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var grant = await tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(key.KeyId, tenant.Reader.Principal, [KmsOperations.Encrypt], RetiringPrincipal: tenant.Reader.Principal));
        await tenant.Kms.Encrypt(tenant.Reader, new EncryptRequest(key.Arn, [1]));

        await tenant.Kms.RetireGrant(tenant.Reader, new RetireGrantRequest(GrantToken: grant.GrantToken));

        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.Encrypt(tenant.Reader, new EncryptRequest(key.Arn, [1])));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.Encrypt(tenant.Reader, new EncryptRequest(key.Arn, [1], GrantTokens: [grant.GrantToken])));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.NotFound, () => tenant.Kms.RetireGrant(tenant.Reader, new RetireGrantRequest(GrantToken: grant.GrantToken)));
    }

    [Fact]
    public async Task RetireGrant_IsAllowedOnlyToThoseTheRulesName()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var stranger = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        async Task<string> NewGrant(string? retiring = null, params string[] operations) =>
            (await tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(key.KeyId, tenant.Reader.Principal, operations.Length == 0 ? [KmsOperations.Decrypt] : operations, retiring))).GrantId;

        var byRetiringPrincipal = await NewGrant(tenant.Ci.Principal);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.RetireGrant(tenant.Reader, new RetireGrantRequest(KeyId: key.Arn, GrantId: byRetiringPrincipal)));
        await tenant.Kms.RetireGrant(tenant.Ci, new RetireGrantRequest(KeyId: key.Arn, GrantId: byRetiringPrincipal));

        var byGranteeWithRetire = await NewGrant(null, KmsOperations.Decrypt, KmsOperations.RetireGrant);
        await tenant.Kms.RetireGrant(tenant.Reader, new RetireGrantRequest(KeyId: key.Arn, GrantId: byGranteeWithRetire));

        var byRoot = await NewGrant();
        await tenant.Kms.RetireGrant(tenant.Root, new RetireGrantRequest(KeyId: key.Arn, GrantId: byRoot));

        var byIamPermission = await NewGrant();
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.RetireGrant(tenant.Deployer, new RetireGrantRequest(KeyId: key.Arn, GrantId: byIamPermission)));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.RetireGrant(stranger.Admin, new RetireGrantRequest(KeyId: key.Arn, GrantId: byIamPermission)));
        await tenant.Kms.RetireGrant(tenant.Ci, new RetireGrantRequest(KeyId: key.Arn, GrantId: byIamPermission));

        Assert.Empty((await tenant.Kms.ListGrants(tenant.Admin, new ListGrantsRequest(key.KeyId))).Grants);
    }

    [Fact]
    public async Task RetireGrant_WithAForgedToken_IsInvalidGrantToken_AndWithAMalformedId_InvalidGrantId()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var grant = await tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(key.KeyId, tenant.Reader.Principal, [KmsOperations.Decrypt]));
        var forged = grant.GrantToken[..^4] + (grant.GrantToken.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidGrantToken, () => tenant.Kms.RetireGrant(tenant.Root, new RetireGrantRequest(GrantToken: forged)));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidGrantToken, () => tenant.Kms.RetireGrant(tenant.Root, new RetireGrantRequest(GrantToken: "not-a-token")));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidGrantId, () => tenant.Kms.RetireGrant(tenant.Root, new RetireGrantRequest(KeyId: key.KeyId, GrantId: "xyz")));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.NotFound, () => tenant.Kms.RetireGrant(tenant.Root, new RetireGrantRequest(KeyId: key.KeyId, GrantId: GrantIds.New())));
        Assert.Single((await tenant.Kms.ListGrants(tenant.Admin, new ListGrantsRequest(key.KeyId))).Grants);
    }

    [Fact]
    public async Task ListGrants_PagesThroughEveryGrant_WithoutTokens()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(key.KeyId, tenant.Reader.Principal, [KmsOperations.Decrypt]))).GrantId);
        }

        var listed = new List<string>();
        string? marker = null;
        var pages = 0;
        do
        {
            var page = await tenant.Kms.ListGrants(tenant.Admin, new ListGrantsRequest(key.KeyId, Limit: 3, Marker: marker));
            listed.AddRange(page.Grants.Select(g => g.GrantId));
            marker = page.NextMarker;
            pages++;
        }
        while (marker is not null);

        Assert.Equal(created, listed);
        Assert.Equal(3, pages);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Validation, () => tenant.Kms.ListGrants(tenant.Admin, new ListGrantsRequest(key.KeyId, Limit: 0)));
    }

    [Fact]
    public async Task ListRetirableGrants_FindsGrantsByRetiringPrincipalAcrossKeys()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var repository = await tenant.CreateRepositoryAsync("retirable");
        var keyArn = repository.EncryptionConfiguration.KmsKey!;
        var other = await tenant.CreateKeyAsync();
        await tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(other.KeyId, tenant.Reader.Principal, [KmsOperations.Decrypt], RetiringPrincipal: tenant.Ci.Principal));

        var ecrGrants = await tenant.Kms.ListRetirableGrants(tenant.Admin, tenant.Ecr.Principal);
        var ciGrants = await tenant.Kms.ListRetirableGrants(tenant.Admin, tenant.Ci.Principal);

        Assert.Equal(2, ecrGrants.Grants.Count);
        Assert.All(ecrGrants.Grants, g => Assert.EndsWith(g.KeyId, keyArn));
        Assert.Equal(other.KeyId, Assert.Single(ciGrants.Grants).KeyId);
    }

    /// <summary>Across keys, page by page: every retirable grant exactly once, a marker while more remain, none after the last.</summary>
    [Fact]
    public async Task ListRetirableGrants_PagesAcrossKeys_EveryGrantOnce()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in new[] { await tenant.CreateKeyAsync(), await tenant.CreateKeyAsync() })
        {
            for (var i = 0; i < 3; i++)
            {
                created.Add((await tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(key.KeyId, tenant.Reader.Principal, [KmsOperations.Decrypt], RetiringPrincipal: tenant.Ci.Principal))).GrantId);
            }
        }

        var listed = new List<string>();
        var markers = new List<string?>();
        string? marker = null;
        do
        {
            var page = await tenant.Kms.ListRetirableGrants(tenant.Admin, tenant.Ci.Principal, limit: 4, marker: marker);
            listed.AddRange(page.Grants.Select(g => g.GrantId));
            marker = page.NextMarker;
            markers.Add(marker);
        }
        while (marker is not null && markers.Count < 10);

        Assert.Equal(["4", null], markers);
        Assert.Equal(created.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        var exact = await tenant.Kms.ListRetirableGrants(tenant.Admin, tenant.Ci.Principal, limit: 6);
        Assert.Equal(6, exact.Grants.Count);
        Assert.Null(exact.NextMarker);
    }

    [Fact]
    public async Task WithPropagationDelay_ANewGrantWorksAtOnceOnlyWithItsToken()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.SetSimulationAsync(TimeSpan.FromSeconds(30));
        var key = await tenant.CreateKeyAsync();
        var grant = await tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(key.KeyId, tenant.Reader.Principal, [KmsOperations.Encrypt]));

        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.Encrypt(tenant.Reader, new EncryptRequest(key.Arn, [1])));
        await tenant.Kms.Encrypt(tenant.Reader, new EncryptRequest(key.Arn, [1], GrantTokens: [grant.GrantToken]));

        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        await tenant.Kms.Encrypt(tenant.Reader, new EncryptRequest(key.Arn, [1]));

        // Retiring propagates too: the grant still works inside the window, and never after it.
        await tenant.Kms.RetireGrant(tenant.Root, new RetireGrantRequest(GrantToken: grant.GrantToken));
        await tenant.Kms.Encrypt(tenant.Reader, new EncryptRequest(key.Arn, [1]));
        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.Encrypt(tenant.Reader, new EncryptRequest(key.Arn, [1], GrantTokens: [grant.GrantToken])));
    }

    [Fact]
    public async Task ManyGrants_OnOneKey_AreAllListedAndPersisted()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        await Task.WhenAll(Enumerable.Range(0, 600).Select(_ =>
            tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(key.KeyId, tenant.Reader.Principal, [KmsOperations.Decrypt]))));

        var keyGrain = fixture.Grains.GetGrain<Grains.IKeyGrain>(Grains.GrainKeys.Key(Arn.Parse(key.Arn)));
        await keyGrain.AsReference<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();

        var history = await keyGrain.GetGrantHistory();
        Assert.Equal(600, history.Count);
        Assert.Equal(600, history.Select(g => g.Grant.GrantId).Distinct().Count());
    }

    [Fact]
    public async Task InjectedThrottling_FailsTheCall_AndIsRecorded()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        await tenant.SetSimulationAsync(TimeSpan.Zero, new FaultRule(KmsOperations.Encrypt, AwsErrorCodes.Throttling, 1.0));

        await AwsAssert.ThrowsAsync(AwsErrorCodes.Throttling, () => tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(key.KeyId, [1])));
        var failed = Assert.Single(await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.Encrypt, ErrorsOnly: true)));
        Assert.Equal(AwsErrorCodes.Throttling, failed.ErrorCode);

        await tenant.SetSimulationAsync(TimeSpan.Zero);
        await tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(key.KeyId, [1]));
    }

    [Fact]
    public async Task ExplicitDenyInTheKeyPolicy_WinsOverAGrant()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var policy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{tenant.Account}}:root"},"Action":"kms:*","Resource":"*"},
              {"Effect":"Deny","Principal":{"AWS":"{{tenant.Reader.Principal}}"},"Action":"kms:Encrypt","Resource":"*"}]}
            """;
        var key = await tenant.CreateKeyAsync(policy: policy);
        await tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(key.KeyId, tenant.Reader.Principal, [KmsOperations.Encrypt, KmsOperations.GenerateDataKey]));

        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.Encrypt(tenant.Reader, new EncryptRequest(key.Arn, [1])));
        await tenant.Kms.GenerateDataKey(tenant.Reader, new GenerateDataKeyRequest(key.Arn));
    }
}
