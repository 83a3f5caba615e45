using GrantSim.Audit;
using GrantSim.Identity;

namespace GrantSim.Ecr;

/// <summary>
/// Repository settings: resource tags, image tag mutability and the repository-level scan-on-push flag.
/// Each change is authorized as its own ECR action, decided by <see cref="RepositorySettingsRules"/>,
/// persisted, and recorded in the trail.
/// </summary>
public sealed partial class RepositoryGrain
{
    public Task TagResource(CallerIdentity caller, IReadOnlyList<RepositoryTag> tags) =>
        ChangeSettings(caller, EcrOperations.TagResource, new AuditRequestParameters { RepositoryName = _name, TagKeys = RepositorySettingsRules.TagKeys(tags) },
            () => RepositorySettingsRules.Tag(Repository, _account, _name, tags));

    public Task UntagResource(CallerIdentity caller, IReadOnlyList<string> tagKeys) =>
        ChangeSettings(caller, EcrOperations.UntagResource, new AuditRequestParameters { RepositoryName = _name, TagKeys = tagKeys },
            () => RepositorySettingsRules.Untag(Repository, _account, _name, tagKeys));

    public Task<IReadOnlyList<RepositoryTag>> ListTagsForResource(CallerIdentity caller) =>
        ActiveOperation(caller, EcrOperations.ListTagsForResource, () => Task.FromResult<IReadOnlyList<RepositoryTag>>(
            RepositorySettingsRules.Of(Repository).ResourceTags.Select(t => new RepositoryTag(t.Key, t.Value)).ToArray()));

    public Task<RepositoryDescription> PutImageTagMutability(CallerIdentity caller, ImageTagMutability mutability, IReadOnlyList<ImageTagMutabilityExclusionFilter>? exclusionFilters) =>
        ChangeSettings(caller, EcrOperations.PutImageTagMutability, new AuditRequestParameters { RepositoryName = _name },
            () => RepositorySettingsRules.PutImageTagMutability(Repository, _account, _name, mutability, exclusionFilters));

    public Task<RepositoryDescription> PutImageScanningConfiguration(CallerIdentity caller, bool scanOnPush) =>
        ChangeSettings(caller, EcrOperations.PutImageScanningConfiguration, new AuditRequestParameters { RepositoryName = _name },
            () => RepositorySettingsRules.PutImageScanningConfiguration(Repository, _account, _name, scanOnPush));

    public Task<RepositoryDescription> DescribeScanning(CallerIdentity caller) =>
        ActiveOperation(caller, EcrOperations.BatchGetRepositoryScanningConfiguration, () => Task.FromResult(Describe()));

    /// <summary>
    /// A create with settings: tags at creation also need ecr:TagResource (the ECR User Guide's tag-on-create
    /// authorization), and the settings are checked before anything is stored.
    /// </summary>
    private async Task<RepositorySettings> AuthorizeCreateSettings(CallerIdentity caller, RepositorySettings? requested)
    {
        var settings = RepositorySettingsRules.ValidateCreate(requested);
        if (settings.ResourceTags.Count > 0)
        {
            await Authorize(caller, EcrOperations.TagResource);
        }

        return settings;
    }

    private async Task<RepositoryDescription> ChangeSettings(CallerIdentity caller, string operation, AuditRequestParameters parameters, Func<RepositoryState> change) =>
        await Audited(caller, operation, parameters, () => ActiveOperation(caller, operation, async () =>
        {
            await Save(change());
            return Describe();
        }));
}
