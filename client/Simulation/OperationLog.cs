using GrantSim.Aws;

namespace GrantSim.Client.Simulation;

/// <summary>Counts of operations by kind and outcome ("OK", an exception name, or KmsException(kmsError)).</summary>
public sealed class OperationLog
{
    /// <summary>
    /// The prefix of outcomes that got no answer from the cluster (a silo died, a call timed out):
    /// neither a success nor a failure, since the call may or may not have taken effect. The
    /// invariant checker reads from the final state whether it did.
    /// </summary>
    public const string Unknown = "Unknown";

    private readonly Dictionary<string, SortedDictionary<string, int>> _counts = new(StringComparer.Ordinal);
    private readonly List<TimelineSecond> _timeline = [];
    private readonly List<OperationSample> _samples = [];
    private readonly List<double> _retries = [];
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Lock _lock = new();

    /// <summary>When the run started (wall clock), so that the timeline can be set beside outside events.</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public int Total { get; private set; }

    /// <summary>Seconds since the run started, on the clock of the timeline.</summary>
    public double ElapsedSeconds => _clock.Elapsed.TotalSeconds;

    /// <summary>Records an operation that took <paramref name="latency"/> (zero for those not timed) and just ended.</summary>
    /// <param name="counted">False for a step that follows an operation rather than being one of the mix (a replication delivery, the source repository a replication configuration makes): in the table, not in <see cref="Total"/>.</param>
    public void Record(string kind, string outcome, TimeSpan latency = default, bool counted = true)
    {
        lock (_lock)
        {
            _samples.Add(new OperationSample(Math.Max(0, _clock.Elapsed.TotalSeconds - latency.TotalSeconds), kind, outcome, latency.TotalMilliseconds));
            if (!_counts.TryGetValue(kind, out var byOutcome))
            {
                _counts[kind] = byOutcome = new SortedDictionary<string, int>(StringComparer.Ordinal);
            }

            byOutcome[outcome] = byOutcome.GetValueOrDefault(outcome) + 1;
            if (counted)
            {
                Total++;
            }

            var second = (int)_clock.Elapsed.TotalSeconds;
            while (_timeline.Count <= second)
            {
                _timeline.Add(new TimelineSecond(_timeline.Count, 0, 0, 0));
            }

            var bucket = _timeline[second];
            _timeline[second] = OperationKinds.IsCorrect(outcome) ? bucket with { Ok = bucket.Ok + 1 }
                : IsUnknown(outcome) ? bucket with { Unknown = bucket.Unknown + 1 }
                : bucket with { Errors = bucket.Errors + 1 };
        }
    }

    /// <summary>A call is about to be retried (its error was transient).</summary>
    public void RecordRetry()
    {
        lock (_lock)
        {
            _retries.Add(_clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>Every operation: when it started, what it was, how it ended and how long it took.</summary>
    public IReadOnlyList<OperationSample> Samples()
    {
        lock (_lock)
        {
            return _samples.ToArray();
        }
    }

    /// <summary>When each retry happened, in seconds since the run started.</summary>
    public IReadOnlyList<double> RetryTimes()
    {
        lock (_lock)
        {
            return _retries.ToArray();
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

    public static bool IsUnknown(string outcome) => outcome.StartsWith(Unknown, StringComparison.Ordinal);

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

    /// <summary>What a call that got no answer from the cluster counts as: unknown, with the kind of failure (not its message).</summary>
    public static string OutcomeOf(Exception unanswered) => $"{Unknown}({unanswered.GetType().Name})";
}

/// <summary>One operation of a run: when it started (seconds since the run started), its kind, its outcome, its latency.</summary>
public sealed record OperationSample(double StartSecond, string Kind, string Outcome, double LatencyMilliseconds);

/// <summary>One second of a run: how many operations ended OK, with an AWS error, or unanswered (outcome unknown).</summary>
public sealed record TimelineSecond(int Second, int Ok, int Errors, int Unknown);
