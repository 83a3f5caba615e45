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

    // By value: immutable collections compare by reference, and two copies of the same settings
    // (one read back from storage or off the wire) must be equal, as the descriptions holding them are.
    public bool Equals(RepositorySettings? other) =>
        other is not null
        && ImageTagMutability == other.ImageTagMutability
        && ScanOnPush == other.ScanOnPush
        && ExclusionFilters.AsSpan().SequenceEqual(other.ExclusionFilters.AsSpan())
        && ResourceTags.Count == other.ResourceTags.Count
        && ResourceTags.All(t => other.ResourceTags.TryGetValue(t.Key, out var value) && value == t.Value);

    public override int GetHashCode() => HashCode.Combine(ImageTagMutability, ScanOnPush, ExclusionFilters.IsDefault ? 0 : ExclusionFilters.Length, ResourceTags.Count);
}
