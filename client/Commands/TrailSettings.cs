using System.ComponentModel;
using GrantSim.Aws;
using GrantSim.Client.Demo;
using Spectre.Console;
using Spectre.Console.Cli;

namespace GrantSim.Client.Commands;

public sealed class TrailSettings : TelemetrySettings
{
    [CommandOption("--account <ID>")]
    [Description("The account whose trail to print. Default the demo's, 111122223333.")]
    [DefaultValue(DemoSession.DefaultAccount)]
    public string Account { get; init; } = DemoSession.DefaultAccount;

    [CommandOption("--region <REGION>")]
    [Description("The region of the trail. Default us-west-2.")]
    [DefaultValue(Regions.UsWest2)]
    public string Region { get; init; } = Regions.UsWest2;

    [CommandOption("--repository <NAME>")]
    [Description("Only events about this repository (its ARN in the call, the encryption context or a grant's constraint).")]
    public string? Repository { get; init; }

    [CommandOption("--key <KEY>")]
    [Description("Only events on this key (key id or key ARN).")]
    public string? Key { get; init; }

    [CommandOption("--event <NAME>")]
    [Description("Only events of this name (CreateGrant, Decrypt, RetireGrant, CreateRepository...).")]
    public string? Event { get; init; }

    [CommandOption("--errors")]
    [Description("Only calls that failed.")]
    public bool ErrorsOnly { get; init; }

    [CommandOption("--json")]
    [Description("Print the events as JSON instead of a table.")]
    public bool Json { get; init; }

    [CommandOption("--cluster")]
    [Description("Read the trail of a running cluster. Without it, the demo's lessons run quietly on an embedded silo first, so that there is a trail to read.")]
    public bool Cluster { get; init; }

    public override ValidationResult Validate() =>
        !AccountId.IsValid(Account) ? ValidationResult.Error($"--account '{Account}' is not a 12-digit account id.")
        : !Regions.IsKnown(Region) ? ValidationResult.Error($"--region '{Region}' is not a region of the aws, aws-cn or aws-us-gov partitions, e.g. us-east-1, eu-central-1, cn-north-1, us-gov-west-1.")
        : Key is { } key && key.StartsWith("arn:", StringComparison.Ordinal) && !Arn.TryParse(key, out _) ? ValidationResult.Error($"--key '{key}' is not an ARN.")
        : ValidationResult.Success();
}
