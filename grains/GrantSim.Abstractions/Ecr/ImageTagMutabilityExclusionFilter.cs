namespace GrantSim.Ecr;

/// <summary>ECR's ImageTagMutabilityExclusionFilter: <see cref="Filter"/> is a wildcard pattern (<c>*</c> matches any run of characters) over whole tags.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.ImageTagMutabilityExclusionFilter")]
public sealed record ImageTagMutabilityExclusionFilter(
    [property: Id(0)] string FilterType,
    [property: Id(1)] string Filter);
