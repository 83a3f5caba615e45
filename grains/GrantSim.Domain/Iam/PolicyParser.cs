using System.Collections.Concurrent;
using System.Text.Json;
using GrantSim.Aws;

namespace GrantSim.Iam;

/// <summary>
/// Reads IAM policy JSON (key policies and identity policies) into <see cref="PolicyDocument"/>.
/// Anything it cannot read is a MalformedPolicyDocumentException, as KMS answers PutKeyPolicy.
/// </summary>
public static class PolicyParser
{
    public const int MaxPolicyLength = 32 * 1024;

    private static readonly HashSet<string> KnownOperators = new(StringComparer.Ordinal)
    {
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
        "StringLike", "StringNotLike", "Bool", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike",
    };

    // Policies are few and immutable: parse each distinct text once.
    private static readonly ConcurrentDictionary<string, PolicyDocument> Cache = new(StringComparer.Ordinal);
    private const int CacheLimit = 10_000;

    public static PolicyDocument ParseCached(string json)
    {
        if (Cache.TryGetValue(json, out var cached))
        {
            return cached;
        }

        var parsed = Parse(json);
        if (Cache.Count >= CacheLimit)
        {
            Cache.Clear();
        }

        Cache.TryAdd(json, parsed);
        return parsed;
    }

    public static PolicyDocument Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json) || json.Length > MaxPolicyLength)
        {
            throw Malformed($"the policy must hold 1 to {MaxPolicyLength} characters");
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Statement", out var statementElement))
            {
                throw Malformed("the policy has no Statement");
            }

            var statements = statementElement.ValueKind switch
            {
                JsonValueKind.Array => statementElement.EnumerateArray().Select(ParseStatement).ToArray(),
                JsonValueKind.Object => [ParseStatement(statementElement)],
                _ => throw Malformed("Statement must be an object or an array"),
            };
            return new PolicyDocument(statements);
        }
        catch (JsonException e)
        {
            throw Malformed($"the policy is not valid JSON ({e.Message})");
        }
    }

    private static PolicyStatement ParseStatement(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("each statement must be an object");
        }

        var sid = element.TryGetProperty("Sid", out var sidElement) && sidElement.ValueKind == JsonValueKind.String ? sidElement.GetString() : null;
        var effect = element.TryGetProperty("Effect", out var effectElement) && effectElement.ValueKind == JsonValueKind.String ? effectElement.GetString() : null;
        var parsedEffect = effect switch
        {
            "Allow" => PolicyEffect.Allow,
            "Deny" => PolicyEffect.Deny,
            _ => throw Malformed($"statement {sid ?? "(no Sid)"} has Effect '{effect}', not Allow or Deny"),
        };

        var hasAction = element.TryGetProperty("Action", out var actionElement);
        var hasNotAction = element.TryGetProperty("NotAction", out var notActionElement);
        if (hasAction == hasNotAction)
        {
            throw Malformed($"statement {sid ?? "(no Sid)"} must have exactly one of Action and NotAction");
        }

        var actions = StringList(hasAction ? actionElement : notActionElement, "Action");
        var hasResource = element.TryGetProperty("Resource", out var resourceElement);
        var hasNotResource = element.TryGetProperty("NotResource", out var notResourceElement);
        if (hasResource && hasNotResource)
        {
            throw Malformed($"statement {sid ?? "(no Sid)"} must not have both Resource and NotResource");
        }

        // A key policy's statements are about the key itself, so a missing Resource means "*".
        var resources = hasResource ? StringList(resourceElement, "Resource") : hasNotResource ? StringList(notResourceElement, "NotResource") : ["*"];
        var principals = element.TryGetProperty("Principal", out var principalElement) ? ParsePrincipals(principalElement) : null;
        var conditions = element.TryGetProperty("Condition", out var conditionElement) ? ParseConditions(conditionElement) : [];
        return new PolicyStatement(sid, parsedEffect, principals, actions, hasNotAction, resources, hasNotResource, conditions);
    }

    private static PolicyPrincipals ParsePrincipals(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString() == "*" ? PolicyPrincipals.Any : throw Malformed("a string Principal must be \"*\"");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("Principal must be \"*\" or an object");
        }

        IReadOnlyList<string> aws = [], services = [];
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "AWS":
                    aws = StringList(property.Value, "Principal.AWS");
                    break;
                case "Service":
                    services = StringList(property.Value, "Principal.Service");
                    break;
                default:
                    throw Malformed($"Principal type '{property.Name}' is not supported (use AWS or Service)");
            }
        }

        return new PolicyPrincipals(aws.Contains("*"), aws, services);
    }

    private static IReadOnlyList<PolicyCondition> ParseConditions(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("Condition must be an object");
        }

        var conditions = new List<PolicyCondition>();
        foreach (var operatorProperty in element.EnumerateObject())
        {
            var unqualified = PolicyEvaluator.WithoutSetQualifier(operatorProperty.Name, out _);
            var baseOperator = unqualified.EndsWith("IfExists", StringComparison.Ordinal)
                ? unqualified[..^"IfExists".Length]
                : unqualified;
            if (!KnownOperators.Contains(baseOperator))
            {
                throw Malformed($"condition operator '{operatorProperty.Name}' is not supported");
            }

            if (operatorProperty.Value.ValueKind != JsonValueKind.Object)
            {
                throw Malformed($"condition '{operatorProperty.Name}' must map keys to values");
            }

            foreach (var keyProperty in operatorProperty.Value.EnumerateObject())
            {
                conditions.Add(new PolicyCondition(operatorProperty.Name, keyProperty.Name, StringList(keyProperty.Value, keyProperty.Name)));
            }
        }

        return conditions;
    }

    private static IReadOnlyList<string> StringList(JsonElement element, string what) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.True => ["true"],
        JsonValueKind.False => ["false"],
        JsonValueKind.Array => element.EnumerateArray().Select(item => item.ValueKind switch
        {
            JsonValueKind.String => item.GetString()!,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => throw Malformed($"{what} must hold strings"),
        }).ToArray(),
        _ => throw Malformed($"{what} must be a string or an array of strings"),
    };

    private static AwsServiceException Malformed(string why) =>
        new(AwsErrorCodes.MalformedPolicyDocument, $"The policy is malformed: {why}.");
}
