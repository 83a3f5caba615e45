namespace GrantSim.Client.Simulation;

/// <summary>How big a run is and where: tenants, operations, seed, regions (GovCloud among them by default).</summary>
public sealed record SimulationOptions
{
    public int Tenants { get; init; } = 3;

    public int Operations { get; init; } = 600;

    public int Seed { get; init; } = 42;

    /// <summary>The first tenant's account number; tenants are consecutive accounts from here.</summary>
    public long FirstAccount { get; init; } = 111122220001;

    public IReadOnlyList<string> Regions { get; init; } = [Aws.Regions.UsEast1, Aws.Regions.EuWest1, Aws.Regions.UsGovWest1];

    /// <summary>Repository names per account+region; few, so that names collide and are re-created.</summary>
    public int NamesPerRegion { get; init; } = 5;

    /// <summary>The operation kinds and their weights; null for <see cref="SimulationRunner.DefaultMix"/>.</summary>
    public IReadOnlyList<(string Kind, int Weight)>? Mix { get; init; }

    /// <summary>How calls are retried on transient errors; by default they are not.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.None;

    public void Validate()
    {
        if (Tenants is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(Tenants), Tenants, "--tenants must be between 1 and 10000.");
        }

        if (Operations is < 1 or > 10_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(Operations), Operations, "--operations must be between 1 and 10000000.");
        }

        if (Regions.Count == 0 || Regions.Any(r => !Aws.Regions.IsKnown(r)))
        {
            throw new ArgumentException($"Regions must be regions of the aws, aws-cn or aws-us-gov partitions ({Aws.Regions.Source}), e.g. us-east-1, eu-central-1, cn-north-1, us-gov-west-1.", nameof(Regions));
        }
    }
}
