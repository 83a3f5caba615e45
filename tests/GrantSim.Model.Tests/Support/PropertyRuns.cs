namespace GrantSim.Model.Tests.Support;

/// <summary>
/// How many cases, from which seed:
/// <list type="bullet">
/// <item><c>GRANTSIM_PROPERTY_CASES=N</c> multiplies every property's number of cases (default 1, the CI setting).</item>
/// <item><c>GRANTSIM_PROPERTY_SEED</c>: by default each property starts from a fixed seed, so CI runs the same
/// scenarios every time and a red build is never luck; <c>random</c> explores new ones, a number picks a seed.</item>
/// <item><c>GRANTSIM_PROPERTY_REPLAY="seed,gamma"</c> replays a run FsCheck printed (after "Falsifiable"), and
/// <c>"seed,gamma,size"</c> replays just the failing case it printed (after "Replay directly at failing step").</item>
/// </list>
/// </summary>
public static class PropertyRuns
{
    public const string CasesVariable = "GRANTSIM_PROPERTY_CASES";
    public const string SeedVariable = "GRANTSIM_PROPERTY_SEED";
    public const string ReplayVariable = "GRANTSIM_PROPERTY_REPLAY";

    private const ulong Gamma = 0x9E3779B97F4A7C15UL;

    public static int Cases(int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable(CasesVariable), out var factor) && factor > 0 ? ciDefault * factor : ciDefault;

    public static Config Config(int ciDefault, ulong fixedSeed)
    {
        var config = FsCheck.Config.QuickThrowOnFailure.WithMaxTest(Cases(ciDefault)).WithQuietOnSuccess(true);
        if (Environment.GetEnvironmentVariable(ReplayVariable) is { } replay)
        {
            var parts = replay.Trim('(', ')', ' ').Split(',', StringSplitOptions.TrimEntries).Select(p => ulong.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return parts.Length == 3
                ? config.WithReplay(new Replay(new Rnd(parts[0], parts[1]), (int)parts[2])).WithMaxTest(1)
                : config.WithReplay(new Replay(new Rnd(parts[0], parts[1]), null));
        }

        var seed = Environment.GetEnvironmentVariable(SeedVariable);
        if (string.Equals(seed, "random", StringComparison.OrdinalIgnoreCase))
        {
            return config;
        }

        var value = ulong.TryParse(seed, out var chosen) ? chosen : fixedSeed;
        return config.WithReplay(new Replay(new Rnd(value, Gamma), null));
    }
}
