using System.Text.Json.Nodes;
using GrantSim.Aws;
using GrantSim.Grains;
using static GrantSim.Silo.Aws.JsonOutput;

namespace GrantSim.Silo.Aws;

/// <summary>
/// Repository policies (SetRepositoryPolicy, GetRepositoryPolicy, DeleteRepositoryPolicy) and cross-account
/// addressing: a <c>registryId</c> of another account routes to that account's registry, where the repository's
/// policy and the caller's identity policies decide; GetAuthorizationToken's <c>registryIds</c> names the
/// registries its tokens address.
/// </summary>
public sealed partial class EcrApi
{
    /// <summary>The registry a request addresses: its <c>registryId</c>, or the caller's own account's when it names none.</summary>
    private static string RegistryOf(JsonInput input, AuthenticatedCaller who)
    {
        var registry = input.OptionalString("registryId");
        if (registry is not null && !AccountId.IsValid(registry))
        {
            throw new AwsServiceException(AwsErrorCodes.Validation, $"1 validation error detected: Value '{registry}' at 'registryId' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]{{12}}");
        }

        return registry ?? who.Account;
    }

    /// <summary>The region's ECR service grain for <paramref name="registry"/>: the caller's own, or another account's.</summary>
    private IEcrServiceGrain EcrOf(string registry, AuthenticatedCaller who) =>
        registry == who.Account
            ? grains.GetGrain<IEcrServiceGrain>(who.Region)
            : grains.GetGrain<IEcrServiceGrain>(GrainKeys.EcrRegistry(registry, who.Region));

    private static Func<Task<JsonObject>> SetRepositoryPolicy(JsonInput input, AuthenticatedCaller who, IEcrServiceGrain ecr, string registry)
    {
        var name = RepositoryName(input);
        var policyText = input.RequiredString("policyText");
        var force = input.OptionalBool("force") ?? false;
        return async () =>
        {
            var set = await ecr.SetRepositoryPolicy(who.Caller, name, policyText, force);
            return Obj(("registryId", registry), ("repositoryName", name), ("policyText", set));
        };
    }

    private static Func<Task<JsonObject>> GetRepositoryPolicy(JsonInput input, AuthenticatedCaller who, IEcrServiceGrain ecr, string registry)
    {
        var name = RepositoryName(input);
        return async () =>
        {
            var policyText = await ecr.GetRepositoryPolicy(who.Caller, name);
            return Obj(("registryId", registry), ("repositoryName", name), ("policyText", policyText));
        };
    }

    private static Func<Task<JsonObject>> DeleteRepositoryPolicy(JsonInput input, AuthenticatedCaller who, IEcrServiceGrain ecr, string registry)
    {
        var name = RepositoryName(input);
        return async () =>
        {
            var deleted = await ecr.DeleteRepositoryPolicy(who.Caller, name);
            return Obj(("registryId", registry), ("repositoryName", name), ("policyText", deleted));
        };
    }

    /// <summary>
    /// One authorization data per registry asked for (the caller's own when none is named), as ECR answers. Every
    /// token is the caller's credential; one issued for another account's registry addresses that registry at
    /// <c>proxyEndpoint</c> (which the registry's Host cannot do here: <c>&lt;account&gt;.dkr.ecr…</c> names do not
    /// resolve locally). Issuing one grants nothing: each registry call is authorized by the repository's policy.
    /// </summary>
    private Func<Task<JsonObject>> GetAuthorizationToken(JsonInput input, AuthenticatedCaller who, string host)
    {
        var registries = input.OptionalStringList("registryIds") ?? [who.Account];
        var data = new JsonArray();
        foreach (var registry in registries.Distinct(StringComparer.Ordinal))
        {
            var (password, expires) = tokens.Issue(who.AccessKeyId, who.Account, who.Region, registry == who.Account ? null : registry);
            data.Add(Obj(
                ("authorizationToken", RegistryToken.AuthorizationToken(password)),
                ("expiresAt", Timestamp(expires)),
                ("proxyEndpoint", $"http://{host}")));
        }

        return () => Task.FromResult(Obj(("authorizationData", data)));
    }
}
