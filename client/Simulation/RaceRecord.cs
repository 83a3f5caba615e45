namespace GrantSim.Client.Simulation;

/// <summary>Operations run at the same time on one repository name, and how each ended.</summary>
public sealed record RaceRecord(string Account, string Region, string RepositoryName, string Kind, IReadOnlyList<string> Outcomes);
