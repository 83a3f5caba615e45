using Orleans.Runtime;
using GrantSim.Aws;

namespace GrantSim.Client.Simulation;

/// <summary>Counts of operations by kind and outcome ("OK", an exception name, or KmsException(kmsError)).</summary>
public sealed class OperationLog
{
    /// <summary>The prefix of outcomes that got no answer from the cluster (a silo died, a call timed out).</summary>
    public const string Unavailable = "Unavailable";

    private readonly Dictionary<string, SortedDictionary<string, int>> _counts = new(StringComparer.Ordinal);
    private readonly List<TimelineSecond> _timeline = [];
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Lock _lock = new();

    /// <summary>When the run started (wall clock), so that the timeline can be set beside outside events.</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

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

            var second = (int)_clock.Elapsed.TotalSeconds;
            while (_timeline.Count <= second)
            {
                _timeline.Add(new TimelineSecond(_timeline.Count, 0, 0, 0));
            }

            var bucket = _timeline[second];
            _timeline[second] = outcome == OperationKinds.Ok ? bucket with { Ok = bucket.Ok + 1 }
                : IsUnavailable(outcome) ? bucket with { Unavailable = bucket.Unavailable + 1 }
                : bucket with { Errors = bucket.Errors + 1 };
        }
    }

    /// <summary>Operations per second of the run: answered OK, answered with an AWS error, or not answered.</summary>
    public IReadOnlyList<TimelineSecond> Timeline()
    {
        lock (_lock)
        {
            return _timeline.ToArray();
        }
    }

    public static bool IsUnavailable(string outcome) => outcome.StartsWith(Unavailable, StringComparison.Ordinal);

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

    /// <summary>What a call that got no answer from the cluster counts as: the kind of failure, not its message.</summary>
    public static string OutcomeOf(Exception unavailable) => $"{Unavailable}({unavailable.GetType().Name})";

    /// <summary>Failures of the cluster itself (a silo gone, a message lost, a timeout), as opposed to answers.</summary>
    public static bool IsClusterFailure(Exception error) => error is OrleansException or TimeoutException;
}

/// <summary>One second of a run: how many operations ended OK, with an AWS error, or unanswered.</summary>
public sealed record TimelineSecond(int Second, int Ok, int Errors, int Unavailable);
