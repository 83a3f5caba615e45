namespace GrantSim.Client.Chaos.Reports;

/// <summary>Everything a chaos run measured and checked: what <c>report.json</c> holds and <c>report.html</c> draws.</summary>
public sealed record ChaosReport(
    int Seed,
    string Target,
    DateTimeOffset StartedAt,
    double ElapsedSeconds,
    IReadOnlyList<ScenarioReport> Scenarios)
{
    public bool Passed => Scenarios.All(s => s.Passed);
}
