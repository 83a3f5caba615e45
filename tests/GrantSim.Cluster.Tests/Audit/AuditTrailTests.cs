using System.Text.Json;
using GrantSim.Audit;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Kms;

namespace GrantSim.Cluster.Tests.Audit;

[Collection(ClusterCollection.Name)]
public sealed class AuditTrailTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Trail_RecordsEveryKmsCall_InOrder_AndNeverAToken()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var grant = await tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(key.KeyId, tenant.Reader.Principal, [KmsOperations.Encrypt]));
        await tenant.Kms.Encrypt(tenant.Reader, new EncryptRequest(key.Arn, [1], GrantTokens: [grant.GrantToken]));
        await Assert.ThrowsAsync<Aws.AwsServiceException>(() => tenant.Kms.DisableKey(tenant.Reader, key.Arn));
        await tenant.Kms.RetireGrant(tenant.Root, new RetireGrantRequest(GrantToken: grant.GrantToken));

        var trail = await tenant.Trail.Query(new AuditQuery());

        Assert.Equal([KmsOperations.CreateKey, KmsOperations.CreateGrant, KmsOperations.Encrypt, KmsOperations.DisableKey, KmsOperations.RetireGrant], trail.Select(e => e.EventName));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (long)i), trail.Select(e => e.Sequence));
        Assert.Equal(grant.GrantId, trail[1].GrantId);
        Assert.Equal(grant.GrantId, trail[2].GrantId);
        Assert.Equal(Aws.AwsErrorCodes.AccessDenied, trail[3].ErrorCode);
        Assert.Equal(grant.GrantId, trail[4].GrantId);
        Assert.All(trail, e => Assert.Equal([key.Arn], e.Resources));
        var text = JsonSerializer.Serialize(trail);
        Assert.DoesNotContain(grant.GrantToken, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trail_AnswersWhichGrantsExistForARepositoryAndWhoUsedThem()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var repository = await tenant.CreateRepositoryAsync("audited");
        await tenant.PushImageAsync("audited", "v1");

        var mentions = await tenant.Trail.Query(new AuditQuery(Resource: repository.RepositoryArn));
        var created = mentions.Where(e => e.EventName == KmsOperations.CreateGrant).Select(e => e.GrantId).ToHashSet();
        var used = mentions.Where(e => e.EventName == KmsOperations.GenerateDataKey).Select(e => e.GrantId).ToHashSet();

        Assert.Equal(2, created.Count);
        Assert.Subset(created, used);
        Assert.All(mentions.Where(e => e.EventName == KmsOperations.GenerateDataKey), e => Assert.Equal("AWSService", e.UserIdentity.Type));
    }

    [Fact]
    public async Task Trail_SpansManyPages()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        for (var i = 0; i < AuditTrailGrain.PageSize + 10; i++)
        {
            await tenant.Kms.DescribeKey(tenant.Admin, key.KeyId);
        }

        var counts = await tenant.Trail.Count();
        Assert.Equal(AuditTrailGrain.PageSize + 11, counts.Total);
        Assert.Equal(AuditTrailGrain.PageSize + 10, counts.Count(KmsOperations.DescribeKey));
        var tail = await tenant.Trail.Query(new AuditQuery(AfterSequence: AuditTrailGrain.PageSize));
        Assert.Equal(10, tail.Count);
    }

    [Fact]
    public async Task ConcurrentCryptoCalls_OnOneKey_EachAnswerAfterItsRecordIsInTheTrail_WithDenseSequences()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        const int calls = 48;

        // Many calls at once on one key: they interleave and their records go to the trail in batches.
        var answered = await Task.WhenAll(Enumerable.Range(0, calls).Select(async i =>
        {
            var generated = await tenant.Kms.GenerateDataKey(tenant.Admin,
                new GenerateDataKeyRequest(key.Arn, EncryptionContext.From(new Dictionary<string, string> { ["call"] = $"{i}" }), DataKeys.Aes256));
            // Its record is there as soon as the call has answered.
            var recorded = await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.GenerateDataKey));
            Assert.Contains(recorded, e => e.RequestParameters.EncryptionContext?["call"] == $"{i}");
            return generated;
        }));

        var trail = await tenant.Trail.Query(new AuditQuery());
        Assert.Equal(calls, answered.Select(a => Convert.ToBase64String(a.Plaintext!)).Distinct().Count());
        Assert.Equal(calls, trail.Count(e => e.EventName == KmsOperations.GenerateDataKey && e.ErrorCode is null));
        Assert.Equal(Enumerable.Range(0, trail.Count).Select(i => (long)i), trail.Select(e => e.Sequence));
    }

    [Fact]
    public async Task DecryptsRacingARevoke_NoneStartedAfterTheRevokeAnsweredSucceeds()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var grant = await tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(key.KeyId, tenant.Reader.Principal, [KmsOperations.Decrypt]));
        var blob = (await tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(key.Arn, [1, 2, 3]))).CiphertextBlob;
        var revoked = 0;

        var decrypts = Enumerable.Range(0, 40).Select(async _ =>
        {
            var startedAfterRevoke = Volatile.Read(ref revoked) == 1;
            try
            {
                await tenant.Kms.Decrypt(tenant.Reader, new DecryptRequest(blob, GrantTokens: [grant.GrantToken]));
                return (startedAfterRevoke, succeeded: true);
            }
            catch (Aws.AwsServiceException error) when (error.ErrorCode == Aws.AwsErrorCodes.AccessDenied)
            {
                return (startedAfterRevoke, succeeded: false);
            }
        }).ToList();
        await tenant.Kms.RevokeGrant(tenant.Admin, key.KeyId, grant.GrantId);
        Volatile.Write(ref revoked, 1);
        decrypts.AddRange(Enumerable.Range(0, 10).Select(async _ =>
        {
            var startedAfterRevoke = Volatile.Read(ref revoked) == 1;
            var error = await Assert.ThrowsAsync<Aws.AwsServiceException>(() => tenant.Kms.Decrypt(tenant.Reader, new DecryptRequest(blob, GrantTokens: [grant.GrantToken])));
            Assert.Equal(Aws.AwsErrorCodes.AccessDenied, error.ErrorCode);
            return (startedAfterRevoke, succeeded: false);
        }));

        var outcomes = await Task.WhenAll(decrypts);
        Assert.DoesNotContain(outcomes, o => o.startedAfterRevoke && o.succeeded);
        var counts = await tenant.Trail.Count();
        Assert.Equal(outcomes.Length, counts.Count(KmsOperations.Decrypt) + counts.Count(KmsOperations.Decrypt, Aws.AwsErrorCodes.AccessDenied));
        Assert.Equal(outcomes.Count(o => o.succeeded), counts.Count(KmsOperations.Decrypt));
    }

    [Fact]
    public async Task Trail_Reactivated_MidPageAndAfterFullPages_KeepsEveryEventAndGoesOnInSequence()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var management = tenant.Trail.AsReference<Orleans.Core.Internal.IGrainManagementExtension>();

        // Two full pages and part of a third, in appends of one event and of several (concurrent calls).
        for (var i = 0; i < AuditTrailGrain.PageSize + 5; i++)
        {
            await tenant.Kms.DescribeKey(tenant.Admin, key.KeyId);
        }

        await Task.WhenAll(Enumerable.Range(0, AuditTrailGrain.PageSize).Select(_ => tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(key.Arn, [1]))));
        var before = await tenant.Trail.Query(new AuditQuery());
        await management.DeactivateOnIdle();
        var reloaded = await tenant.Trail.Query(new AuditQuery());
        for (var i = 0; i < 3; i++)
        {
            await tenant.Kms.DescribeKey(tenant.Admin, key.KeyId);
        }

        await management.DeactivateOnIdle();
        var after = await tenant.Trail.Query(new AuditQuery());

        Assert.Equal(1 + (2 * AuditTrailGrain.PageSize) + 5, before.Count);
        Assert.Equal(before.Select(e => e.EventId), reloaded.Select(e => e.EventId));
        Assert.Equal(before.Count + 3, after.Count);
        Assert.Equal(Enumerable.Range(0, after.Count).Select(i => (long)i), after.Select(e => e.Sequence));
        Assert.Equal(before.Select(e => e.EventId), after.Take(before.Count).Select(e => e.EventId));
    }
}
