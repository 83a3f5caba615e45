using System.Text.Json.Nodes;
using GrantSim.Aws;
using GrantSim.Ecr;
using GrantSim.Grains;

namespace GrantSim.Silo.Aws;

/// <summary>
/// Account settings (<see cref="AccountSettings"/>) and managed signing (<see cref="SigningConfigurations"/>): registry-level,
/// over the caller's own <see cref="IRegistryGrain"/>; an image's signing status is the repository's to answer. GrantSim
/// simulates no AWS Signer, so no status it reports is ever COMPLETE.
/// </summary>
public sealed partial class EcrApi
{
    private Func<Task<JsonObject>> GetAccountSetting(JsonInput input, AuthenticatedCaller who)
    {
        var name = SettingName(input);
        return async () => Obj(("name", name), ("value", await Registry(who).GetAccountSetting(who.Caller, name)));
    }

    private Func<Task<JsonObject>> PutAccountSetting(JsonInput input, AuthenticatedCaller who)
    {
        var name = SettingName(input);
        var value = input.RequiredString("value");
        return async () => Obj(("name", name), ("value", await Registry(who).PutAccountSetting(who.Caller, name, value)));
    }

    private Func<Task<JsonObject>> PutSigningConfiguration(JsonInput input, AuthenticatedCaller who)
    {
        var configuration = input.OptionalObject("signingConfiguration") ?? throw Missing("signingConfiguration");
        var rules = (configuration.OptionalObjectList("rules") ?? throw Missing("signingConfiguration.rules")).Select(rule => new SigningRule(
            rule.RequiredString("signingProfileArn"),
            rule.OptionalObjectList("repositoryFilters") is { } filters
                ? filters.Count == 0
                    ? throw new AwsServiceException(AwsErrorCodes.Validation,
                        "1 validation error detected: Value at 'signingConfiguration.rules.member.repositoryFilters' failed to satisfy constraint: Member must have length greater than or equal to 1")
                    : filters.Select(f => new SigningRepositoryFilter(f.RequiredString("filter"), f.RequiredString("filterType"))).ToArray()
                : [])).ToArray();
        return async () => Obj(("signingConfiguration", Signing(await Registry(who).PutSigningConfiguration(who.Caller, new SigningConfiguration(rules)))));
    }

    private Func<Task<JsonObject>> GetSigningConfiguration(AuthenticatedCaller who) =>
        async () => Obj(("registryId", who.Account), ("signingConfiguration", Signing(await Registry(who).GetSigningConfiguration(who.Caller))));

    private Func<Task<JsonObject>> DeleteSigningConfiguration(AuthenticatedCaller who) =>
        async () => Obj(("registryId", who.Account), ("signingConfiguration", Signing(await Registry(who).DeleteSigningConfiguration(who.Caller))));

    private static Func<Task<JsonObject>> DescribeImageSigningStatus(JsonInput input, IEcrServiceGrain ecr, string registry, AuthenticatedCaller who)
    {
        RegistryId(input, who);
        var name = RepositoryName(input);
        var id = OneImageId(input);
        return async () =>
        {
            var (digest, statuses) = await ecr.DescribeImageSigningStatus(who.Caller, name, id);
            return Obj(
                ("repositoryName", name),
                ("imageId", Obj(("imageDigest", digest), ("imageTag", id.ImageTag))),
                ("registryId", registry),
                ("signingStatuses", new JsonArray(statuses.Select(s => (JsonNode)Obj(
                    ("signingProfileArn", s.SigningProfileArn), ("status", s.Status), ("failureCode", s.FailureCode), ("failureReason", s.FailureReason))).ToArray())));
        };
    }

    private static string SettingName(JsonInput input)
    {
        var name = input.RequiredString("name");
        return name.Length is >= 1 and <= 64
            ? name
            : throw new AwsServiceException(AwsErrorCodes.Validation,
                $"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must have length between 1 and 64");
    }

    /// <summary>The request's one <c>imageId</c> (a digest, a tag or both).</summary>
    private static ImageIdentifier OneImageId(JsonInput input)
    {
        var id = input.OptionalObject("imageId") ?? throw Missing("imageId");
        var digest = id.OptionalString("imageDigest");
        var tag = id.OptionalString("imageTag");
        return digest is null && tag is null
            ? throw new AwsServiceException(AwsErrorCodes.InvalidParameter, "Invalid parameter at 'imageId': an image id needs an imageDigest or an imageTag.")
            : new ImageIdentifier(digest, tag);
    }

    private static JsonObject Signing(SigningConfiguration configuration) => Obj(
        ("rules", new JsonArray(configuration.Rules.Select(rule => (JsonNode)Obj(
            ("signingProfileArn", rule.SigningProfileArn),
            ("repositoryFilters", rule.RepositoryFilters.Count == 0 ? null
                : new JsonArray(rule.RepositoryFilters.Select(f => (JsonNode)Obj(("filter", f.Filter), ("filterType", f.FilterType))).ToArray())))).ToArray())));
}
