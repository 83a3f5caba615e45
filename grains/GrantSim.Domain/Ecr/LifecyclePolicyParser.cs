using System.Text.Json;
using GrantSim.Aws;

namespace GrantSim.Ecr;

/// <summary>
/// Reads and validates a lifecycle policy's JSON text as ECR does before it accepts it (PutLifecyclePolicy,
/// StartLifecyclePolicyPreview): ECR's schema (required and allowed properties, enums, minimums), then the
/// rules across the policy (unique priorities, one untagged rule, the <c>any</c> rule last, distinct tag
/// selections). Every refusal is InvalidParameterException worded as ECR words it: "Invalid parameter at
/// 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ...'".
/// The archive storage class, transitions and the pull- and transition-based count types are refused as
/// not simulated.
/// </summary>
public static class LifecyclePolicyParser
{
    /// <summary>ECR's quota of rules per lifecycle policy.</summary>
    public const int MaxRules = 50;

    /// <summary>The most wildcards one tag pattern may hold.</summary>
    public const int MaxWildcardsPerPattern = 4;

    public const string CountUnitDays = "days";

    private static readonly string[] RuleProperties = ["rulePriority", "description", "selection", "action"];
    private static readonly string[] RequiredRuleProperties = ["action", "rulePriority", "selection"];
    private static readonly string[] SelectionProperties = ["tagStatus", "tagPrefixList", "tagPatternList", "countType", "countUnit", "countNumber", "storageClass"];
    private static readonly string[] RequiredSelectionProperties = ["countNumber", "countType", "tagStatus"];
    private static readonly string[] ActionProperties = ["type", "targetStorageClass"];
    private static readonly string[] TagStatuses = ["any", "tagged", "untagged"];
    private static readonly string[] CountTypes = ["imageCountMoreThan", "sinceImagePulled", "sinceImagePushed", "sinceImageTransitioned"];
    private static readonly string[] ActionTypes = ["expire", "transition"];
    private static readonly string[] StorageClasses = ["archive", "standard"];

