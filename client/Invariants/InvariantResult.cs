namespace GrantSim.Client.Invariants;

/// <summary>One invariant of SPEC §7 checked: held or not, how many things were checked, and what broke it.</summary>
public sealed record InvariantResult(int Number, string Name, bool Held, int Checked, IReadOnlyList<string> Violations);
