namespace GrantSim.Client.Histories;

/// <summary>What the check found for one object's history.</summary>
/// <param name="Linearizable">True or false; null when the search ran out of budget (inconclusive).</param>
/// <param name="Culprit">The first operation whose outcome no sequential order can explain.</param>
/// <param name="Witness">
/// The shortest sub-history found that is still unexplainable at that same operation: the operations
/// a reader needs to see why, in invocation order, the culprit last.
/// </param>
public sealed record LinearizabilityVerdict(bool? Linearizable, long Explored, HistoryEntry? Culprit, IReadOnlyList<HistoryEntry> Witness);

/// <summary>
/// Wing and Gong's linearizability check with memoization (as in Lowe's and Porcupine's versions):
/// a depth-first search for a sequential order of the operations that respects real time (an
/// operation that returned before another was invoked comes first) and that the model accepts with
/// every recorded outcome. An operation with an unknown outcome never returns, so it may be placed
/// anywhere after its invocation, where it takes effect, or be left out (it never took effect): the
/// search ends when every answered operation is placed, and never places an unanswered one as a no-op,
/// which would only multiply the orders to try (a silo kill leaves many unanswered operations). The search is bounded:
/// past the budget of explored states the answer is "inconclusive", never a guess.
/// </summary>
public static class LinearizabilityChecker
{
    public const long DefaultBudget = 2_000_000;

    /// <summary>Past this many operations before the culprit, the witness is the culprit and the operations just before it, not a minimized set.</summary>
    private const int MinimizeAtMost = 400;

    public static LinearizabilityVerdict Check<TState>(IReadOnlyList<HistoryEntry> history, IHistoryModel<TState> model, long budget = DefaultBudget)
        where TState : notnull
    {
        var operations = history.OrderBy(e => e.Invoked).ThenBy(e => e.Id).ToArray();
        var (whole, explored) = Search(operations, model, budget);
        if (whole != false)
        {
            return new LinearizabilityVerdict(whole, explored, null, []);
        }

        // The earliest cut that fails: at each return time, the operations invoked by then, with those
        // still running treated as unanswered. Failing is monotone in time, so a binary search finds it.
        var returns = operations.Where(o => !double.IsPositiveInfinity(o.Returned)).Select(o => o.Returned).Distinct().Order().ToArray();
        int low = 0, high = returns.Length - 1;
        while (low < high)
        {
            var middle = (low + high) / 2;
            var (verdict, more) = Search(Cut(operations, returns[middle]), model, budget);
            explored += more;
            if (verdict == false)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        var at = returns[low];
        var cut = Cut(operations, at);
        var culprit = cut.Where(o => o.Returned == at).OrderBy(o => o.Id).Last();
        var witness = cut.Length > MinimizeAtMost
            ? cut.Where(o => o.Invoked <= culprit.Invoked).TakeLast(20).ToArray()
            : Minimize(cut, culprit, model, budget, ref explored);
        return new LinearizabilityVerdict(false, explored, culprit, witness);
    }

    /// <summary>
    /// Drops one operation at a time while the rest still fails at the culprit and succeeds with the
    /// culprit's outcome unknown (so that the culprit stays the reason, and dropping a create does not
    /// turn a later push into the failure).
    /// </summary>
    private static HistoryEntry[] Minimize<TState>(HistoryEntry[] cut, HistoryEntry culprit, IHistoryModel<TState> model, long budget, ref long explored)
        where TState : notnull
    {
        var kept = cut.ToList();
        foreach (var candidate in cut.Where(o => o.Id != culprit.Id).Reverse())
        {
            var without = kept.Where(o => o.Id != candidate.Id).ToArray();
            var (fails, more) = Search(without, model, budget);
            explored += more;
            if (fails != false)
            {
                continue;
            }

            var (explained, yetMore) = Search(without.Select(o => o.Id == culprit.Id ? Unanswered(o) : o).ToArray(), model, budget);
            explored += yetMore;
            if (explained == true)
            {
                kept = without.ToList();
            }
        }

        return kept.ToArray();
    }

    /// <summary>The history as it stood at <paramref name="at"/>: what was invoked by then; what had not returned yet, unanswered.</summary>
    private static HistoryEntry[] Cut(HistoryEntry[] operations, double at) =>
        operations.Where(o => o.Invoked <= at).Select(o => o.Returned > at ? Unanswered(o) : o).ToArray();

    private static HistoryEntry Unanswered(HistoryEntry operation) =>
        operation with { Outcome = HistoryEntry.UnknownOutcome, Returned = double.PositiveInfinity };

    private static (bool? Linearizable, long Explored) Search<TState>(HistoryEntry[] operations, IHistoryModel<TState> model, long budget)
        where TState : notnull
    {
        var search = new Search<TState>(operations, model, budget);
        var found = search.Run();
        return (found, search.Explored);
    }
}

/// <summary>One depth-first search over the orders of one history; see <see cref="LinearizabilityChecker"/>.</summary>
internal sealed class Search<TState>(HistoryEntry[] operations, IHistoryModel<TState> model, long budget)
    where TState : notnull
{
    private readonly HashSet<(Linearized, TState)> _seen = [];
    private readonly bool[] _done = new bool[operations.Length];
    // Only answered operations must be placed: an unanswered one left out is one that never took effect
    // (as Knossos and Porcupine complete a history), so the search ends when every answered one is placed.
    private int _remaining = operations.Count(o => !o.IsUnknown);

    public long Explored { get; private set; }

    public bool? Run()
    {
        try
        {
            return Visit(model.Initial);
        }
        catch (BudgetSpentException)
        {
            return null;
        }
    }

    private bool Visit(TState state)
    {
        if (_remaining == 0)
        {
            return true;
        }

        if (++Explored > budget)
        {
            throw new BudgetSpentException();
        }

        if (!_seen.Add((new Linearized(_done), state)))
        {
            return false;
        }

        // Only an operation invoked before every pending operation's return may go next.
        var earliestReturn = double.PositiveInfinity;
        for (var i = 0; i < operations.Length; i++)
        {
            if (!_done[i] && operations[i].Returned < earliestReturn)
            {
                earliestReturn = operations[i].Returned;
            }
        }

        for (var i = 0; i < operations.Length && operations[i].Invoked <= earliestReturn; i++)
        {
            if (_done[i])
            {
                continue;
            }

            foreach (var next in model.Step(state, operations[i]).Distinct())
            {
                var counted = !operations[i].IsUnknown;
                _done[i] = true;
                _remaining -= counted ? 1 : 0;
                var found = Visit(next);
                _done[i] = false;
                _remaining += counted ? 1 : 0;
                if (found)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Which operations are placed so far, as a value (the memo's key with the state).</summary>
    private readonly struct Linearized : IEquatable<Linearized>
    {
        private readonly ulong[] _bits;
        private readonly int _hash;

        public Linearized(bool[] done)
        {
            _bits = new ulong[(done.Length + 63) / 64];
            for (var i = 0; i < done.Length; i++)
            {
                if (done[i])
                {
                    _bits[i / 64] |= 1UL << (i % 64);
                }
            }

            var hash = new HashCode();
            foreach (var word in _bits)
            {
                hash.Add(word);
            }

            _hash = hash.ToHashCode();
        }

        public bool Equals(Linearized other) => _bits.AsSpan().SequenceEqual(other._bits);

        public override bool Equals(object? obj) => obj is Linearized other && Equals(other);

        public override int GetHashCode() => _hash;
    }

    private sealed class BudgetSpentException : Exception;
}