    public static LifecyclePolicy Parse(string policyText)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(policyText);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw Invalid("Could not map policyString into LifecyclePolicy.");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("Could not map policyString into LifecyclePolicy.");
        }

        if (!root.TryGetProperty("rules", out var rules))
        {
            throw Invalid("object has missing required properties ([\"rules\"])");
        }

        RequireKind(rules, JsonValueKind.Array, "array");
        var count = rules.GetArrayLength();
        if (count == 0)
        {
            throw Invalid("array is too short: must have at least 1 elements but instance has 0 elements");
        }

        if (count > MaxRules)
        {
            throw Invalid($"array is too long: must have at most {MaxRules} elements but instance has {count} elements");
        }

        var parsed = rules.EnumerateArray().Select(ParseRule).ToArray();
        ValidateAcrossRules(parsed);
        return new LifecyclePolicy(parsed.OrderBy(r => r.Priority).ToArray());
    }

    private static LifecycleRule ParseRule(JsonElement rule)
    {
        RequireKind(rule, JsonValueKind.Object, "object");
        RequireProperties(rule, RuleProperties, RequiredRuleProperties);
        var priority = RequireInteger(rule.GetProperty("rulePriority"), minimum: 1);
        string? description = null;
        if (rule.TryGetProperty("description", out var describedAs))
        {
            RequireKind(describedAs, JsonValueKind.String, "string");
            description = describedAs.GetString();
        }

        ParseAction(rule.GetProperty("action"));
        var selection = rule.GetProperty("selection");
        RequireKind(selection, JsonValueKind.Object, "object");
        RequireProperties(selection, SelectionProperties, RequiredSelectionProperties);

        var tagStatus = RequireEnum(selection.GetProperty("tagStatus"), TagStatuses) switch
        {
            "tagged" => LifecycleTagStatus.Tagged,
            "untagged" => LifecycleTagStatus.Untagged,
            _ => LifecycleTagStatus.Any,
        };
        var countType = RequireEnum(selection.GetProperty("countType"), CountTypes) switch
        {
            "imageCountMoreThan" => LifecycleCountType.ImageCountMoreThan,
            "sinceImagePushed" => LifecycleCountType.SinceImagePushed,
            var unsupported => throw NotSimulated($"countType {unsupported} (GrantSim does not simulate image pulls' times or the archive storage class)"),
        };
        if (selection.TryGetProperty("storageClass", out var storageClass) && RequireEnum(storageClass, StorageClasses) != "standard")
        {
            throw NotSimulated("storageClass archive");
        }

        var hasUnit = selection.TryGetProperty("countUnit", out var unit);
        if (countType == LifecycleCountType.SinceImagePushed)
        {
            if (!hasUnit)
            {
                throw Invalid("countUnit is required when countType is sinceImagePushed");
            }

            RequireEnum(unit, [CountUnitDays]);
        }
        else if (hasUnit)
        {
            throw Invalid("countUnit must not be specified when countType is imageCountMoreThan");
        }

        var countNumber = RequireInteger(selection.GetProperty("countNumber"), minimum: 1);
        var prefixes = OptionalStrings(selection, "tagPrefixList");
        var patterns = OptionalStrings(selection, "tagPatternList");
        if (tagStatus == LifecycleTagStatus.Tagged)
        {
            if (prefixes is null == patterns is null)
            {
                throw Invalid("Exactly one of tagPrefixList or tagPatternList must be specified when tagStatus is tagged");
            }
        }
        else if (prefixes is not null || patterns is not null)
        {
            throw Invalid($"tagPrefixList and tagPatternList must not be specified when tagStatus is {(tagStatus == LifecycleTagStatus.Any ? "any" : "untagged")}");
        }

        foreach (var pattern in patterns ?? [])
        {
            if (TagPattern.WildcardCount(pattern) > MaxWildcardsPerPattern)
            {
                throw Invalid($"The tagPatternList value '{pattern}' has more than {MaxWildcardsPerPattern} wildcards (*)");
            }
        }

        return new LifecycleRule((int)priority, description, tagStatus, prefixes ?? [], patterns ?? [], countType, countNumber);
    }

    private static void ParseAction(JsonElement action)
    {
        RequireKind(action, JsonValueKind.Object, "object");
        RequireProperties(action, ActionProperties, ["type"]);
        if (RequireEnum(action.GetProperty("type"), ActionTypes) == "transition")
        {
            throw NotSimulated("action type transition (the archive storage class)");
        }

        if (action.TryGetProperty("targetStorageClass", out _))
        {
            throw Invalid("targetStorageClass must not be specified when the action type is expire");
        }
    }

    private static void ValidateAcrossRules(IReadOnlyList<LifecycleRule> rules)
    {
        var duplicate = rules.GroupBy(r => r.Priority).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw Invalid($"The rulePriority {duplicate.Key} is used by more than one rule; every rule needs a unique rulePriority");
        }

        if (rules.Count(r => r.TagStatus == LifecycleTagStatus.Untagged) > 1)
        {
            throw Invalid("Only one rule can select Untagged images.");
        }

        var highest = rules.Max(r => r.Priority);
        if (rules.Any(r => r.TagStatus == LifecycleTagStatus.Any && r.Priority != highest))
        {
            throw Invalid("Rule for tagStatus=ANY must have the lowest priority");
        }

        var selections = rules.Where(r => r.TagStatus == LifecycleTagStatus.Tagged)
            .Select(r => string.Join('\n', r.TagPrefixes.Order(StringComparer.Ordinal)) + '\0' + string.Join('\n', r.TagPatterns.Order(StringComparer.Ordinal)))
            .ToArray();
        if (selections.Distinct(StringComparer.Ordinal).Count() != selections.Length)
        {
            throw Invalid("The set of rules must contain a unique set of tag prefixes and tag patterns");
        }
    }

    private static IReadOnlyList<string>? OptionalStrings(JsonElement selection, string name)
    {
        if (!selection.TryGetProperty(name, out var list))
        {
            return null;
        }

        RequireKind(list, JsonValueKind.Array, "array");
        if (list.GetArrayLength() == 0)
        {
            throw Invalid($"{name} must not be empty");
        }

        return list.EnumerateArray().Select(item =>
        {
            RequireKind(item, JsonValueKind.String, "string");
            var value = item.GetString()!;
            return value.Length > 0 ? value : throw Invalid($"{name} must not contain an empty string");
        }).Distinct(StringComparer.Ordinal).ToArray();
    }

    private static void RequireProperties(JsonElement element, string[] allowed, string[] required)
    {
        var present = element.EnumerateObject().Select(p => p.Name).ToArray();
        var missing = required.Where(name => !present.Contains(name, StringComparer.Ordinal)).ToArray();
        if (missing.Length > 0)
        {
            throw Invalid($"object has missing required properties ({JsonList(missing)})");
        }

        var extra = present.Where(name => !allowed.Contains(name, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (extra.Length > 0)
        {
            throw Invalid($"object instance has properties which are not allowed by the schema: ({JsonList(extra)})");
        }
    }

    private static string RequireEnum(JsonElement element, string[] values)
    {
        RequireKind(element, JsonValueKind.String, "string");
        var value = element.GetString()!;
        return values.Contains(value, StringComparer.Ordinal)
            ? value
            : throw Invalid($"instance value (\"{value}\") not found in enum (possible values: {JsonList(values)})");
    }

    private static long RequireInteger(JsonElement element, long minimum)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var value))
        {
            throw Invalid($"instance type ({KindName(element.ValueKind)}) does not match any allowed primitive type (allowed: [\"integer\"])");
        }

        if (value > int.MaxValue)
        {
            throw Invalid($"numeric instance is greater than the required maximum (maximum: {int.MaxValue}, found: {value})");
        }

        return value >= minimum
            ? value
            : throw Invalid($"numeric instance is lower than the required minimum (minimum: {minimum}, found: {value})");
    }

    private static void RequireKind(JsonElement element, JsonValueKind kind, string name)
    {
        if (element.ValueKind != kind)
        {
            throw Invalid($"instance type ({KindName(element.ValueKind)}) does not match any allowed primitive type (allowed: [\"{name}\"])");
        }
    }

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string JsonList(IEnumerable<string> names) => "[" + string.Join(",", names.Select(n => "\"" + n + "\"")) + "]";

    public static AwsServiceException Invalid(string detail) =>
        new(AwsErrorCodes.InvalidParameter, $"Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: {detail}'");

    private static AwsServiceException NotSimulated(string what) =>
        new(AwsErrorCodes.InvalidParameter, $"GrantSim does not simulate lifecycle policies with {what}: only expire actions on the standard storage class, by image count or days since push (docs/aws-endpoints.md).");
}
