using GrantSim.Aws;

namespace GrantSim.Client.Simulation;

/// <summary>Counts of operations by kind and outcome ("OK", an exception name, or KmsException(kmsError)).</summary>
public sealed class OperationLog
{
    private readonly Dictionary<string, SortedDictionary<string, int>> _counts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Total { get; private set; }

    public void Record(string kind, string outcome)
    {
        lock (_lock)
        {
            if (!_counts.TryGetValue(kind, out var byOutcome))
            {
                _counts[kind] = byOutcome = new SortedDictionary<string, int>(StringComparer.Ordinal);
            }

            byOutcome[outcome] = byOutcome.GetValueOrDefault(outcome) + 1;
            Total++;
        }
    }

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Snapshot()
    {
        lock (_lock)
        {
            return _counts.OrderBy(p => p.Key, StringComparer.Ordinal)
                .ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, int>)new SortedDictionary<string, int>(p.Value), StringComparer.Ordinal);
        }
    }

    public static string OutcomeOf(AwsServiceException error) =>
        error.KmsError is null ? error.ErrorCode : $"{error.ErrorCode}({error.KmsError})";
}
