namespace GrantSim.Audit;

/// <summary>Counts of a trail's events by event name and outcome (errorCode, or "OK").</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Audit.AuditCounts")]
public sealed record AuditCounts(
    [property: Id(0)] long Total,
    [property: Id(1)] IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> ByEventAndOutcome)
{
    public const string Ok = "OK";

    public long Count(string eventName, string outcome = Ok) =>
        ByEventAndOutcome.TryGetValue(eventName, out var byOutcome) && byOutcome.TryGetValue(outcome, out var count) ? count : 0;
}
