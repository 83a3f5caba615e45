using System.Collections.Immutable;

namespace GrantSim.Kms;

/// <summary>
/// A key's grants, immutable: by id, and in creation order for paging. Also counts active grants
/// for the per-key quota. Changes return a new book.
/// </summary>
public sealed class GrantBook
{
    public static GrantBook Empty { get; } = new(ImmutableSortedDictionary<long, Grant>.Empty, ImmutableDictionary<string, long>.Empty.WithComparers(StringComparer.Ordinal), 0, 0);

    private readonly ImmutableSortedDictionary<long, Grant> _bySequence;
    private readonly ImmutableDictionary<string, long> _sequenceById;

    private GrantBook(ImmutableSortedDictionary<long, Grant> bySequence, ImmutableDictionary<string, long> sequenceById, int activeCount, long nextSequence)
    {
        _bySequence = bySequence;
        _sequenceById = sequenceById;
        ActiveCount = activeCount;
        NextSequence = nextSequence;
    }

    public static GrantBook From(IEnumerable<Grant> grants)
    {
        var book = Empty;
        foreach (var grant in grants)
        {
            book = book.Put(grant);
        }

        return book;
    }

    public int ActiveCount { get; }

    public int Count => _bySequence.Count;

    /// <summary>One past the highest sequence (sequences are dense, so the count; kept as a field since LINQ's Last would walk every grant).</summary>
    public long NextSequence { get; }

    /// <summary>Every grant, oldest first.</summary>
    public IEnumerable<Grant> All => _bySequence.Values;

    public IEnumerable<Grant> Active => _bySequence.Values.Where(g => g.IsActive);

    public Grant? Find(string grantId) =>
        _sequenceById.TryGetValue(grantId, out var sequence) ? _bySequence[sequence] : null;

    /// <summary>Grants with sequence greater than <paramref name="afterSequence"/>, oldest first.</summary>
    public IEnumerable<Grant> After(long afterSequence) =>
        _bySequence.Where(pair => pair.Key > afterSequence).Select(pair => pair.Value);

    /// <summary>Adds a grant or replaces the one with the same id.</summary>
    public GrantBook Put(Grant grant)
    {
        var active = ActiveCount + (grant.IsActive ? 1 : 0);
        if (_sequenceById.TryGetValue(grant.GrantId, out var existingSequence))
        {
            if (existingSequence != grant.Sequence)
            {
                throw new InvalidOperationException($"Grant {grant.GrantId} cannot change its sequence.");
            }

            active -= _bySequence[existingSequence].IsActive ? 1 : 0;
        }

        return new GrantBook(_bySequence.SetItem(grant.Sequence, grant), _sequenceById.SetItem(grant.GrantId, grant.Sequence), active,
            Math.Max(NextSequence, grant.Sequence + 1));
    }
}
