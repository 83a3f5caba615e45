namespace GrantSim.Client.Histories;

/// <summary>The linearizability check of one object's history: how many operations, how many with no answer, and the verdict.</summary>
public sealed record HistoryVerdict(string Partition, int Operations, int Unknown, LinearizabilityVerdict Verdict);
