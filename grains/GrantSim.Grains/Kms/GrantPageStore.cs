using GrantSim.Audit;
using GrantSim.Grains;
using Orleans.Storage;

namespace GrantSim.Kms;

[GenerateSerializer, Alias("GrantSim.Kms.GrantPageState")]
public sealed class GrantPageState
{
    [Id(0)] public List<Grant> Grants { get; set; } = [];

    /// <summary>
    /// The audit records of grant changes written in this page but not yet known to be in the trail
    /// (an outbox): the change and its record are stored together, so a silo dying between the two
    /// leaves the record to be appended when the key is next activated.
    /// </summary>
    [Id(1)] public List<AuditEvent> PendingAudit { get; set; } = [];
}

/// <summary>
/// Persists a key's grants in pages of <see cref="PageSize"/> by creation sequence, each its own
/// storage record. Creating or ending a grant writes one page, so a key with 50,000 grants does
/// not rewrite them all on every change. Pages are dense (sequences have no gaps), so loading
/// reads pages until the first missing one.
/// </summary>
public sealed class GrantPageStore(IGrainStorage storage, GrainId grainId)
{
    public const int PageSize = 256;

    private readonly List<GrainState<GrantPageState>> _pages = [];

    /// <summary>The audit records written with grant changes and not yet cleared, oldest first.</summary>
    public IReadOnlyList<AuditEvent> PendingAudit => _pages.SelectMany(p => p.State?.PendingAudit ?? []).ToArray();

    public async Task<IReadOnlyList<Grant>> LoadAsync()
    {
        _pages.Clear();
        var grants = new List<Grant>();
        for (var page = 0; ; page++)
        {
            var pageState = new GrainState<GrantPageState>(new GrantPageState());
            await storage.ReadStateAsync(StateName(page), grainId, pageState);
            if (!pageState.RecordExists)
            {
                return grants;
            }

            pageState.State ??= new GrantPageState();
            _pages.Add(pageState);
            grants.AddRange(pageState.State.Grants);
        }
    }

    /// <summary>
    /// Writes the page holding <paramref name="grant"/>, with <paramref name="audit"/> (the record of
    /// the change) in its outbox; on failure the stored and cached pages are unchanged.
    /// </summary>
    public async Task SaveAsync(Grant grant, AuditEvent? audit = null)
    {
        var page = checked((int)(grant.Sequence / PageSize));
        var slot = (int)(grant.Sequence % PageSize);
        while (_pages.Count <= page)
        {
            _pages.Add(new GrainState<GrantPageState>(new GrantPageState()));
        }

        var previous = _pages[page].State ?? new GrantPageState();
        var updated = new List<Grant>(previous.Grants);
        if (slot == updated.Count)
        {
            updated.Add(grant);
        }
        else if (slot < updated.Count)
        {
            updated[slot] = grant;
        }
        else
        {
            throw new InvalidOperationException($"Grant sequence {grant.Sequence} leaves a gap in page {page}.");
        }

        var pending = audit is null ? previous.PendingAudit : [.. previous.PendingAudit, audit];
        await WriteAsync(page, new GrantPageState { Grants = updated, PendingAudit = pending });
    }

    /// <summary>
    /// Grant changes whose audit record may not have reached the trail (the silo died, or the trail
    /// was unreachable, between the two writes): each is appended unless the trail already holds it
    /// (<paramref name="appending"/> is told first), then cleared from the outbox.
    /// </summary>
    public async Task AppendPendingAuditAsync(IGrainFactory grains, AuditWriter writer, Action<AuditEvent> appending)
    {
        foreach (var pending in PendingAudit)
        {
            var trail = grains.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(pending.RecipientAccountId, pending.AwsRegion));
            var recorded = await trail.Query(new AuditQuery(EventName: pending.EventName, GrantId: pending.GrantId));
            if (!recorded.Any(e => e.EventId == pending.EventId))
            {
                appending(pending);
                await writer.Record(pending);
            }

            await ClearPendingAsync(pending);
        }
    }

    /// <summary>Empties the outbox of the page that holds <paramref name="audit"/>, once the record is in the trail.</summary>
    public async Task ClearPendingAsync(AuditEvent audit)
    {
        for (var page = 0; page < _pages.Count; page++)
        {
            if (_pages[page].State is { } current && current.PendingAudit.Any(e => e.EventId == audit.EventId))
            {
                await WriteAsync(page, new GrantPageState { Grants = current.Grants, PendingAudit = current.PendingAudit.Where(e => e.EventId != audit.EventId).ToList() });
                return;
            }
        }
    }

    private async Task WriteAsync(int page, GrantPageState next)
    {
        var pageState = _pages[page];
        var previous = pageState.State;
        pageState.State = next;
        try
        {
            await storage.WriteStateAsync(StateName(page), grainId, pageState);
        }
        catch
        {
            pageState.State = previous;
            throw;
        }
    }

    private static string StateName(int page) => $"kms-grants-{page}";
}
