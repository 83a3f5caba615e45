using System.Collections.Immutable;
using GrantSim.Aws;

namespace GrantSim.Kms;

/// <summary>
/// Tags on a KMS key (TagResource, UntagResource, ListResourceTags, Tags at CreateKey), with KMS's
/// rules: at most 50 tags per key, a tag key once per request, no key that begins with
/// <c>aws:</c> (reserved for AWS), and tagging the same key again replaces its value. Tag keys are
/// case-sensitive, as KMS's are. Pure.
/// </summary>
public static class KeyTags
{
    public const int MaxTagsPerKey = 50;
    public const int MaxTagKeyLength = 128;
    public const int MaxTagValueLength = 256;
    private const string ReservedPrefix = "aws:";

    /// <summary>The tags of a new key (null or empty means none).</summary>
    public static ImmutableSortedDictionary<string, string>? Validate(IReadOnlyList<KeyTag>? tags) =>
        tags is null or { Count: 0 } ? null : Apply(ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal), tags, "");

    public static KmsKey Tag(KmsKey key, IReadOnlyList<KeyTag> tags)
    {
        KeyLifecycle.Require(key, KmsOperations.TagResource);
        return key with { Tags = Apply(key.TagSet, tags, key.Arn) };
    }

    /// <summary>Removes the named tags; a name the key does not have is ignored, as KMS does.</summary>
    public static KmsKey Untag(KmsKey key, IReadOnlyList<string> tagKeys)
    {
        foreach (var tagKey in tagKeys)
        {
            ValidateKey(tagKey);
        }

        KeyLifecycle.Require(key, KmsOperations.UntagResource);
        return key with { Tags = key.TagSet.RemoveRange(tagKeys) };
    }

    /// <summary>The <c>aws:ResourceTag/&lt;key&gt;</c> condition keys of a key's tags, for the policy evaluator.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ResourceTagConditions(KmsKey key) =>
        key.TagSet.Select(t => KeyValuePair.Create(Iam.ConditionKeys.AwsResourceTagPrefix + t.Key, t.Value));

    private static ImmutableSortedDictionary<string, string> Apply(ImmutableSortedDictionary<string, string> existing, IReadOnlyList<KeyTag> tags, string keyArn)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            ValidateKey(tag.TagKey);
            if (tag.TagValue.Length > MaxTagValueLength)
            {
                throw Invalid($"Tag value for '{tag.TagKey}' is longer than {MaxTagValueLength} characters.");
            }

            if (!seen.Add(tag.TagKey))
            {
                throw Invalid($"Duplicate tag key '{tag.TagKey}': a tag key may appear once in a request.");
            }
        }

        var result = existing.SetItems(tags.Select(t => KeyValuePair.Create(t.TagKey, t.TagValue)));
        return result.Count <= MaxTagsPerKey
            ? result
            : throw new AwsServiceException(AwsErrorCodes.LimitExceeded,
                $"The request would give {(keyArn.Length == 0 ? "the key" : keyArn)} {result.Count} tags; a KMS key may have at most {MaxTagsPerKey}.");
    }

    private static void ValidateKey(string tagKey)
    {
        if (tagKey.Length is < 1 or > MaxTagKeyLength)
        {
            throw Invalid($"Tag key '{tagKey}' must be 1 to {MaxTagKeyLength} characters long.");
        }

        if (tagKey.StartsWith(ReservedPrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid($"Tag key '{tagKey}' begins with '{ReservedPrefix}', which is reserved for AWS use.");
        }
    }

    private static AwsServiceException Invalid(string message) => new(AwsErrorCodes.Tag, message);
}
