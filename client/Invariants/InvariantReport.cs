namespace GrantSim.Client.Invariants;

public sealed record InvariantReport(IReadOnlyList<InvariantResult> Results)
{
    public bool AllHeld => Results.All(r => r.Held);
}
