using System.Collections.Immutable;
using GrantSim.Aws;

namespace GrantSim.Ecr;

/// <summary>
/// Repository creation templates: what Create/UpdateRepositoryCreationTemplate accept beyond the service model, and
/// which template a repository ECR creates takes (the longest prefix whose namespace holds its name, else <c>ROOT</c>).
/// </summary>
public static class CreationTemplates
{
    /// <summary>Templates per registry (GrantSim's bound: AWS documents none; LimitExceededException past it).</summary>
    public const int MaxTemplates = 100;

    public static IReadOnlyList<string> AppliedForValues { get; } =
        [RepositoryCreationTemplate.Replication, RepositoryCreationTemplate.PullThroughCache, RepositoryCreationTemplate.CreateOnPush];

    /// <summary>A prefix always ends with an assumed '/': <c>prod</c> and <c>prod/</c> are one template's prefix.</summary>
    public static string Normalize(string prefix) => prefix == RepositoryCreationTemplate.Root ? prefix : prefix.TrimEnd('/');

    /// <summary>Whether a template's prefix takes in a repository name: <c>ROOT</c> every name, <c>prod</c> the names under <c>prod/</c>.</summary>
    public static bool Covers(string prefix, string repositoryName)
    {
        var normalized = Normalize(prefix);
        return normalized == RepositoryCreationTemplate.Root
            || repositoryName.StartsWith(normalized + "/", StringComparison.Ordinal);
    }

    /// <summary>
    /// The template a repository created for <paramref name="appliedFor"/> takes: of the templates that apply to that kind of
    /// creation, the one with the longest prefix covering the name; <c>ROOT</c> only when no prefix does; null when none applies.
    /// </summary>
    public static RepositoryCreationTemplate? Match(IEnumerable<RepositoryCreationTemplate> templates, string repositoryName, string appliedFor) =>
        templates
            .Where(t => t.AppliedFor.Contains(appliedFor) && Covers(t.Prefix, repositoryName))
            .OrderByDescending(t => Normalize(t.Prefix) == RepositoryCreationTemplate.Root ? -1 : Normalize(t.Prefix).Length)
            .FirstOrDefault();

    /// <summary>A new template from a create request, checked; the registry's templates decide whether it already exists or is one too many.</summary>
    public static RepositoryCreationTemplate Create(ImmutableArray<RepositoryCreationTemplate> existing, RepositoryCreationTemplateUpdate request, string account, string region, DateTimeOffset now)
    {
        if (Find(existing, request.Prefix) is not null)
        {
            throw new AwsServiceException(AwsErrorCodes.TemplateAlreadyExists,
                $"The repository creation template with prefix '{request.Prefix}' already exists in the registry with id '{account}'");
        }

        if (existing.Length >= MaxTemplates)
        {
            throw new AwsServiceException(AwsErrorCodes.LimitExceeded,
                $"The registry with id '{account}' already has {MaxTemplates} repository creation templates, the most it may have.");
        }

        var template = new RepositoryCreationTemplate(
            request.Prefix, request.Description, request.EncryptionConfiguration, request.ResourceTags ?? [], request.ImageTagMutability ?? "MUTABLE",
            request.ImageTagMutabilityExclusionFilters ?? [], request.RepositoryPolicy, request.LifecyclePolicy,
            request.AppliedFor ?? throw Invalid("appliedFor", "must not be null"), request.CustomRoleArn, now, now);
        return Validate(template, account, region);
    }

    /// <summary>A template changed by an update request: the members it gives replace the template's.</summary>
    public static RepositoryCreationTemplate Update(ImmutableArray<RepositoryCreationTemplate> existing, RepositoryCreationTemplateUpdate request, string account, string region, DateTimeOffset now)
    {
        var current = Find(existing, request.Prefix) ?? throw NotFound(request.Prefix, account);
        var updated = current with
        {
            Description = request.Description ?? current.Description,
            EncryptionConfiguration = request.EncryptionConfiguration ?? current.EncryptionConfiguration,
            ResourceTags = request.ResourceTags ?? current.ResourceTags,
            ImageTagMutability = request.ImageTagMutability ?? current.ImageTagMutability,
            ImageTagMutabilityExclusionFilters = request.ImageTagMutabilityExclusionFilters ?? current.ImageTagMutabilityExclusionFilters,
            RepositoryPolicy = request.RepositoryPolicy ?? current.RepositoryPolicy,
            LifecyclePolicy = request.LifecyclePolicy ?? current.LifecyclePolicy,
            AppliedFor = request.AppliedFor ?? current.AppliedFor,
            CustomRoleArn = request.CustomRoleArn ?? current.CustomRoleArn,
            UpdatedAt = now,
        };
        return Validate(updated, account, region);
    }

    public static RepositoryCreationTemplate? Find(IEnumerable<RepositoryCreationTemplate> templates, string prefix) =>
        templates.FirstOrDefault(t => Normalize(t.Prefix) == Normalize(prefix));

    public static AwsServiceException NotFound(string prefix, string account) =>
        new(AwsErrorCodes.TemplateNotFound, $"The repository creation template with prefix '{prefix}' does not exist in the registry with id '{account}'");

