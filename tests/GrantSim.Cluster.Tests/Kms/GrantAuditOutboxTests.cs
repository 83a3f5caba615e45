using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Grains;
using GrantSim.Hosting;
using GrantSim.Kms;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace GrantSim.Cluster.Tests.Kms;

/// <summary>
/// A grant change is stored with its audit record in the page's outbox, so that a silo dying
/// between the change and the trail append (the chaos and cluster tests saw it) cannot leave a
/// retired or revoked grant the trail does not know of.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GrantAuditOutboxTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AGrantChangeWhoseRecordNeverReachedTheTrail_IsRecordedWhenTheKeyIsNextActivated_Once()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var grant = await tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(key.KeyId, tenant.Reader.Principal, [KmsOperations.Encrypt]));
        var keyGrain = fixture.Grains.GetGrain<IKeyGrain>(GrainKeys.Key(Arn.Parse(key.Arn)));

        // What a silo dying after storing a revoke, before appending its record, leaves behind.
        var (storage, page, grants) = await ReadFirstPageAsync(keyGrain);
        var stored = grants.Grants.Single(g => g.GrantId == grant.GrantId);
        var lost = AuditEvents.Kms(KmsOperations.RevokeGrant, tenant.Region, tenant.Account, tenant.Admin, fixture.Clock.GetUtcNow(),
            new AuditRequestParameters { KeyId = key.Arn, GrantId = grant.GrantId }, key.Arn, grant.GrantId);
        grants.Grants[grants.Grants.IndexOf(stored)] = GrantLifecycle.End(stored, GrantStatus.Revoked, fixture.Clock.GetUtcNow(), tenant.Admin.Principal);
        grants.PendingAudit.Add(lost);
        await storage.WriteStateAsync("kms-grants-0", keyGrain.GetGrainId(), page);

        for (var activation = 0; activation < 2; activation++)
        {
            await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            await keyGrain.Peek();
        }

        var revokes = await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.RevokeGrant, GrantId: grant.GrantId));
        Assert.Equal(lost.EventId, Assert.Single(revokes).EventId);
        Assert.Equal(GrantStatus.Revoked, (await keyGrain.GetGrantHistory()).Single(g => g.Grant.GrantId == grant.GrantId).Status);
        var (_, _, after) = await ReadFirstPageAsync(keyGrain);
        Assert.Empty(after.PendingAudit);
    }

    [Fact]
    public async Task GrantChanges_LeaveNothingInTheOutbox_AndOneRecordEach()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var grant = await tenant.Kms.CreateGrant(tenant.Admin, new CreateGrantRequest(key.KeyId, tenant.Reader.Principal, [KmsOperations.Encrypt]));
        await tenant.Kms.RevokeGrant(tenant.Admin, key.Arn, grant.GrantId);
        var keyGrain = fixture.Grains.GetGrain<IKeyGrain>(GrainKeys.Key(Arn.Parse(key.Arn)));

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await keyGrain.Peek();

        var events = await tenant.Trail.Query(new AuditQuery(GrantId: grant.GrantId));
        Assert.Equal([KmsOperations.CreateGrant, KmsOperations.RevokeGrant], events.Select(e => e.EventName));
        var (_, _, page) = await ReadFirstPageAsync(keyGrain);
        Assert.Empty(page.PendingAudit);
    }

    /// <summary>The key's first grant page, read straight from the silos' grain storage.</summary>
    private async Task<(IGrainStorage Storage, GrainState<GrantPageState> Record, GrantPageState Page)> ReadFirstPageAsync(IKeyGrain keyGrain)
    {
        var silo = (fixture.Cluster.Primary as InProcessSiloHandle)?.SiloHost ?? throw new InvalidOperationException("the primary silo is not running in this process");
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        var record = new GrainState<GrantPageState>(new GrantPageState());
        await storage.ReadStateAsync("kms-grants-0", keyGrain.GetGrainId(), record);
        var page = record.State ?? new GrantPageState();
        record.State = page;
        return (storage, record, page);
    }
}
