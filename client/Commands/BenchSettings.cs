using System.ComponentModel;
using GrantSim.Client.Bench;
using Spectre.Console;
using Spectre.Console.Cli;

namespace GrantSim.Client.Commands;

public sealed class BenchSettings : CommandSettings
{
    [CommandOption("--part <NAMES>")]
    [Description("Comma-separated parts to run: grain, kms, data, scale. Default all.")]
    public string? Parts { get; init; }

    [CommandOption("--runs <N>")]
    [Description("Runs per figure; the median and the spread are reported. Default 3.")]
    [DefaultValue(3)]
    public int Runs { get; init; } = 3;

    [CommandOption("--seconds <N>")]
    [Description("Seconds per throughput measurement. Default 2.")]
    [DefaultValue(2.0)]
    public double Seconds { get; init; } = 2;

    [CommandOption("--tenants <N>")]
    [Description("Tenants of the scale part. Default 10000.")]
    [DefaultValue(10_000)]
    public int Tenants { get; init; } = 10_000;

    [CommandOption("--repositories <N>")]
    [Description("Repositories of the scale part (two grants each). Default 100000.")]
    [DefaultValue(100_000)]
    public int Repositories { get; init; } = 100_000;

    [CommandOption("--quick")]
    [Description("A smoke setting (tiny sizes, one short run): checks the benchmark works; its figures mean nothing.")]
    public bool Quick { get; init; }

    [CommandOption("--json <FILE>")]
    [Description("Also write every figure and ratio as JSON to FILE.")]
    public string? Json { get; init; }

    public override ValidationResult Validate()
    {
        var unknown = PartNames().Where(p => !BenchParts.All.Contains(p)).ToArray();
        return unknown.Length > 0 ? ValidationResult.Error($"Unknown part(s) {string.Join(", ", unknown)}: use {string.Join(", ", BenchParts.All)}.")
            : Runs is < 1 or > 50 ? ValidationResult.Error("--runs must be between 1 and 50.")
            : Seconds is < 0.1 or > 600 ? ValidationResult.Error("--seconds must be between 0.1 and 600.")
            : Tenants < 2 || Repositories < Tenants ? ValidationResult.Error("--tenants must be at least 2 and --repositories at least --tenants.")
            : ValidationResult.Success();
    }

    public BenchOptions ToOptions()
    {
        var parts = new HashSet<string>(PartNames().DefaultIfEmpty().Any(p => p is not null) ? PartNames() : BenchParts.All, StringComparer.Ordinal);
        return Quick
            ? BenchOptions.Quick with { Parts = parts }
            : new BenchOptions
            {
                Runs = Runs, Duration = TimeSpan.FromSeconds(Seconds), Tenants = Tenants, Repositories = Repositories,
                GrantsOnOneKey = Math.Min(50_000, Repositories), Parts = parts,
            };
    }

    private IEnumerable<string> PartNames() => (Parts ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
