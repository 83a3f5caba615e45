using GrantSim.Aws;

namespace GrantSim.Ecr;

/// <summary>
/// Which image tags a repository lets move to another image. MUTABLE: every tag; IMMUTABLE: none;
/// IMMUTABLE_WITH_EXCLUSION: only the tags an exclusion filter matches; MUTABLE_WITH_EXCLUSION: every tag
/// but those an exclusion filter matches. Immutability stops a tag from <em>moving</em>: a new tag, the same
/// manifest again (ECR's ImageAlreadyExistsException, decided before this), and deleting an image are
/// all still allowed. Pure.
/// </summary>
public static class TagMutability
{
    public static bool IsImmutable(RepositorySettings settings, string tag)
    {
        var excluded = settings.ExclusionFilters.Any(f => Wildcards.Matches(f.Filter, tag));
        return settings.ImageTagMutability switch
        {
            ImageTagMutability.Mutable => false,
            ImageTagMutability.Immutable => true,
            ImageTagMutability.ImmutableWithExclusion => !excluded,
            ImageTagMutability.MutableWithExclusion => excluded,
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.ImageTagMutability, null),
        };
    }

    /// <summary>Refuses a push that would move an immutable tag from the image it names to <paramref name="manifestDigest"/>.</summary>
    public static void RequireTagMayMove(RepositoryState state, string repositoryName, string manifestDigest, string? tag)
    {
        if (tag is not null && state.Tags.TryGetValue(tag, out var current) && current != manifestDigest
            && IsImmutable(RepositorySettingsRules.Of(state), tag))
        {
            throw new AwsServiceException(AwsErrorCodes.ImageTagAlreadyExists,
                $"The image tag '{tag}' already exists in the '{repositoryName}' repository and cannot be overwritten because the repository is immutable.");
        }
    }

    /// <summary>
    /// Checks a mutability setting with its filters: the two "with exclusion" settings need at least one
    /// filter, MUTABLE and IMMUTABLE take none (a filter would be silently meaningless). Lengths, counts and
    /// the filter pattern are the model's (checked on the wire before this).
    /// </summary>
    public static RepositorySettings With(RepositorySettings settings, ImageTagMutability mutability, IReadOnlyList<ImageTagMutabilityExclusionFilter>? filters)
    {
        if (!Enum.IsDefined(mutability))
        {
            throw InvalidParameter("imageTagMutability", "must be one of MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION");
        }

        filters ??= [];
        if (mutability.HasExclusions() && filters.Count == 0)
        {
            throw InvalidParameter("imageTagMutabilityExclusionFilters", $"at least one exclusion filter is required with imageTagMutability {mutability.ToWire()}");
        }

        if (!mutability.HasExclusions() && filters.Count > 0)
        {
            throw InvalidParameter("imageTagMutabilityExclusionFilters",
                $"exclusion filters are only allowed with {ImageTagMutabilities.ImmutableWithExclusion} or {ImageTagMutabilities.MutableWithExclusion}, not {mutability.ToWire()}");
        }

        if (filters.FirstOrDefault(f => f.FilterType != ImageTagMutabilities.Wildcard) is { } wrong)
        {
            throw InvalidParameter("imageTagMutabilityExclusionFilters.filterType", $"'{wrong.FilterType}' is not {ImageTagMutabilities.Wildcard}");
        }

        return settings with { ImageTagMutability = mutability, ExclusionFilters = [.. filters] };
    }

    private static AwsServiceException InvalidParameter(string field, string why) =>
        new(AwsErrorCodes.InvalidParameter, $"Invalid parameter at '{field}' failed to satisfy constraint: '{why}'");
}
