using System.Collections.Immutable;
using System.Text.RegularExpressions;
using GrantSim.Aws;

namespace GrantSim.Ecr;

/// <summary>
/// Resource tags on a repository (CreateRepository's <c>tags</c>, TagResource, UntagResource), with AWS's
/// tag restrictions as the ECR User Guide gives them: at most 50 tags per repository, keys of 1–128 and
/// values of 0–256 characters, letters, digits, spaces and <c>_ . : / = + - @</c>; keys are case-sensitive
/// and may not begin with <c>aws:</c> (reserved for AWS); tagging a key again replaces its value. Pure.
/// </summary>
public static partial class RepositoryResourceTags
{
    public const int MaxTagsPerRepository = 50;
    public const int MaxKeyLength = 128;
    public const int MaxValueLength = 256;
    public const string ReservedPrefix = "aws:";

    [GeneratedRegex(@"\A[\p{L}\p{Z}\p{N}_.:/=+\-@]*\z")]
    private static partial Regex AllowedCharacters();

    public static ImmutableSortedDictionary<string, string> Empty { get; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Adds or replaces the given tags; refuses the whole request if any tag is invalid or the result would have too many.</summary>
    public static ImmutableSortedDictionary<string, string> Apply(ImmutableSortedDictionary<string, string> existing, IReadOnlyList<RepositoryTag> tags)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            ValidateKey(tag.Key);
            if (tag.Value.Length > MaxValueLength || !AllowedCharacters().IsMatch(tag.Value))
            {
                throw InvalidTag($"The value of tag '{tag.Key}' must be 0 to {MaxValueLength} characters of letters, digits, spaces and _ . : / = + - @.");
            }

            if (!seen.Add(tag.Key))
            {
                throw InvalidTag($"The tag key '{tag.Key}' appears more than once in the request.");
            }
        }

        var result = existing.SetItems(tags.Select(t => KeyValuePair.Create(t.Key, t.Value)));
        return result.Count <= MaxTagsPerRepository
            ? result
            : throw new AwsServiceException(AwsErrorCodes.TooManyTags,
                $"The request would give the repository {result.Count} tags; a repository may have at most {MaxTagsPerRepository}.");
    }

    /// <summary>Removes the named tags; a key the repository does not have is ignored.</summary>
    public static ImmutableSortedDictionary<string, string> Remove(ImmutableSortedDictionary<string, string> existing, IReadOnlyList<string> tagKeys)
    {
        foreach (var key in tagKeys)
        {
            ValidateKey(key);
        }

        return existing.RemoveRange(tagKeys);
    }

    /// <summary>
    /// The repository a TagResource, UntagResource or ListTagsForResource names: an ECR repository ARN of the
    /// caller's own account, region and partition. Anything that is not such an ARN is InvalidParameterException;
    /// another account's repository is AccessDeniedException (each tenant has only its own registry).
    /// </summary>
    public static string RepositoryName(string resourceArn, string account, string region, string principal, string operation)
    {
        const string prefix = "repository/";
        if (!Arn.TryParse(resourceArn, out var arn) || arn.Service != "ecr" || !arn.Resource.StartsWith(prefix, StringComparison.Ordinal)
            || !AccountId.IsValid(arn.Account) || !RepositoryNames.IsValid(arn.Resource[prefix.Length..]))
        {
            throw new AwsServiceException(AwsErrorCodes.InvalidParameter,
                $"Invalid parameter at 'resourceArn' failed to satisfy constraint: '{resourceArn} is not the ARN of an Amazon ECR repository'");
        }

        if (arn.Account != account)
        {
            throw new AwsServiceException(AwsErrorCodes.AccessDenied,
                $"User: {principal} is not authorized to perform: {EcrOperations.Action(operation)} on resource: {resourceArn}");
        }

        if (arn.Region != region || arn.Partition != Regions.PartitionOf(region))
        {
            throw new AwsServiceException(AwsErrorCodes.InvalidParameter,
                $"Invalid parameter at 'resourceArn' failed to satisfy constraint: '{resourceArn} is not in {region}, the region of this request'");
        }

        return arn.Resource[prefix.Length..];
    }

    private static void ValidateKey(string key)
    {
        if (key.Length is < 1 or > MaxKeyLength || !AllowedCharacters().IsMatch(key))
        {
            throw InvalidTag($"The tag key '{key}' must be 1 to {MaxKeyLength} characters of letters, digits, spaces and _ . : / = + - @.");
        }

        if (key.StartsWith(ReservedPrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw InvalidTag($"The tag key '{key}' begins with '{ReservedPrefix}', which is reserved for AWS use.");
        }
    }

    private static AwsServiceException InvalidTag(string message) => new(AwsErrorCodes.InvalidTagParameter, message);
}
