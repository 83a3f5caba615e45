namespace GrantSim.Ecr;

/// <summary>
/// A registry's managed-signing configuration (PutSigningConfiguration): rules, each naming an AWS Signer signing
/// profile and, optionally, the repositories (WILDCARD_MATCH filters) whose pushed images it signs.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.SigningConfiguration")]
public sealed record SigningConfiguration([property: Id(0)] IReadOnlyList<SigningRule> Rules);

/// <summary>One signing rule: a signing profile and the repository filters it applies to (none: every repository).</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.SigningRule")]
public sealed record SigningRule(
    [property: Id(0)] string SigningProfileArn,
    [property: Id(1)] IReadOnlyList<SigningRepositoryFilter> RepositoryFilters);

[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.SigningRepositoryFilter")]
public sealed record SigningRepositoryFilter([property: Id(0)] string Filter, [property: Id(1)] string FilterType);

/// <summary>An image's signing status for one signing profile (DescribeImageSigningStatus).</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.ImageSigningStatus")]
public sealed record ImageSigningStatus(
    [property: Id(0)] string SigningProfileArn,
    [property: Id(1)] string Status,
    [property: Id(2)] string? FailureCode,
    [property: Id(3)] string? FailureReason);

/// <summary>A manifest whose <c>subject</c> names another image (ListImageReferrers, the registry's referrers API).</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.ImageReferrer")]
public sealed record ImageReferrer(
    [property: Id(0)] string Digest,
    [property: Id(1)] string MediaType,
    [property: Id(2)] string? ArtifactType,
    [property: Id(3)] long Size,
    [property: Id(4)] IReadOnlyDictionary<string, string> Annotations,
    [property: Id(5)] string ArtifactStatus);
