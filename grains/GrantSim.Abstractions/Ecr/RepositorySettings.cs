using System.Collections.Immutable;

namespace GrantSim.Ecr;

/// <summary>
/// What a repository's owner sets on it besides its encryption: image tag mutability with its exclusion
/// filters, the repository-level scan-on-push flag, and the resource tags (TagResource). Stored with the
/// repository, reported by DescribeRepositories and ListTagsForResource.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.RepositorySettings")]
public sealed record RepositorySettings
{
    public static RepositorySettings Default { get; } = new();

    [Id(0)] public ImageTagMutability ImageTagMutability { get; init; } = ImageTagMutability.Mutable;

    /// <summary>Empty unless <see cref="ImageTagMutability"/> is one of the "with exclusion" settings.</summary>
    [Id(1)] public ImmutableArray<ImageTagMutabilityExclusionFilter> ExclusionFilters { get; init; } = [];

    [Id(2)] public bool ScanOnPush { get; init; }

    /// <summary>Resource tags by key (keys are case-sensitive).</summary>
    [Id(3)] public ImmutableSortedDictionary<string, string> ResourceTags { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
}
