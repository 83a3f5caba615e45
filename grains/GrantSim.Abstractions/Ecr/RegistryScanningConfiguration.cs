using System.Collections.Immutable;

namespace GrantSim.Ecr;

/// <summary>ECR's ScanningRepositoryFilter: a wildcard pattern over repository names.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.ScanningRepositoryFilter")]
public sealed record ScanningRepositoryFilter([property: Id(0)] string Filter, [property: Id(1)] string FilterType);

/// <summary>ECR's RegistryScanningRule: a scan frequency for the repositories its filters match.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.RegistryScanningRule")]
public sealed record RegistryScanningRule(
    [property: Id(0)] string ScanFrequency,
    [property: Id(1)] ImmutableArray<ScanningRepositoryFilter> RepositoryFilters);

/// <summary>
/// A registry's scanning configuration (PutRegistryScanningConfiguration). Stored and reported only:
/// GrantSim scans nothing (docs/spec.md).
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.RegistryScanningConfiguration")]
public sealed record RegistryScanningConfiguration(
    [property: Id(0)] string ScanType,
    [property: Id(1)] ImmutableArray<RegistryScanningRule> Rules)
{
    public const string Basic = "BASIC";
    public const string Enhanced = "ENHANCED";
    public const string ScanOnPush = "SCAN_ON_PUSH";
    public const string ContinuousScan = "CONTINUOUS_SCAN";
    public const string Manual = "MANUAL";

    /// <summary>What a registry that was never configured has: basic scanning, no rules.</summary>
    public static RegistryScanningConfiguration Default { get; } = new(Basic, []);
}

/// <summary>ECR's RepositoryScanningConfiguration: what BatchGetRepositoryScanningConfiguration reports for one repository.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.RepositoryScanningConfiguration")]
public sealed record RepositoryScanningConfiguration(
    [property: Id(0)] string RepositoryArn,
    [property: Id(1)] string RepositoryName,
    [property: Id(2)] bool ScanOnPush,
    [property: Id(3)] string ScanFrequency,
    [property: Id(4)] ImmutableArray<ScanningRepositoryFilter> AppliedScanFilters);
