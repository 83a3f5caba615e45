using GrantSim.Aws;

namespace GrantSim.Ecr;

/// <summary>
/// The settings a repository is created with and their changes (PutImageTagMutability,
/// PutImageScanningConfiguration, TagResource, UntagResource). Each change needs the repository active and
/// returns its next state, or throws the ECR exception, changing nothing. Pure.
/// </summary>
public static class RepositorySettingsRules
{
    /// <summary>
    /// A repository's settings. A state stored before repositories had settings is read back without them
    /// (the serializer does not run the property's initializer), and means ECR's defaults.
    /// </summary>
    public static RepositorySettings Of(RepositoryState state) => state.Settings ?? RepositorySettings.Default;

    /// <summary>Checks the settings of a CreateRepository (null means the defaults) and returns them normalised.</summary>
    public static RepositorySettings ValidateCreate(RepositorySettings? requested)
    {
        if (requested is null)
        {
            return RepositorySettings.Default;
        }

        var settings = TagMutability.With(RepositorySettings.Default with { ScanOnPush = requested.ScanOnPush },
            requested.ImageTagMutability, requested.ExclusionFilters.IsDefault ? [] : requested.ExclusionFilters);
        var tags = requested.ResourceTags ?? RepositoryResourceTags.Empty;
        return settings with
        {
            ResourceTags = RepositoryResourceTags.Apply(RepositoryResourceTags.Empty, tags.Select(t => new RepositoryTag(t.Key, t.Value)).ToArray()),
        };
    }

    public static RepositoryState PutImageTagMutability(RepositoryState state, string account, string name, ImageTagMutability mutability, IReadOnlyList<ImageTagMutabilityExclusionFilter>? filters)
    {
        RepositoryLifecycle.RequireActive(state, account, name);
        return state with { Settings = TagMutability.With(Of(state), mutability, filters) };
    }

    public static RepositoryState PutImageScanningConfiguration(RepositoryState state, string account, string name, bool scanOnPush)
    {
        RepositoryLifecycle.RequireActive(state, account, name);
        return state with { Settings = Of(state) with { ScanOnPush = scanOnPush } };
    }

    public static RepositoryState Tag(RepositoryState state, string account, string name, IReadOnlyList<RepositoryTag> tags)
    {
        RepositoryLifecycle.RequireActive(state, account, name);
        var settings = Of(state);
        return state with { Settings = settings with { ResourceTags = RepositoryResourceTags.Apply(settings.ResourceTags, tags) } };
    }

    public static RepositoryState Untag(RepositoryState state, string account, string name, IReadOnlyList<string> tagKeys)
    {
        RepositoryLifecycle.RequireActive(state, account, name);
        var settings = Of(state);
        return state with { Settings = settings with { ResourceTags = RepositoryResourceTags.Remove(settings.ResourceTags, tagKeys) } };
    }

    /// <summary>The tags a request names, for the trail (keys only: values are the caller's data).</summary>
    public static IReadOnlyList<string> TagKeys(IEnumerable<RepositoryTag> tags) => tags.Select(t => t.Key).ToArray();

    internal static AwsServiceException Validation(string message) => new(AwsErrorCodes.Validation, message);
}
