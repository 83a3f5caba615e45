using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Identity;
using GrantSim.Kms;
using Orleans.Storage;

namespace GrantSim.Grains.Tests.Kms;

/// <summary>
/// Grant pages with their audit outbox: a change is stored with its record; a record in the trail
/// leaves the outbox with the page's next write instead of a write of its own, and no more than
/// <see cref="GrantPageStore.MaxPagesAwaitingClear"/> pages wait so.
/// </summary>
public sealed class GrantPageStoreTests
{
    private const string Account = "732000000001";
    private const string Region = "us-west-2";
    private const string KeyArn = "arn:aws:kms:us-west-2:732000000001:key/5d0e6a2c-3f77-4d4e-9a40-0c6f3f0f2f11";
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly CallerIdentity Admin = CallerIdentity.Root(Partition.Aws, Account);

    [Fact]
    public async Task AGrantCreatedThenRetired_WritesItsPageTwice_AndItsOutboxHoldsOnlyWhatTheTrailMayLack()
    {
        var storage = new CountingStorage();
        var store = new GrantPageStore(storage, GrainId.Create("key", "a"));
        await store.LoadAsync();

        var created = NewGrant(0);
        var createRecord = Record(KmsOperations.CreateGrant, created);
        await store.SaveAsync(created, createRecord);
        await store.ClearPendingAsync(createRecord);
        Assert.Empty(store.PendingAudit);

        var retired = GrantLifecycle.End(created, GrantStatus.Retired, Now, Admin.Principal);
        var retireRecord = Record(KmsOperations.RetireGrant, retired);
        await store.SaveAsync(retired, retireRecord);
        await store.ClearPendingAsync(retireRecord);

        Assert.Equal(2, storage.Writes);
        // Stored: the retire's record (in the trail, cleared on the page's next write); the create's was dropped by this write.
        Assert.Equal([retireRecord.EventId], (await ReloadAsync(storage)).Select(e => e.EventId));

        await store.ClearRecordedAsync();
        Assert.Equal(3, storage.Writes);
        Assert.Empty(await ReloadAsync(storage));
    }

    [Fact]
    public async Task ARecordNotKnownToBeInTheTrail_StaysInTheOutbox_ThroughLaterWritesOfItsPage()
    {
        var storage = new CountingStorage();
        var store = new GrantPageStore(storage, GrainId.Create("key", "b"));
        await store.LoadAsync();

        var first = NewGrant(0);
        var unsent = Record(KmsOperations.CreateGrant, first);
        await store.SaveAsync(first, unsent);
        var second = NewGrant(1);
        var sent = Record(KmsOperations.CreateGrant, second);
        await store.SaveAsync(second, sent);
        await store.ClearPendingAsync(sent);
        await store.ClearRecordedAsync();

        Assert.Equal([unsent.EventId], store.PendingAudit.Select(e => e.EventId));
        Assert.Equal([unsent.EventId], (await ReloadAsync(storage)).Select(e => e.EventId));
    }

    [Fact]
    public async Task NoMoreThanTheBoundOfPages_WaitWithRecordsAlreadyInTheTrail()
    {
        var storage = new CountingStorage();
        var store = new GrantPageStore(storage, GrainId.Create("key", "c"));
        await store.LoadAsync();

        var pages = GrantPageStore.MaxPagesAwaitingClear + 3;
        for (var page = 0; page < pages; page++)
        {
            // The last grant of each page: the next grant starts a new page, so nothing rewrites this one.
            var grant = NewGrant(((page + 1) * GrantPageStore.PageSize) - 1);
            foreach (var filler in Fillers(page))
            {
                await store.SaveAsync(filler);
            }

            var record = Record(KmsOperations.CreateGrant, grant);
            await store.SaveAsync(grant, record);
            await store.ClearPendingAsync(record);
        }

        var stored = 0;
        for (var page = 0; page < pages; page++)
        {
            stored += (await ReadPageAsync(storage, page)).PendingAudit.Count;
        }

        Assert.Equal(GrantPageStore.MaxPagesAwaitingClear, stored);
        Assert.Empty(store.PendingAudit);
    }

    private static IEnumerable<Grant> Fillers(int page)
    {
        for (var sequence = page * GrantPageStore.PageSize; sequence < ((page + 1) * GrantPageStore.PageSize) - 1; sequence++)
        {
            yield return NewGrant(sequence);
        }
    }

    private static Grant NewGrant(long sequence) =>
        new(sequence.ToString("x64", System.Globalization.CultureInfo.InvariantCulture), sequence, null, Now,
            $"arn:aws:iam::{Account}:role/reader", null, Account, [KmsOperations.Decrypt], null, GrantStatus.Active, null, null);

    private static AuditEvent Record(string operation, Grant grant) =>
        AuditEvents.Kms(operation, Region, Account, Admin, Now, new AuditRequestParameters { KeyId = KeyArn, GrantId = grant.GrantId }, KeyArn, grant.GrantId);

    private static async Task<IReadOnlyList<AuditEvent>> ReloadAsync(CountingStorage storage) => (await ReadPageAsync(storage, 0)).PendingAudit;

    private static async Task<GrantPageState> ReadPageAsync(CountingStorage storage, int page)
    {
        var record = new GrainState<GrantPageState>(new GrantPageState());
        await storage.ReadStateAsync($"kms-grants-{page}", default, record);
        return record.State!;
    }

    /// <summary>Grain storage in memory, by state name, counting writes.</summary>
    private sealed class CountingStorage : IGrainStorage
    {
        private readonly Dictionary<string, object> _records = [];

        public int Writes { get; private set; }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (_records.TryGetValue(stateName, out var stored))
            {
                grainState.State = (T)stored;
                grainState.RecordExists = true;
            }

            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            Writes++;
            _records[stateName] = grainState.State!;
            grainState.RecordExists = true;
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            _records.Remove(stateName);
            return Task.CompletedTask;
        }
    }
}
