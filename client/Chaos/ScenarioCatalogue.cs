using GrantSim.Client.Chaos.Scenarios;

namespace GrantSim.Client.Chaos;

/// <summary>Every chaos scenario, in the order <c>all</c> runs them. A scenario's place here also picks its block of accounts, so it must only grow at the end.</summary>
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

    /// <summary>The scenarios a <c>--scenario</c> value names, with their places in the catalogue.</summary>
    public static IReadOnlyList<(int Index, ChaosScenario Scenario)> Select(string name)
    {
        if (name == All)
        {
            return Scenarios.Select((s, i) => (i, s)).ToArray();
        }

        var index = Scenarios.ToList().FindIndex(s => s.Name == name);
        return index < 0
            ? throw new ArgumentException($"There is no scenario '{name}'. Scenarios: {string.Join(", ", Names)}.", nameof(name))
            : [(index, Scenarios[index])];
    }
}
