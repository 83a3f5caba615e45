using GrantSim.Hosting;
using Orleans.Storage;

namespace GrantSim.Kms;

[GenerateSerializer, Alias("GrantSim.Kms.GrantPageState")]
public sealed class GrantPageState
{
    [Id(0)] public List<Grant> Grants { get; set; } = [];
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

    /// <summary>Writes the page holding <paramref name="grant"/>; on failure the stored and cached pages are unchanged.</summary>
    public async Task SaveAsync(Grant grant)
    {
        var page = checked((int)(grant.Sequence / PageSize));
        var slot = (int)(grant.Sequence % PageSize);
        while (_pages.Count <= page)
        {
            _pages.Add(new GrainState<GrantPageState>(new GrantPageState()));
        }

        var pageState = _pages[page];
        var previous = pageState.State ?? new GrantPageState();
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

        pageState.State = new GrantPageState { Grants = updated };
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
