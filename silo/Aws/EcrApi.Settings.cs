using System.Collections.Immutable;
using System.Text.Json.Nodes;
using GrantSim.Aws;
using GrantSim.Ecr;
using GrantSim.Grains;

namespace GrantSim.Silo.Aws;

/// <summary>
/// Repository settings: resource tags, image tag mutability, repository and registry scanning
/// configuration. Scanning itself is not simulated: StartImageScan and DescribeImageScanFindings are
/// refused in ECR's own exceptions, saying so.
/// </summary>
public sealed partial class EcrApi
{
    private static Func<Task<JsonObject>> TagResource(JsonInput input, IEcrServiceGrain ecr, AuthenticatedCaller who)
    {
        var arn = input.RequiredString("resourceArn");
        var tags = ResourceTags(input) ?? throw Missing("tags");
        return async () =>
        {
            await ecr.TagResource(who.Caller, arn, tags);
            return Obj();
        };
    }

    private static Func<Task<JsonObject>> UntagResource(JsonInput input, IEcrServiceGrain ecr, AuthenticatedCaller who)
    {
        var arn = input.RequiredString("resourceArn");
        var keys = input.OptionalStringList("tagKeys") ?? throw Missing("tagKeys");
        return async () =>
        {
            await ecr.UntagResource(who.Caller, arn, keys);
            return Obj();
        };
    }

    private static Func<Task<JsonObject>> ListTagsForResource(JsonInput input, IEcrServiceGrain ecr, AuthenticatedCaller who)
    {
        var arn = input.RequiredString("resourceArn");
        return async () => Obj(("tags", WriteTags(await ecr.ListTagsForResource(who.Caller, arn))));
    }

    private static Func<Task<JsonObject>> PutImageTagMutability(JsonInput input, IEcrServiceGrain ecr, AuthenticatedCaller who)
    {
        RegistryId(input, who);
        var name = RepositoryName(input);
        var mutability = Mutability(input.RequiredString("imageTagMutability"));
        var filters = ExclusionFilters(input);
        return async () =>
        {
            var repository = await ecr.PutImageTagMutability(who.Caller, name, mutability, filters);
            return Obj(
                ("registryId", repository.RegistryId),
                ("repositoryName", repository.RepositoryName),
                ("imageTagMutability", repository.Settings.ImageTagMutability.ToWire()),
                ("imageTagMutabilityExclusionFilters", WriteExclusionFilters(repository.Settings.ExclusionFilters)));
        };
    }

    private static Func<Task<JsonObject>> PutImageScanningConfiguration(JsonInput input, IEcrServiceGrain ecr, AuthenticatedCaller who)
    {
        RegistryId(input, who);
        var name = RepositoryName(input);
        var configuration = input.OptionalObject("imageScanningConfiguration") ?? throw Missing("imageScanningConfiguration");
        var scanOnPush = configuration.OptionalBool("scanOnPush") ?? false;
        return async () =>
        {
            var repository = await ecr.PutImageScanningConfiguration(who.Caller, name, scanOnPush);
            return Obj(
                ("registryId", repository.RegistryId),
                ("repositoryName", repository.RepositoryName),
                ("imageScanningConfiguration", Obj(("scanOnPush", repository.Settings.ScanOnPush))));
        };
    }

    private static Func<Task<JsonObject>> BatchGetRepositoryScanningConfiguration(JsonInput input, IEcrServiceGrain ecr, AuthenticatedCaller who)
    {
        var names = input.OptionalStringList("repositoryNames") ?? throw Missing("repositoryNames");
        foreach (var name in names)
        {
            RequireRepositoryName(name);
        }

        return async () =>
        {
            var (found, notFound) = await ecr.BatchGetRepositoryScanningConfiguration(who.Caller, names);
            return Obj(
                ("scanningConfigurations", new JsonArray(found.Select(c => (JsonNode)Obj(
                    ("repositoryArn", c.RepositoryArn),
                    ("repositoryName", c.RepositoryName),
                    ("scanOnPush", c.ScanOnPush),
                    ("scanFrequency", c.ScanFrequency),
                    ("appliedScanFilters", WriteScanningFilters(c.AppliedScanFilters)))).ToArray())),
                ("failures", new JsonArray(notFound.Select(name => (JsonNode)Obj(
                    ("repositoryName", name),
                    ("failureCode", "REPOSITORY_NOT_FOUND"),
                    ("failureReason", $"The repository with name '{name}' does not exist in the registry with id '{who.Account}'"))).ToArray())));
        };
    }

    private static Func<Task<JsonObject>> PutRegistryScanningConfiguration(JsonInput input, IEcrServiceGrain ecr, AuthenticatedCaller who)
    {
        var scanType = input.OptionalString("scanType") ?? RegistryScanningConfiguration.Basic;
        var rules = (input.OptionalObjectList("rules") ?? []).Select(rule => new RegistryScanningRule(
            rule.RequiredString("scanFrequency"),
            [.. (rule.OptionalObjectList("repositoryFilters") ?? throw Missing("rules.member.repositoryFilters"))
                .Select(f => new ScanningRepositoryFilter(f.RequiredString("filter"), f.RequiredString("filterType")))])).ToImmutableArray();
        var requested = new RegistryScanningConfiguration(scanType, rules);
        return async () => Obj(("registryScanningConfiguration", WriteRegistryScanning(await ecr.PutRegistryScanningConfiguration(who.Caller, requested))));
    }

