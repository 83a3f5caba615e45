namespace GrantSim.Client.Chaos;

/// <summary>
/// How big each scenario is and how it is seeded. A scenario runs <see cref="Operations"/>
/// operations, or for <see cref="Duration"/> when that is set (a duration-bound run is not
/// replayable operation for operation: how far it gets depends on the machine).
/// </summary>
public sealed record ChaosOptions
{
    public int Seed { get; init; } = 7;

    public int Tenants { get; init; } = 3;

    public int Operations { get; init; } = 240;

    public TimeSpan? Duration { get; init; }

    /// <summary>The base of the SDK-style backoff when a scenario retries (kms-throttle).</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The first account; each scenario takes its own block of accounts from here, by its place in the catalogue.</summary>
    public long FirstAccount { get; init; } = 222233330001;

    public const int MaxTenants = 50;

    public void Validate()
    {
        if (Tenants is < 1 or > MaxTenants)
        {
            throw new ArgumentOutOfRangeException(nameof(Tenants), Tenants, $"--tenants must be between 1 and {MaxTenants}.");
        }

        if (Operations is < 20 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(Operations), Operations, "--operations must be between 20 and 1000000.");
        }

        if (Duration is { } duration && (duration < TimeSpan.FromSeconds(1) || duration > TimeSpan.FromHours(24)))
        {
            throw new ArgumentOutOfRangeException(nameof(Duration), duration, "--duration must be between 1 second and 24 hours.");
        }
    }

    /// <summary>The first account of a scenario's block (<see cref="ChaosScenario.AccountBlock"/>): blocks of <see cref="MaxTenants"/>, so that scenarios never share a tenant.</summary>
    public long FirstAccountOf(ChaosScenario scenario) => FirstAccount + ((long)scenario.AccountBlock * MaxTenants);
}
