using System.ComponentModel;
using GrantSim.Client.Bench;
using Spectre.Console;
using Spectre.Console.Cli;

namespace GrantSim.Client.Commands;

public sealed class BenchSettings : CommandSettings
{
    [CommandOption("--part <NAMES>")]
    [Description("Comma-separated parts to run: grain, kms, data, scale, http. Default all but http (which needs --endpoint).")]
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

    [CommandOption("--endpoint <URL>")]
    [Description("A running silo's AWS endpoint, for the http part (e.g. http://127.0.0.1:4566).")]
    public string? Endpoint { get; init; }

    [CommandOption("--server-pid <PID>")]
    [Description("The silo's process id, for its CPU time per call in the http part (from /proc).")]
    public int? ServerPid { get; init; }

    [CommandOption("--json <FILE>")]
    [Description("Also write every figure and ratio as JSON to FILE.")]
    public string? Json { get; init; }

    public override ValidationResult Validate()
    {
        var unknown = PartNames().Where(p => !BenchParts.Known.Contains(p)).ToArray();
        return unknown.Length > 0 ? ValidationResult.Error($"Unknown part(s) {string.Join(", ", unknown)}: use {string.Join(", ", BenchParts.Known)}.")
            : PartNames().Contains(BenchParts.Http) && !Uri.TryCreate(Endpoint, UriKind.Absolute, out _) ? ValidationResult.Error("The http part needs --endpoint, the silo's AWS endpoint (e.g. http://127.0.0.1:4566).")
            : ServerPid is <= 0 ? ValidationResult.Error("--server-pid must be a process id.")
            : Runs is < 1 or > 50 ? ValidationResult.Error("--runs must be between 1 and 50.")
            : Seconds is < 0.1 or > 600 ? ValidationResult.Error("--seconds must be between 0.1 and 600.")
            : Tenants < 2 || Repositories < Tenants ? ValidationResult.Error("--tenants must be at least 2 and --repositories at least --tenants.")
            : ValidationResult.Success();
    }

    public BenchOptions ToOptions()
    {
        var parts = new HashSet<string>(PartNames().DefaultIfEmpty().Any(p => p is not null) ? PartNames() : BenchParts.All, StringComparer.Ordinal);
        var endpoint = Endpoint is null ? null : new Uri(Endpoint);
        return Quick
            ? BenchOptions.Quick with { Parts = parts, Endpoint = endpoint, ServerPid = ServerPid }
            : new BenchOptions
            {
                Runs = Runs, Duration = TimeSpan.FromSeconds(Seconds), Tenants = Tenants, Repositories = Repositories,
                GrantsOnOneKey = Math.Min(50_000, Repositories), Parts = parts, Endpoint = endpoint, ServerPid = ServerPid,
            };
    }

    private IEnumerable<string> PartNames() => (Parts ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
