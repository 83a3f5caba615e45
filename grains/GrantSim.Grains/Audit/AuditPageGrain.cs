using GrantSim.Audit;
using GrantSim.Grains;
using GrantSim.Hosting;

namespace GrantSim.Audit;

[GenerateSerializer, Alias("GrantSim.Audit.AuditPageState")]
public sealed class AuditPageState
{
    [Id(0)] public List<AuditEvent> Events { get; set; } = [];
}

public sealed class AuditPageGrain(
    [PersistentState("audit-page", StorageNames.Default)] IPersistentState<AuditPageState> state) : Grain, IAuditPageGrain
{
    public async Task<int> Append(IReadOnlyList<AuditEvent> events)
    {
        state.State.Events.AddRange(events);
        await state.WriteStateAsync();
        return state.State.Events.Count;
    }

    public Task<IReadOnlyList<AuditEvent>> Read() => Task.FromResult<IReadOnlyList<AuditEvent>>(state.State.Events.ToArray());

    public Task<int> Count() => Task.FromResult(state.State.Events.Count);
}
