namespace GrantSim.Client.Histories;

/// <summary>
/// Records operations as they are invoked and as they return, on one clock (the run's), from any
/// thread. An operation that never returns — the run ended, or it was abandoned — is read as unknown.
/// </summary>
public sealed class HistoryRecorder(Func<double> now)
{
    private readonly List<HistoryEntry> _entries = [];
    private readonly Lock _lock = new();

    public int Begin(string partition, string operation, string argument)
    {
        lock (_lock)
        {
            var id = _entries.Count;
            _entries.Add(new HistoryEntry(id, partition, operation, argument, HistoryEntry.UnknownOutcome, now(), double.PositiveInfinity));
            return id;
        }
    }

    /// <summary>The answer of operation <paramref name="id"/>; an unknown outcome keeps it open for ever.</summary>
    public void End(int id, string outcome)
    {
        var returned = now();
        lock (_lock)
        {
            var entry = _entries[id];
            _entries[id] = entry with
            {
                Outcome = outcome,
                Returned = outcome.StartsWith(HistoryEntry.UnknownOutcome, StringComparison.Ordinal) ? double.PositiveInfinity : returned,
            };
        }
    }

    /// <summary>A state read at this instant (invoked and returned at once).</summary>
    public void Observe(string partition, string observed)
    {
        var at = now();
        lock (_lock)
        {
            _entries.Add(new HistoryEntry(_entries.Count, partition, HistoryOperations.Observe, observed, HistoryEntry.Ok, at, at));
        }
    }

    public IReadOnlyList<HistoryEntry> Entries()
    {
        lock (_lock)
        {
            return _entries.ToArray();
        }
    }
}
