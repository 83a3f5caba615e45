using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace GrantSim.Client.Commands;

public sealed class SimulateSettings : TelemetrySettings
{
    [CommandOption("--tenants <N>")]
    [Description("Number of tenants (AWS accounts). Default 3.")]
    [DefaultValue(3)]
    public int Tenants { get; init; } = 3;

    [CommandOption("--operations <N>")]
    [Description("Number of operations to run. Default 600.")]
    [DefaultValue(600)]
    public int Operations { get; init; } = 600;

    [CommandOption("--seed <N>")]
    [Description("Seed of the random mix: the same seed makes the same run. Default 42.")]
    [DefaultValue(42)]
    public int Seed { get; init; } = 42;

    [CommandOption("--cluster")]
    [Description("Run against a running cluster (configured by the GrantSim section of appsettings.json or GrantSim__... environment variables) instead of an embedded silo.")]
    public bool Cluster { get; init; }

    [CommandOption("--first-account <N>")]
    [Description("The first tenant's account number (12 digits); tenants are consecutive accounts from here. Default 111122220001.")]
    [DefaultValue(111122220001L)]
    public long FirstAccount { get; init; } = 111122220001;

    [CommandOption("--json <FILE>")]
    [Description("Also write the summary as JSON to FILE.")]
    public string? Json { get; init; }

    public override ValidationResult Validate() =>
        Tenants is < 1 or > 10_000 ? ValidationResult.Error("--tenants must be between 1 and 10000")
        : Operations is < 1 or > 10_000_000 ? ValidationResult.Error("--operations must be between 1 and 10000000")
        : ValidationResult.Success();
}