    /// <summary>
    /// What the model cannot say: appliedFor names at least one kind; a KMS key only with KMS or KMS_DSSE, as a key ARN of
    /// this registry's Region; KMS_DSSE only in GovCloud; the custom role an IAM role of this account; tag keys unique.
    /// </summary>
    public static RepositoryCreationTemplate Validate(RepositoryCreationTemplate template, string account, string region)
    {
        if (template.AppliedFor.Count == 0)
        {
            throw Invalid("appliedFor", "must name at least one of " + string.Join(", ", AppliedForValues));
        }

        if (template.AppliedFor.FirstOrDefault(a => !AppliedForValues.Contains(a)) is { } unknown)
        {
            throw Invalid("appliedFor", $"'{unknown}' is not one of " + string.Join(", ", AppliedForValues));
        }

        var encryption = template.EncryptionConfiguration;
        if (encryption is not null)
        {
            if (encryption.KmsKey is { Length: 0 })
            {
                encryption = encryption with { KmsKey = null };
            }

            if (encryption.EncryptionType == EncryptionType.Aes256 && encryption.KmsKey is not null)
            {
                throw Invalid("encryptionConfiguration.kmsKey", "a KMS key may only be given with encryption type KMS or KMS_DSSE");
            }

            if (encryption.EncryptionType == EncryptionType.KmsDsse && !Regions.SupportsDualLayerEncryption(region))
            {
                throw Invalid("encryptionConfiguration.encryptionType", $"KMS_DSSE is only available in the AWS GovCloud (US) Regions, not in {region}");
            }

            if (encryption.KmsKey is { } key && (!Arn.TryParse(key, out var keyArn) || keyArn.Service != "kms" || keyArn.Region != region))
            {
                throw Invalid("encryptionConfiguration.kmsKey", $"the KMS key must be the full ARN of a key in the registry's Region {region}");
            }
        }

        if (template.CustomRoleArn is { Length: > 0 } role
            && (!Arn.TryParse(role, out var roleArn) || roleArn.Service != "iam" || roleArn.Account != account
                || !roleArn.Resource.StartsWith("role/", StringComparison.Ordinal)))
        {
            throw Invalid("customRoleArn", $"'{role}' is not the ARN of an IAM role in the account {account}");
        }

        if (template.ResourceTags.GroupBy(t => t.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw Invalid("resourceTags", $"the tag key '{duplicate.Key}' is given more than once");
        }

        // What the template would give a repository is checked now, by the rules that repository would be held to,
        // so that creating one from it never fails on the template's own settings.
        SettingsOf(template);
        if (template.RepositoryPolicy is { Length: > 0 } policy)
        {
            RepositoryPolicies.Validate(policy);
        }

        if (template.LifecyclePolicy is { Length: > 0 } lifecycle)
        {
            LifecyclePolicyParser.Parse(lifecycle);
        }

        return template with
        {
            EncryptionConfiguration = encryption,
            AppliedFor = template.AppliedFor.Distinct().ToArray(),
            CustomRoleArn = template.CustomRoleArn is { Length: 0 } ? null : template.CustomRoleArn,
        };
    }

    /// <summary>
    /// A repository ECR has just created from <paramref name="template"/>, with what the template gives besides its encryption:
    /// resource tags, image tag mutability and its exclusion filters, the repository policy, and the lifecycle policy (in effect
    /// from <paramref name="now"/>, as if put then). No template: the repository as it is (ECR's defaults).
    /// </summary>
    public static RepositoryState ApplyTo(RepositoryState created, RepositoryCreationTemplate? template, DateTimeOffset now)
    {
        if (template is null)
        {
            return created;
        }

        var applied = created with { Settings = SettingsOf(template) };
        if (template.RepositoryPolicy is { Length: > 0 } policy)
        {
            applied = RepositoryPolicies.Set(applied, policy);
        }

        return template.LifecyclePolicy is { Length: > 0 } lifecycle ? LifecyclePolicies.Put(applied, lifecycle, now) : applied;
    }

    /// <summary>The repository settings a template gives: its tags and tag mutability (MUTABLE when it names none).</summary>
    public static RepositorySettings SettingsOf(RepositoryCreationTemplate template)
    {
        var mutability = ImageTagMutability.Mutable;
        if (template.ImageTagMutability is { } wire && !ImageTagMutabilities.TryParse(wire, out mutability))
        {
            throw Invalid("imageTagMutability", $"'{wire}' is not an image tag mutability");
        }

        var filters = template.ImageTagMutabilityExclusionFilters.Select(f => new ImageTagMutabilityExclusionFilter(f.FilterType, f.Filter)).ToArray();
        return RepositorySettingsRules.ValidateCreate(new RepositorySettings
        {
            ImageTagMutability = mutability,
            ExclusionFilters = [.. filters],
            ResourceTags = RepositoryResourceTags.Apply(RepositoryResourceTags.Empty, template.ResourceTags.Select(t => new RepositoryTag(t.Key, t.Value)).ToArray()),
        });
    }

    private static AwsServiceException Invalid(string field, string why) =>
        new(AwsErrorCodes.InvalidParameter, $"Invalid parameter at '{field}' failed to satisfy constraint: '{why}'");
}