    private static Func<Task<JsonObject>> GetRegistryScanningConfiguration(IEcrServiceGrain ecr, AuthenticatedCaller who) =>
        async () => Obj(("registryId", who.Account), ("scanningConfiguration", WriteRegistryScanning(await ecr.GetRegistryScanningConfiguration(who.Caller))));

    /// <summary>Scanning is out of scope: GrantSim has no vulnerability database and will not invent findings.</summary>
    private static Func<Task<JsonObject>> StartImageScan(JsonInput input, AuthenticatedCaller who)
    {
        RegistryId(input, who);
        var name = RepositoryName(input);
        ScanImageId(input);
        throw new AwsServiceException(AwsErrorCodes.Validation,
            $"GrantSim does not scan images: image scanning is not simulated, so no scan of an image in '{name}' was started (docs/aws-endpoints.md).");
    }

    private static Func<Task<JsonObject>> DescribeImageScanFindings(JsonInput input, AuthenticatedCaller who)
    {
        RegistryId(input, who);
        var name = RepositoryName(input);
        var id = ScanImageId(input);
        throw new AwsServiceException(AwsErrorCodes.ScanNotFound,
            $"Image scan does not exist for the image with '{Describe(id)}' in the repository with name '{name}' in the registry with id '{who.Account}': GrantSim does not scan images (docs/aws-endpoints.md).");
    }

    /// <summary>CreateRepository's settings: tag mutability with its filters, scan on push and resource tags.</summary>
    private static RepositorySettings CreateSettings(JsonInput input)
    {
        var mutability = Mutability(input.OptionalString("imageTagMutability") ?? ImageTagMutabilities.Mutable);
        var scanOnPush = input.OptionalObject("imageScanningConfiguration")?.OptionalBool("scanOnPush") ?? false;
        var tags = ResourceTags(input) ?? [];
        return new RepositorySettings
        {
            ImageTagMutability = mutability,
            ExclusionFilters = [.. ExclusionFilters(input) ?? []],
            ScanOnPush = scanOnPush,
            // Duplicates and limits are the domain's to refuse; a dictionary here would hide a repeated key.
            ResourceTags = tags.Count == 0 ? RepositoryResourceTags.Empty : RepositoryResourceTags.Apply(RepositoryResourceTags.Empty, tags),
        };
    }

    private static ImageTagMutability Mutability(string wire) =>
        ImageTagMutabilities.TryParse(wire, out var mutability)
            ? mutability
            : throw new AwsServiceException(AwsErrorCodes.InvalidParameter, $"Invalid parameter at 'imageTagMutability' failed to satisfy constraint: '{wire} is not a tag mutability'");

    private static IReadOnlyList<ImageTagMutabilityExclusionFilter>? ExclusionFilters(JsonInput input) =>
        input.OptionalObjectList("imageTagMutabilityExclusionFilters")?
            .Select(f => new ImageTagMutabilityExclusionFilter(f.RequiredString("filterType"), f.RequiredString("filter"))).ToArray();

    private static IReadOnlyList<RepositoryTag>? ResourceTags(JsonInput input) =>
        input.OptionalObjectList("tags")?.Select(t => new RepositoryTag(t.RequiredString("Key"), t.RequiredString("Value"))).ToArray();

    private static ImageIdentifier ScanImageId(JsonInput input)
    {
        var id = input.OptionalObject("imageId") ?? throw Missing("imageId");
        return new ImageIdentifier(id.OptionalString("imageDigest"), id.OptionalString("imageTag"));
    }

    private static JsonArray WriteTags(IEnumerable<RepositoryTag> tags) =>
        new(tags.Select(t => (JsonNode)Obj(("Key", t.Key), ("Value", t.Value))).ToArray());

    private static JsonArray? WriteExclusionFilters(ImmutableArray<ImageTagMutabilityExclusionFilter> filters) =>
        filters.IsDefaultOrEmpty ? null : new(filters.Select(f => (JsonNode)Obj(("filterType", f.FilterType), ("filter", f.Filter))).ToArray());

    private static JsonArray WriteScanningFilters(ImmutableArray<ScanningRepositoryFilter> filters) =>
        new(filters.Select(f => (JsonNode)Obj(("filter", f.Filter), ("filterType", f.FilterType))).ToArray());

    private static JsonObject WriteRegistryScanning(RegistryScanningConfiguration configuration) => Obj(
        ("scanType", configuration.ScanType),
        ("rules", new JsonArray(configuration.Rules.Select(r => (JsonNode)Obj(
            ("scanFrequency", r.ScanFrequency),
            ("repositoryFilters", WriteScanningFilters(r.RepositoryFilters)))).ToArray())));
}
