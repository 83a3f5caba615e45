using GrantSim.Faults;
using GrantSim.Grains;
using GrantSim.Hosting;
using GrantSim.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace GrantSim.Audit;

[GenerateSerializer, Alias("GrantSim.Audit.AuditTrailState")]
public sealed class AuditTrailState
{
    /// <summary>The page being filled; pages before it are full.</summary>
    [Id(0)] public long CurrentPage { get; set; }
}

[GenerateSerializer, Alias("GrantSim.Audit.AuditPageState")]
public sealed class AuditPageState
{
    [Id(0)] public List<AuditEvent> Events { get; set; } = [];
}

/// <summary>
/// A trail stored as pages of <see cref="PageSize"/> events. The page being filled is stored as
/// one record per append (a batch's events only, so an append costs what it adds, not the page);
/// when it is full it is written again as one record, and its per-append records are removed. So
/// reading the history reads one record per full page. The trail's own state is only the current
/// page number; the current page's records give the next sequence number after a restart.
/// </summary>
public sealed class AuditTrailGrain(
    [PersistentState("audit-trail", StorageNames.Default)] IPersistentState<AuditTrailState> state,
    GrantSimMetrics metrics,
    ICrashPoints crashPoints) : Grain, IAuditTrailGrain
{
    /// <summary>Events per full page: the unit a history read loads.</summary>
    public const int PageSize = 32;

    private IGrainStorage _storage = null!;
    private string _account = "";
    private string _region = "";

    /// <summary>The current page: its events, the record of each append, and the full page's own record (present only in data written before appends had their own records).</summary>
    private List<AuditEvent> _events = [];
    private List<GrainState<AuditPageState>> _appends = [];
    private GrainState<AuditPageState> _whole = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_account, _region) = GrainKeys.SplitTenantRegion(this.GetPrimaryKeyString());
        _storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        // A page written whole just before a failure, with the page number not yet moved past it, is full.
        while ((_whole = await ReadAsync(PageName(state.State.CurrentPage))).State!.Events.Count >= PageSize)
        {
            await ClearAppendsAsync(state.State.CurrentPage, await ReadAppendsAsync(state.State.CurrentPage));
            state.State.CurrentPage++;
            await state.WriteStateAsync();
        }

        _appends = await ReadAppendsAsync(state.State.CurrentPage);
        _events = [.. _whole.State!.Events, .. _appends.SelectMany(a => a.State!.Events)];
    }

    public async Task Append(IReadOnlyList<AuditEvent> events)
    {
        var remaining = events;
        while (remaining.Count > 0)
        {
            if (_events.Count >= PageSize)
            {
                await StartNextPageAsync();
            }

            var take = Math.Min(PageSize - _events.Count, remaining.Count);
            var first = state.State.CurrentPage * PageSize + _events.Count;
            var batch = remaining.Take(take).Select((e, i) => e with { Sequence = first + i }).ToList();
            var record = new GrainState<AuditPageState>(new AuditPageState { Events = batch });
            await crashPoints.ReachAsync(CrashPoints.TrailAppendWriting, GrainContext);
            await _storage.WriteStateAsync(AppendName(state.State.CurrentPage, _appends.Count), this.GetGrainId(), record);
            _appends.Add(record);
            _events.AddRange(batch);

            // Counted where they are stored: the metrics say what the trail holds.
            metrics.AuditEventsAppended(_account, _region, batch);
            remaining = remaining.Skip(take).ToArray();
        }
    }

    public async Task<IReadOnlyList<AuditEvent>> Query(AuditQuery query)
    {
        var firstPage = query.AfterSequence < 0 ? 0 : (query.AfterSequence + 1) / PageSize;
        var results = new List<AuditEvent>();
        for (var page = firstPage; page <= state.State.CurrentPage && results.Count < query.Limit; page++)
        {
            var events = page == state.State.CurrentPage ? _events : (await ReadAsync(PageName(page))).State!.Events;
            foreach (var e in events)
            {
                if (AuditFilter.Matches(e, query))
                {
                    results.Add(e);
                    if (results.Count >= query.Limit)
                    {
                        break;
                    }
                }
            }
        }

        return results;
    }

    public async Task<AuditCounts> Count() => AuditFilter.Count(await Query(new AuditQuery()));

    /// <summary>Writes the full page as one record, moves the page number past it, then removes its per-append records.</summary>
    private async Task StartNextPageAsync()
    {
        _whole.State = new AuditPageState { Events = _events };
        await _storage.WriteStateAsync(PageName(state.State.CurrentPage), this.GetGrainId(), _whole);
        await crashPoints.ReachAsync(CrashPoints.TrailPageWritten, GrainContext);
        var full = state.State.CurrentPage;
        state.State.CurrentPage++;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Still on the full page: the next append tries again (the whole page's record is already written).
            state.State.CurrentPage = full;
            throw;
        }

        var appends = _appends;
        _events = [];
        _appends = [];
        _whole = new GrainState<AuditPageState>(new AuditPageState());
        await crashPoints.ReachAsync(CrashPoints.TrailPageMoved, GrainContext);
        await ClearAppendsAsync(full, appends);
    }

    private async Task<List<GrainState<AuditPageState>>> ReadAppendsAsync(long page)
    {
        var appends = new List<GrainState<AuditPageState>>();
        while (await ReadAsync(AppendName(page, appends.Count)) is { RecordExists: true } record)
        {
            appends.Add(record);
        }

        return appends;
    }

    private async Task ClearAppendsAsync(long page, List<GrainState<AuditPageState>> appends)
    {
        for (var i = 0; i < appends.Count; i++)
        {
            await _storage.ClearStateAsync(AppendName(page, i), this.GetGrainId(), appends[i]);
        }
    }

    private async Task<GrainState<AuditPageState>> ReadAsync(string name)
    {
        var record = new GrainState<AuditPageState>(new AuditPageState());
        await _storage.ReadStateAsync(name, this.GetGrainId(), record);
        record.State ??= new AuditPageState();
        return record;
    }

    private static string PageName(long page) => $"audit-page-{page}";

    private static string AppendName(long page, int append) => $"audit-page-{page}-{append}";
}
