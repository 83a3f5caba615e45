namespace GrantSim.Client.Bench;

/// <summary>How long and how big the benchmark is. <see cref="Quick"/> is a smoke setting for tests, not for figures.</summary>
public sealed record BenchOptions
{
    public int Runs { get; init; } = 3;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(2);

    public int LayerMiB { get; init; } = 16;

    public int Layers { get; init; } = 4;

    public int Tenants { get; init; } = 10_000;

    public int Repositories { get; init; } = 100_000;

    /// <summary>Grants on the one key whose ListGrants is timed (two per repository, so half as many repositories use it).</summary>
    public int GrantsOnOneKey { get; init; } = 50_000;

    public IReadOnlySet<string> Parts { get; init; } = new HashSet<string>(BenchParts.All, StringComparer.Ordinal);

    /// <summary>A running silo's AWS endpoint, for the <see cref="BenchParts.Http"/> part.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>The process serving <see cref="Endpoint"/>, whose CPU time per call is read from /proc.</summary>
    public int? ServerPid { get; init; }

    public static BenchOptions Quick { get; } = new()
    {
        Runs = 1, Duration = TimeSpan.FromMilliseconds(200), LayerMiB = 1, Layers = 1, Tenants = 20, Repositories = 200, GrantsOnOneKey = 200,
    };
}

public static class BenchParts
{
    public const string Grain = "grain";
    public const string Kms = "kms";
    public const string Data = "data";
    public const string Scale = "scale";

    /// <summary>KMS through a running silo's AWS endpoint (HTTP + SigV4) with the AWS SDK for .NET; only when asked for.</summary>
    public const string Http = "http";

    /// <summary>The parts a plain <c>bench</c> runs: everything in the client's own embedded silo.</summary>
    public static IReadOnlyList<string> All { get; } = [Grain, Kms, Data, Scale];

    public static IReadOnlyList<string> Known { get; } = [.. All, Http];
}
