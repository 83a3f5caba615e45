using GrantSim.Grains;
using GrantSim.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace GrantSim.Ecr;

[GenerateSerializer, Alias("GrantSim.Ecr.RepositoryRegistryState")]
public sealed class RepositoryRegistryState
{
    /// <summary>Names as the registry first stored them, all in one record; moved into pages on activation.</summary>
    [Id(0)] public SortedSet<string> Names { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public List<LeftoverGrantReport> Leftovers { get; set; } = [];
}

/// <summary>One page of an account+region's repository names, a storage record of its own.</summary>
[GenerateSerializer, Alias("GrantSim.Ecr.RepositoryNamePage")]
public sealed class RepositoryNamePage
{
    [Id(0)] public List<string> Names { get; set; } = [];
}

/// <summary>
/// Live repository names of an account+region, and what deletions reported as left behind. Both updates are idempotent.
/// Names are stored in pages of <see cref="PageSize"/>, each its own record, so a create or a delete writes one page:
/// creating the 100,000th repository of a tenant costs what the first did (one sorted set of every name, rewritten on
/// each create, made each create cost more than the one before). A name goes into the first page with room, so pages
/// emptied by deletions fill again; pages are never removed, so loading reads them until the first missing one.
/// </summary>
public sealed class RepositoryRegistryGrain(
    [PersistentState("repositories", StorageNames.Default)] IPersistentState<RepositoryRegistryState> state) : Grain, IRepositoryRegistryGrain
{
    public const int PageSize = 256;

    private readonly List<GrainState<RepositoryNamePage>> _pages = [];
    private readonly Dictionary<string, int> _pageOf = new(StringComparer.Ordinal);
    private readonly SortedSet<int> _pagesWithRoom = [];
    private IGrainStorage _storage = null!;
    private string[]? _sorted;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        for (var page = 0; ; page++)
        {
            var record = new GrainState<RepositoryNamePage>(new RepositoryNamePage());
            await _storage.ReadStateAsync(PageName(page), this.GetGrainId(), record);
            if (!record.RecordExists)
            {
                break;
            }

            record.State ??= new RepositoryNamePage();
            _pages.Add(record);
            record.State.Names.ForEach(name => _pageOf[name] = page);
            if (record.State.Names.Count < PageSize)
            {
                _pagesWithRoom.Add(page);
            }
        }

        if (state.State.Names.Count > 0)
        {
            // Written by the registry before it had pages: each name moves into a page, then the old list is emptied.
            foreach (var name in state.State.Names)
            {
                await Add(name);
            }

            state.State.Names = new SortedSet<string>(StringComparer.Ordinal);
            await state.WriteStateAsync();
        }
    }

    public async Task Add(string repositoryName)
    {
        if (_pageOf.ContainsKey(repositoryName))
        {
            return;
        }

        var page = _pagesWithRoom.Count > 0 ? _pagesWithRoom.Min : _pages.Count;
        var newPage = page == _pages.Count;
        if (newPage)
        {
            _pages.Add(new GrainState<RepositoryNamePage>(new RepositoryNamePage()));
        }

        try
        {
            await WritePageAsync(page, [.. _pages[page].State!.Names, repositoryName]);
        }
        catch when (newPage)
        {
            // A page never stored must not stay: the next new page would leave a gap that loading stops at.
            _pages.RemoveAt(page);
            throw;
        }

        _pageOf[repositoryName] = page;
    }

    public async Task Remove(string repositoryName, LeftoverGrantReport? leftover)
    {
        // The report first: a failure between the two writes leaves the name listed, and the deletion's retry removes it.
        if (leftover is not null && !state.State.Leftovers.Any(l => l.RepositoryArn == leftover.RepositoryArn && l.GrantIds.SequenceEqual(leftover.GrantIds)))
        {
            state.State.Leftovers.Add(leftover);
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                state.State.Leftovers.Remove(leftover);
                throw;
            }
        }

        if (_pageOf.TryGetValue(repositoryName, out var page))
        {
            await WritePageAsync(page, _pages[page].State!.Names.Where(name => !string.Equals(name, repositoryName, StringComparison.Ordinal)).ToList());
            _pageOf.Remove(repositoryName);
        }
    }

    public Task<IReadOnlyList<string>> List()
    {
        _sorted ??= _pageOf.Keys.Order(StringComparer.Ordinal).ToArray();
        return Task.FromResult<IReadOnlyList<string>>(_sorted);
    }

    public Task<IReadOnlyList<LeftoverGrantReport>> GetLeftoverReports() =>
        Task.FromResult<IReadOnlyList<LeftoverGrantReport>>(state.State.Leftovers.ToArray());

    /// <summary>Stores <paramref name="names"/> as page <paramref name="page"/>; on failure the page in memory is unchanged.</summary>
    private async Task WritePageAsync(int page, List<string> names)
    {
        var record = _pages[page];
        var previous = record.State;
        record.State = new RepositoryNamePage { Names = names };
        try
        {
            await _storage.WriteStateAsync(PageName(page), this.GetGrainId(), record);
        }
        catch
        {
            record.State = previous;
            throw;
        }

        _sorted = null;
        if (names.Count < PageSize)
        {
            _pagesWithRoom.Add(page);
        }
        else
        {
            _pagesWithRoom.Remove(page);
        }
    }

    private static string PageName(int page) => $"repository-names-{page}";
}
