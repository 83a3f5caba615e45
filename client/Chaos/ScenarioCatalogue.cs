using GrantSim.Client.Chaos.Scenarios;

namespace GrantSim.Client.Chaos;

/// <summary>Every chaos scenario, in the order <c>all</c> runs them (each declares its own block of accounts, <see cref="ChaosScenario.AccountBlock"/>).</summary>
public static class ScenarioCatalogue
{
    public const string All = "all";

    public static IReadOnlyList<ChaosScenario> Scenarios { get; } =
    [
        new SiloCrashScenario(),
        new KmsThrottleScenario(),
        new KmsOutageScenario(),
        new RevokeStormScenario(),
        new RetireDeniedScenario(),
        new KeyDeletionScenario(),
        new PropagationScenario(),
    ];

    public static IEnumerable<string> Names => Scenarios.Select(s => s.Name).Append(All);

    /// <summary>The scenarios a <c>--scenario</c> value names.</summary>
    public static IReadOnlyList<ChaosScenario> Select(string name) =>
        name == All
            ? Scenarios
            : Scenarios.Where(s => s.Name == name).ToArray() is [_] one
                ? one
                : throw new ArgumentException($"There is no scenario '{name}'. Scenarios: {string.Join(", ", Names)}.", nameof(name));
}
