namespace GrantSim.Model.Tests.Support;

/// <summary>
/// The scale knob and replay: <c>GRANTSIM_PROPERTY_CASES</c> multiplies every property's number
/// of cases (default 1 = the CI setting; 500 runs tens of thousands of cases), and
/// <c>GRANTSIM_PROPERTY_REPLAY="seed,gamma"</c> replays the run FsCheck printed.
/// </summary>
public static class PropertyRuns
{
    public const string CasesVariable = "GRANTSIM_PROPERTY_CASES";
    public const string ReplayVariable = "GRANTSIM_PROPERTY_REPLAY";

    public static int Cases(int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable(CasesVariable), out var factor) && factor > 0 ? ciDefault * factor : ciDefault;

    public static Config Config(int ciDefault)
    {
        var config = FsCheck.Config.QuickThrowOnFailure.WithMaxTest(Cases(ciDefault)).WithQuietOnSuccess(true);
        var replay = Environment.GetEnvironmentVariable(ReplayVariable);
        if (replay is not null)
        {
            var parts = replay.Trim('(', ')', ' ').Split(',', StringSplitOptions.TrimEntries);
            var seed = ulong.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            var gamma = ulong.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            config = config.WithReplay(new Replay(new Rnd(seed, gamma), null)).WithMaxTest(1);
        }

        return config;
    }
}
