using System.Text.Json.Nodes;
using GrantSim.Aws;
using GrantSim.Ecr;
using GrantSim.Grains;
using static GrantSim.Silo.Aws.JsonOutput;

namespace GrantSim.Silo.Aws;

/// <summary>The lifecycle policy operations of ECR's JSON API.</summary>
public sealed partial class EcrApi
{
    /// <summary>What GetLifecyclePolicyPreview's result says an image will have happen to it: the only action simulated.</summary>
    private const string ExpireAction = "EXPIRE";

    private Func<Task<JsonObject>> PutLifecyclePolicy(JsonInput input, AuthenticatedCaller who)
    {
        RegistryId(input, who);
        var name = RepositoryName(input);
        var text = input.RequiredString("lifecyclePolicyText");
        var service = LifecyclePolicies(who);
        return async () =>
        {
            var policy = await service.PutLifecyclePolicy(who.Caller, name, text);
            return Obj(("registryId", who.Account), ("repositoryName", name), ("lifecyclePolicyText", policy.PolicyText));
        };
    }

    private Func<Task<JsonObject>> GetLifecyclePolicy(JsonInput input, AuthenticatedCaller who)
    {
        RegistryId(input, who);
        var name = RepositoryName(input);
        var service = LifecyclePolicies(who);
        return async () => Policy(who, name, await service.GetLifecyclePolicy(who.Caller, name));
    }

    private Func<Task<JsonObject>> DeleteLifecyclePolicy(JsonInput input, AuthenticatedCaller who)
    {
        RegistryId(input, who);
        var name = RepositoryName(input);
        var service = LifecyclePolicies(who);
        return async () => Policy(who, name, await service.DeleteLifecyclePolicy(who.Caller, name));
    }

    private Func<Task<JsonObject>> StartLifecyclePolicyPreview(JsonInput input, AuthenticatedCaller who)
    {
        RegistryId(input, who);
        var name = RepositoryName(input);
        var text = input.OptionalString("lifecyclePolicyText");
        var service = LifecyclePolicies(who);
        return async () =>
        {
            var preview = await service.StartLifecyclePolicyPreview(who.Caller, name, text);
            return Obj(("registryId", who.Account), ("repositoryName", name), ("lifecyclePolicyText", preview.PolicyText), ("status", preview.Status));
        };
    }

    private Func<Task<JsonObject>> GetLifecyclePolicyPreview(JsonInput input, AuthenticatedCaller who)
    {
        RegistryId(input, who);
        var name = RepositoryName(input);
        var wanted = ImageIds(input, required: false);
        if (wanted is not null && (input.Has("nextToken") || input.Has("maxResults")))
        {
            throw new AwsServiceException(AwsErrorCodes.InvalidParameter, "Invalid parameter: maxResults and nextToken cannot be used when you specify images with imageIds.");
        }

        var tagStatus = input.OptionalObject("filter")?.OptionalString("tagStatus") ?? "ANY";
        var (max, start) = Paging(input);
        var service = LifecyclePolicies(who);
        return async () =>
        {
            var preview = await service.GetLifecyclePolicyPreview(who.Caller, name);
            var results = preview.Results
                .Where(r => tagStatus == "ANY" || (tagStatus == "TAGGED") == (r.ImageTags.Count > 0))
                .Where(r => wanted is null || wanted.Any(id => (id.ImageDigest is null || id.ImageDigest == r.ImageDigest) && (id.ImageTag is null || r.ImageTags.Contains(id.ImageTag))))
                .ToArray();
            var page = Page(results, max, start, "previewResults", r => Obj(
                ("imageTags", r.ImageTags.Count == 0 ? null : Strings(r.ImageTags)),
                ("imageDigest", r.ImageDigest),
                ("imagePushedAt", Timestamp(r.ImagePushedAt)),
                ("action", Obj(("type", ExpireAction))),
                ("appliedRulePriority", r.AppliedRulePriority)));
            page["registryId"] = who.Account;
            page["repositoryName"] = name;
            page["lifecyclePolicyText"] = preview.PolicyText;
            page["status"] = preview.Status;
            page["summary"] = Obj(("expiringImageTotalCount", preview.Results.Count));
            return page;
        };
    }

    private IEcrLifecyclePolicyService LifecyclePolicies(AuthenticatedCaller who) => grains.GetGrain<IEcrLifecyclePolicyService>(who.Region);

    private static JsonObject Policy(AuthenticatedCaller who, string name, LifecyclePolicyDescription policy) => Obj(
        ("registryId", who.Account),
        ("repositoryName", name),
        ("lifecyclePolicyText", policy.PolicyText),
        ("lastEvaluatedAt", Timestamp(policy.LastEvaluatedAt)));
}
