using System.Collections.Immutable;

namespace GrantSim.Kms;

/// <summary>
/// A key's grants, immutable: by id, in creation order for paging, and by grantee and by name, so
/// that authorizing a call and making a named grant look at the grants that can matter rather
/// than all 50,000 a busy key may hold. Also counts active grants for the per-key quota. Changes
/// return a new book.
/// </summary>
public sealed class GrantBook
{
    public static GrantBook Empty { get; } = new(
        ImmutableSortedDictionary<long, Grant>.Empty, ImmutableDictionary<string, long>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableDictionary<string, ImmutableSortedSet<long>>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableDictionary<string, ImmutableSortedSet<long>>.Empty.WithComparers(StringComparer.Ordinal), 0, 0);

    private readonly ImmutableSortedDictionary<long, Grant> _bySequence;
    private readonly ImmutableDictionary<string, long> _sequenceById;

    // A grant's grantee and name never change, so these only grow; they hold ended grants too
    // (an ended grant still counts until its end has propagated).
    private readonly ImmutableDictionary<string, ImmutableSortedSet<long>> _sequencesByGrantee;
    private readonly ImmutableDictionary<string, ImmutableSortedSet<long>> _sequencesByName;

    private GrantBook(
        ImmutableSortedDictionary<long, Grant> bySequence, ImmutableDictionary<string, long> sequenceById,
        ImmutableDictionary<string, ImmutableSortedSet<long>> sequencesByGrantee, ImmutableDictionary<string, ImmutableSortedSet<long>> sequencesByName,
        int activeCount, long nextSequence)
    {
        _bySequence = bySequence;
        _sequenceById = sequenceById;
        _sequencesByGrantee = sequencesByGrantee;
        _sequencesByName = sequencesByName;
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

    /// <summary>The grants, active or ended, whose grantee is <paramref name="grantee"/>, oldest first.</summary>
    public IEnumerable<Grant> ForGrantee(string grantee) => Indexed(_sequencesByGrantee, grantee);

    /// <summary>The grants, active or ended, named <paramref name="name"/>, oldest first.</summary>
    public IEnumerable<Grant> Named(string name) => Indexed(_sequencesByName, name);

    /// <summary>
    /// Grants with sequence greater than <paramref name="afterSequence"/>, oldest first. Sequences
    /// are dense, so a page of a listing looks up only the grants it returns.
    /// </summary>
    public IEnumerable<Grant> After(long afterSequence)
    {
        var first = afterSequence < 0 ? 0 : afterSequence >= NextSequence ? NextSequence : afterSequence + 1;
        for (var sequence = first; sequence < NextSequence; sequence++)
        {
            if (_bySequence.TryGetValue(sequence, out var grant))
            {
                yield return grant;
            }
        }
    }

    /// <summary>Adds a grant or replaces the one with the same id.</summary>
    public GrantBook Put(Grant grant)
    {
        var active = ActiveCount + (grant.IsActive ? 1 : 0);
        var byGrantee = _sequencesByGrantee;
        var byName = _sequencesByName;
        if (_sequenceById.TryGetValue(grant.GrantId, out var existingSequence))
        {
            if (existingSequence != grant.Sequence)
            {
                throw new InvalidOperationException($"Grant {grant.GrantId} cannot change its sequence.");
            }

            active -= _bySequence[existingSequence].IsActive ? 1 : 0;
        }
        else
        {
            byGrantee = Add(byGrantee, grant.GranteePrincipal, grant.Sequence);
            byName = grant.Name is { } name ? Add(byName, name, grant.Sequence) : byName;
        }

        return new GrantBook(_bySequence.SetItem(grant.Sequence, grant), _sequenceById.SetItem(grant.GrantId, grant.Sequence), byGrantee, byName, active,
            Math.Max(NextSequence, grant.Sequence + 1));
    }

    private IEnumerable<Grant> Indexed(ImmutableDictionary<string, ImmutableSortedSet<long>> index, string key) =>
        index.TryGetValue(key, out var sequences) ? sequences.Select(sequence => _bySequence[sequence]) : [];

    private static ImmutableDictionary<string, ImmutableSortedSet<long>> Add(ImmutableDictionary<string, ImmutableSortedSet<long>> index, string key, long sequence) =>
        index.SetItem(key, (index.TryGetValue(key, out var sequences) ? sequences : ImmutableSortedSet<long>.Empty).Add(sequence));
}
