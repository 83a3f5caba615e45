using GrantSim.Audit;

namespace GrantSim.Grains;

/// <summary>The audit trail of one account+region, keyed <c>account/region</c>. Appends assign the sequence numbers.</summary>
[Alias("GrantSim.IAuditTrailGrain")]
public interface IAuditTrailGrain : IGrainWithStringKey
{
    [Alias("Append")] Task Append(IReadOnlyList<AuditEvent> events);
    [Alias("Query")] Task<IReadOnlyList<AuditEvent>> Query(AuditQuery query);
    [Alias("Count")] Task<AuditCounts> Count();
}
