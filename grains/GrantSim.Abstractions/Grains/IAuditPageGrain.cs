using GrantSim.Audit;

namespace GrantSim.Grains;

/// <summary>A bounded page of a trail, so that each append persists at most one page rather than the whole trail.</summary>
[Alias("GrantSim.IAuditPageGrain")]
public interface IAuditPageGrain : IGrainWithStringKey
{
    [Alias("Append")] Task<int> Append(IReadOnlyList<AuditEvent> events);
    [Alias("Read")] Task<IReadOnlyList<AuditEvent>> Read();
    [Alias("Count")] Task<int> Count();
}
