namespace GrantSim.Client.Histories;

/// <summary>
/// One client operation as a history records it: what was asked of which object (the partition: a
/// repository or a key), when it was invoked and when it returned (seconds on the run's clock), and
/// how it ended — <c>OK</c>, an AWS error code, or unknown (no answer: it may or may not have taken
/// effect; it never returns, so it may be placed anywhere after its invocation).
/// </summary>
public sealed record HistoryEntry(int Id, string Partition, string Operation, string Argument, string Outcome, double Invoked, double Returned)
{
    public const string Ok = "OK";

    public const string UnknownOutcome = "Unknown";

    public bool IsUnknown => Outcome.StartsWith(UnknownOutcome, StringComparison.Ordinal);

    public override string ToString() =>
        $"#{Id} {Operation}({Argument}) [{Invoked:0.000}s, {(double.IsPositiveInfinity(Returned) ? "∞" : $"{Returned:0.000}s")}] → {Outcome}";
}
