using System.ComponentModel;
using System.Globalization;
using GrantSim.Client.Chaos;
using Spectre.Console;
using Spectre.Console.Cli;

namespace GrantSim.Client.Commands;

public sealed class ChaosSettings : TelemetrySettings
{
    [CommandOption("--scenario <NAME>")]
    [Description("A scenario by name, or all (the default). An unknown name is refused with the list of scenarios; docs/chaos.md says what each does.")]
    [DefaultValue(ScenarioCatalogue.All)]
    public string Scenario { get; init; } = ScenarioCatalogue.All;

    [CommandOption("--seed <N>")]
    [Description("Seed of every choice a scenario makes: the same seed replays the same operations and faults. Default 7.")]
    [DefaultValue(7)]
    public int Seed { get; init; } = 7;

    [CommandOption("--seeds <LIST>")]
    [Description("Sweep: run these seeds one after another, each as --seed N alone would (1..200, 5-9, or 1,4,7). Prints a row per seed and a summary; writes each failing seed's report under --report (default chaos-sweep).")]
    public string? Seeds { get; init; }

    [CommandOption("--runs <N>")]
    [Description("Sweep: run N seeds, from --seed upwards.")]
    public int? Runs { get; init; }

    [CommandOption("--tenants <N>")]
    [Description("Tenants (AWS accounts) per scenario, 1 to 50; each scenario has its own. Default 3.")]
    [DefaultValue(3)]
    public int Tenants { get; init; } = 3;

    [CommandOption("--operations <N>")]
    [Description("Operations per scenario (at least 20). Default 240.")]
    [DefaultValue(240)]
    public int Operations { get; init; } = 240;

    [CommandOption("--duration <TIME>")]
    [Description("Run each scenario for this long instead of a number of operations: 90s, 5m, 1h. Not replayable operation for operation.")]
    public string? Duration { get; init; }

    [CommandOption("--report <DIR>")]
    [Description("Write report.json (every figure) and report.html (charts, for a browser) to DIR.")]
    public string? Report { get; init; }

    [CommandOption("--cluster")]
    [Description("Run against a running cluster (GrantSim section of appsettings.json or GrantSim__... variables; silo-crash also needs GrantSim__SiloControl__...). Default: three embedded silos.")]
    public bool Cluster { get; init; }

    [CommandOption("--backoff-ms <N>")]
    [Description("Base of the SDK-style retry backoff in kms-throttle, in milliseconds. Default 20.")]
    [DefaultValue(20)]
    public int BackoffMilliseconds { get; init; } = 20;

    [CommandOption("--first-account <N>")]
    [Description("The first account number (12 digits); scenario i uses 50 accounts from here + 50·i. Default 222233330001.")]
    [DefaultValue(222233330001L)]
    public long FirstAccount { get; init; } = 222233330001;

    public override ValidationResult Validate()
    {
        if (!ScenarioCatalogue.Names.Contains(Scenario))
        {
            return ValidationResult.Error($"There is no scenario '{Scenario}'. Scenarios: {string.Join(", ", ScenarioCatalogue.Names)}.");
        }

        if (Seeds is not null && ChaosSweep.ParseSeeds(Seeds) is null)
        {
            return ValidationResult.Error($"--seeds '{Seeds}' is not a list of seeds: use 1..200, 5-9 or 1,4,7.");
        }

        if (Runs is < 1 or > 1_000_000)
        {
            return ValidationResult.Error("--runs must be between 1 and 1000000.");
        }

        if (Seeds is not null && Runs is not null)
        {
            return ValidationResult.Error("Give --seeds or --runs, not both.");
        }

        if (IsSweep && Cluster)
        {
            return ValidationResult.Error("A sweep runs each seed on fresh embedded silos, so that any failure replays from its seed alone; against a cluster, run one seed at a time.");
        }

        if (Duration is not null && ParseDuration(Duration) is null)
        {
            return ValidationResult.Error($"--duration '{Duration}' is not a duration: use a number with s, m or h (90s, 5m, 1h).");
        }

        try
        {
            ToOptions().Validate();
        }
        catch (ArgumentException error)
        {
            return ValidationResult.Error(error.Message.Split(" (Parameter", 2)[0]);
        }

        return BackoffMilliseconds is < 0 or > 20_000
            ? ValidationResult.Error("--backoff-ms must be between 0 and 20000.")
            : ValidationResult.Success();
    }

    public bool IsSweep => Seeds is not null || Runs is not null;

    /// <summary>The seeds of a sweep: --seeds, or --runs seeds from --seed.</summary>
    public IReadOnlyList<int> SweepSeeds() => Seeds is { } list ? ChaosSweep.ParseSeeds(list)! : Enumerable.Range(Seed, Runs ?? 1).ToArray();

    public ChaosOptions ToOptions() => new()
    {
        Seed = Seed,
        Tenants = Tenants,
        Operations = Operations,
        Duration = Duration is null ? null : ParseDuration(Duration),
        BackoffBase = TimeSpan.FromMilliseconds(BackoffMilliseconds),
        FirstAccount = FirstAccount,
    };

    public static TimeSpan? ParseDuration(string text)
    {
        text = text.Trim();
        if (text.Length < 2 || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return null;
        }

        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            _ => null,
        };
    }
}
