using System.Text.Json.Nodes;
using GrantSim.Aws;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Paging;
using static GrantSim.Silo.Aws.JsonOutput;

namespace GrantSim.Silo.Aws;

/// <summary>
/// The registry's operations: the registry policy, replication (its configuration and each image's status) and repository
/// creation templates, over the caller's own <see cref="IRegistryGrain"/>; pull through cache rules are refused plainly.
/// </summary>
public sealed partial class EcrApi
{
    private IRegistryGrain Registry(AuthenticatedCaller who) => grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(who.Account, who.Region));

    private Func<Task<JsonObject>> PutRegistryPolicy(JsonInput input, AuthenticatedCaller who)
    {
        var policy = input.RequiredString("policyText");
        return async () => Obj(("registryId", who.Account), ("policyText", await Registry(who).PutPolicy(who.Caller, policy)));
    }

    private Func<Task<JsonObject>> GetRegistryPolicy(AuthenticatedCaller who) =>
        async () => Obj(("registryId", who.Account), ("policyText", await Registry(who).GetPolicy(who.Caller)));

    private Func<Task<JsonObject>> DeleteRegistryPolicy(AuthenticatedCaller who) =>
        async () => Obj(("registryId", who.Account), ("policyText", await Registry(who).DeletePolicy(who.Caller)));

    private Func<Task<JsonObject>> RegisterPullTimeUpdateExclusion(JsonInput input, AuthenticatedCaller who)
    {
        var principal = input.RequiredString("principalArn");
        return async () => Obj(("principalArn", principal), ("createdAt", Timestamp(await Registry(who).RegisterPullTimeUpdateExclusion(who.Caller, principal))));
    }

    private Func<Task<JsonObject>> DeregisterPullTimeUpdateExclusion(JsonInput input, AuthenticatedCaller who)
    {
        var principal = input.RequiredString("principalArn");
        return async () =>
        {
            await Registry(who).DeregisterPullTimeUpdateExclusion(who.Caller, principal);
            return Obj(("principalArn", principal));
        };
    }

    private Func<Task<JsonObject>> ListPullTimeUpdateExclusions(JsonInput input, AuthenticatedCaller who)
    {
        var (max, start) = Paging(input);
        return async () =>
        {
            var (page, next) = OffsetPages.Cut(await Registry(who).ListPullTimeUpdateExclusions(who.Caller), max, start);
            return Obj(("pullTimeUpdateExclusions", Strings(page)), ("nextToken", next));
        };
    }

    private Func<Task<JsonObject>> PutReplicationConfiguration(JsonInput input, AuthenticatedCaller who)
    {
        var configuration = input.OptionalObject("replicationConfiguration") ?? throw Missing("replicationConfiguration");
        var rules = (configuration.OptionalObjectList("rules") ?? throw Missing("replicationConfiguration.rules")).Select(rule => new ReplicationRule(
            (rule.OptionalObjectList("destinations") ?? throw Missing("replicationConfiguration.rules.member.destinations"))
                .Select(d => new ReplicationDestination(d.RequiredString("region"), d.RequiredString("registryId"))).ToArray(),
            (rule.OptionalObjectList("repositoryFilters") ?? [])
                .Select(f => new RepositoryFilter(f.RequiredString("filter"), f.RequiredString("filterType"))).ToArray())).ToArray();
        return async () => Obj(("replicationConfiguration", Replication(await Registry(who).PutReplicationConfiguration(who.Caller, new ReplicationConfiguration(rules)))));
    }

    private Func<Task<JsonObject>> DescribeRegistry(AuthenticatedCaller who) =>
        async () => Obj(("registryId", who.Account), ("replicationConfiguration", Replication(await Registry(who).DescribeRegistry(who.Caller))));

    private Func<Task<JsonObject>> DescribeImageReplicationStatus(JsonInput input, AuthenticatedCaller who)
    {
        RegistryId(input, who);
        var name = RepositoryName(input);
        var id = input.OptionalObject("imageId") ?? throw Missing("imageId");
        var digest = id.OptionalString("imageDigest");
        var tag = id.OptionalString("imageTag");
        if (digest is null && tag is null)
        {
            throw new AwsServiceException(AwsErrorCodes.InvalidParameter, "Invalid parameter at 'imageId': an image id needs an imageDigest or an imageTag.");
        }

        return async () =>
        {
            var repository = grains.GetGrain<IRepositoryReplicationGrain>(GrainKeys.Repository(who.Account, who.Region, name));
            var (image, statuses) = await repository.DescribeImageReplicationStatus(who.Caller, new ImageIdentifier(digest, tag));
            return Obj(
                ("repositoryName", name),
                ("imageId", Obj(("imageDigest", image.ImageDigest), ("imageTag", image.ImageTag))),
                ("replicationStatuses", new JsonArray(statuses.Select(s => (JsonNode)Obj(
                    ("region", s.Region), ("registryId", s.RegistryId), ("status", s.Status), ("failureCode", s.FailureCode))).ToArray())));
        };
    }

    private Func<Task<JsonObject>> CreateRepositoryCreationTemplate(JsonInput input, AuthenticatedCaller who)
    {
        var template = TemplateRequest(input);
        if (template.AppliedFor is null)
        {
            throw Missing("appliedFor");
        }

        return async () => Obj(("registryId", who.Account), ("repositoryCreationTemplate", Template(await Registry(who).CreateTemplate(who.Caller, template))));
    }

    private Func<Task<JsonObject>> UpdateRepositoryCreationTemplate(JsonInput input, AuthenticatedCaller who)
    {
        var update = TemplateRequest(input);
        return async () => Obj(("registryId", who.Account), ("repositoryCreationTemplate", Template(await Registry(who).UpdateTemplate(who.Caller, update))));
    }

    private Func<Task<JsonObject>> DeleteRepositoryCreationTemplate(JsonInput input, AuthenticatedCaller who)
    {
        var prefix = input.RequiredString("prefix");
        return async () => Obj(("registryId", who.Account), ("repositoryCreationTemplate", Template(await Registry(who).DeleteTemplate(who.Caller, prefix))));
    }

    private Func<Task<JsonObject>> DescribeRepositoryCreationTemplates(JsonInput input, AuthenticatedCaller who)
    {
        var prefixes = input.OptionalStringList("prefixes");
        var (max, start) = Paging(input);
        return async () =>
        {
            var templates = await Registry(who).DescribeTemplates(who.Caller, prefixes);
            var page = Page(templates, max, start, "repositoryCreationTemplates", Template);
            page["registryId"] = who.Account;
            return page;
        };
    }

    /// <summary>
    /// Pull through cache needs an upstream registry to fetch from, and GrantSim reaches none (docs/aws-endpoints.md, Gaps):
    /// no rule can be created, so none exists to describe, update, validate or delete.
    /// </summary>
    private static Func<Task<JsonObject>> PullThroughCacheRule(string operation, JsonInput input)
    {
        var prefix = input.OptionalString("ecrRepositoryPrefix");
        switch (operation)
        {
            case "CreatePullThroughCacheRule":
                throw new AwsServiceException(AwsErrorCodes.UnsupportedUpstreamRegistry,
                    $"The upstream registry {input.OptionalString("upstreamRegistryUrl") ?? "(none given)"} is not supported: GrantSim does not simulate pull through cache (it fetches from no upstream registry).");
            case "DescribePullThroughCacheRules" when input.OptionalStringList("ecrRepositoryPrefixes") is not { Count: > 0 }:
                return () => Task.FromResult(Obj(("pullThroughCacheRules", new JsonArray())));
            default:
                throw new AwsServiceException(AwsErrorCodes.PullThroughCacheRuleNotFound,
                    $"The pull through cache rule with prefix '{prefix ?? string.Join(", ", input.OptionalStringList("ecrRepositoryPrefixes") ?? [])}' does not exist: GrantSim does not simulate pull through cache, so no rule can exist.");
        }
    }

    private static RepositoryCreationTemplateUpdate TemplateRequest(JsonInput input)
    {
        EncryptionConfiguration? encryption = null;
        if (input.OptionalObject("encryptionConfiguration") is { } given)
        {
            EncryptionTypes.TryParse(given.OptionalString("encryptionType") ?? throw Missing("encryptionConfiguration.encryptionType"), out var type);
            encryption = new EncryptionConfiguration(type, given.OptionalString("kmsKey"));
        }

        return new RepositoryCreationTemplateUpdate(
            input.RequiredString("prefix"),
            input.OptionalString("description"),
            encryption,
            input.OptionalObjectList("resourceTags")?.Select(t => new TemplateResourceTag(t.RequiredString("Key"), t.RequiredString("Value"))).ToArray(),
            input.OptionalString("imageTagMutability"),
            input.OptionalObjectList("imageTagMutabilityExclusionFilters")?.Select(f => new TemplateTagMutabilityExclusion(f.RequiredString("filterType"), f.RequiredString("filter"))).ToArray(),
            input.OptionalString("repositoryPolicy"),
            input.OptionalString("lifecyclePolicy"),
            input.OptionalStringList("appliedFor"),
            input.OptionalString("customRoleArn"));
    }

    private static JsonObject Replication(ReplicationConfiguration configuration) => Obj(
        ("rules", new JsonArray(configuration.Rules.Select(rule => (JsonNode)Obj(
            ("destinations", new JsonArray(rule.Destinations.Select(d => (JsonNode)Obj(("region", d.Region), ("registryId", d.RegistryId))).ToArray())),
            ("repositoryFilters", rule.RepositoryFilters.Count == 0 ? null
                : new JsonArray(rule.RepositoryFilters.Select(f => (JsonNode)Obj(("filter", f.Filter), ("filterType", f.FilterType))).ToArray())))).ToArray())));

    private static JsonObject Template(RepositoryCreationTemplate template) => Obj(
        ("prefix", template.Prefix),
        ("description", template.Description),
        ("encryptionConfiguration", template.EncryptionConfiguration is { } e
            ? Obj(("encryptionType", e.EncryptionType.ToWire()), ("kmsKey", e.KmsKey))
            : null),
        ("resourceTags", new JsonArray(template.ResourceTags.Select(t => (JsonNode)Obj(("Key", t.Key), ("Value", t.Value))).ToArray())),
        ("imageTagMutability", template.ImageTagMutability),
        ("imageTagMutabilityExclusionFilters", template.ImageTagMutabilityExclusionFilters.Count == 0 ? null
            : new JsonArray(template.ImageTagMutabilityExclusionFilters.Select(f => (JsonNode)Obj(("filterType", f.FilterType), ("filter", f.Filter))).ToArray())),
        ("repositoryPolicy", template.RepositoryPolicy),
        ("lifecyclePolicy", template.LifecyclePolicy),
        ("appliedFor", Strings(template.AppliedFor)),
        ("customRoleArn", template.CustomRoleArn),
        ("createdAt", Timestamp(template.CreatedAt)),
        ("updatedAt", Timestamp(template.UpdatedAt)));
}
