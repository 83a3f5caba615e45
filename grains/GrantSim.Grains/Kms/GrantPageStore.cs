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
/// <remarks>
/// A record known to be in the trail is not cleared from its page's outbox by a write of its own:
/// the page's next write drops it (a grant created and then retired writes its page twice, not four
/// times). A silo dying meanwhile leaves it in the outbox, which costs the next activation a look
/// in the trail (it finds the record there and appends nothing). At most
/// <see cref="MaxPagesAwaitingClear"/> pages wait so, which bounds that look; deactivation clears them.
/// </remarks>
public sealed class GrantPageStore(IGrainStorage storage, GrainId grainId)
{
    public const int PageSize = 256;
    public const int MaxPagesAwaitingClear = 4;

    private readonly List<GrainState<GrantPageState>> _pages = [];

    // Event ids of outbox records already in the trail, still stored in their page's outbox.
    private readonly HashSet<string> _inTrail = new(StringComparer.Ordinal);

    /// <summary>The audit records written with grant changes and not yet known to be in the trail, oldest first.</summary>
    public IReadOnlyList<AuditEvent> PendingAudit => _pages.SelectMany(p => p.State?.PendingAudit ?? []).Where(e => !_inTrail.Contains(e.EventId)).ToArray();

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

        var kept = previous.PendingAudit.Where(e => !_inTrail.Contains(e.EventId));
        var pending = audit is null ? kept.ToList() : [.. kept, audit];
        await WriteAsync(page, new GrantPageState { Grants = updated, PendingAudit = pending });
        _inTrail.ExceptWith(previous.PendingAudit.Select(e => e.EventId));
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

    /// <summary>
    /// <paramref name="audit"/> is in the trail: its page's next write drops it from the outbox. Pages
    /// beyond <see cref="MaxPagesAwaitingClear"/> waiting so are written now, the page holding it last.
    /// </summary>
    public async Task ClearPendingAsync(AuditEvent audit)
    {
        _inTrail.Add(audit.EventId);
        var waiting = PagesAwaitingClear();
        if (waiting.Count > MaxPagesAwaitingClear)
        {
            var holding = waiting.FindIndex(page => _pages[page].State!.PendingAudit.Any(e => e.EventId == audit.EventId));
            foreach (var page in waiting.Where((_, i) => i != holding).Take(waiting.Count - MaxPagesAwaitingClear))
            {
                await ClearPageAsync(page);
            }
        }
    }

    /// <summary>Writes every page whose outbox holds records already in the trail without them (on deactivation).</summary>
    public async Task ClearRecordedAsync()
    {
        foreach (var page in PagesAwaitingClear())
        {
            await ClearPageAsync(page);
        }
    }

    private List<int> PagesAwaitingClear() =>
        Enumerable.Range(0, _pages.Count).Where(page => _pages[page].State?.PendingAudit.Any(e => _inTrail.Contains(e.EventId)) == true).ToList();

    private async Task ClearPageAsync(int page)
    {
        var current = _pages[page].State!;
        await WriteAsync(page, new GrantPageState { Grants = current.Grants, PendingAudit = current.PendingAudit.Where(e => !_inTrail.Contains(e.EventId)).ToList() });
        _inTrail.ExceptWith(current.PendingAudit.Select(e => e.EventId));
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
