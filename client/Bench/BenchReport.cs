namespace GrantSim.Client.Bench;

/// <summary>Every figure of a benchmark run, the ratios to the ceilings measured in the same run, and the machine.</summary>
public sealed record BenchReport(
    DateTimeOffset StartedAt,
    string Machine,
    int Runs,
    IReadOnlyList<Figure> Figures,
    IReadOnlyList<Ratio> Ratios);
