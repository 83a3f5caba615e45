using System.Collections.Immutable;
using GrantSim.Aws;

namespace GrantSim.Ecr;

/// <summary>
/// Pull-time update exclusions (RegisterPullTimeUpdateExclusion, DeregisterPullTimeUpdateExclusion,
/// ListPullTimeUpdateExclusions): IAM roles and users whose pulls leave an image's <c>lastRecordedPullTime</c> as it
/// was — a scanner's or a CI job's pulls, so that they do not keep images alive under a lifecycle policy. At most
/// <see cref="MaxPerRegistry"/> per registry, as the ECR User Guide says ("up to 100 exclusions per account"). Pure.
/// </summary>
public static class PullTimeExclusions
{
    public const int MaxPerRegistry = 100;

    public static ImmutableSortedDictionary<string, DateTimeOffset> Empty { get; } =
        ImmutableSortedDictionary<string, DateTimeOffset>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>The exclusions with <paramref name="principalArn"/> added at <paramref name="now"/>; ExclusionAlreadyExistsException or LimitExceededException change nothing.</summary>
    public static ImmutableSortedDictionary<string, DateTimeOffset> Register(ImmutableSortedDictionary<string, DateTimeOffset> exclusions, string principalArn, string registryId, DateTimeOffset now)
    {
        if (exclusions.ContainsKey(principalArn))
        {
            throw new AwsServiceException(AwsErrorCodes.ExclusionAlreadyExists,
                $"The principal '{principalArn}' is already excluded from pull time updates in the registry with id '{registryId}'");
        }

        return exclusions.Count >= MaxPerRegistry
            ? throw new AwsServiceException(AwsErrorCodes.LimitExceeded,
                $"The registry with id '{registryId}' already has {MaxPerRegistry} pull time update exclusions, the most it may have.")
            : exclusions.Add(principalArn, now);
    }

    /// <summary>The exclusions without <paramref name="principalArn"/>; ExclusionNotFoundException when it is not excluded.</summary>
    public static ImmutableSortedDictionary<string, DateTimeOffset> Deregister(ImmutableSortedDictionary<string, DateTimeOffset> exclusions, string principalArn, string registryId) =>
        exclusions.ContainsKey(principalArn)
            ? exclusions.Remove(principalArn)
            : throw new AwsServiceException(AwsErrorCodes.ExclusionNotFound,
                $"The principal '{principalArn}' is not excluded from pull time updates in the registry with id '{registryId}'");

    /// <summary>
    /// Whether a pull by <paramref name="principal"/> leaves the pull time alone. An excluded role covers every session
    /// of it: an assumed-role principal (<c>arn:aws:sts::…:assumed-role/NAME/SESSION</c>) is matched by its role.
    /// </summary>
    public static bool Excludes(ImmutableSortedDictionary<string, DateTimeOffset> exclusions, string principal) =>
        exclusions.ContainsKey(principal) || (RoleOfSession(principal) is { } role && exclusions.ContainsKey(role));

    private static string? RoleOfSession(string principal)
    {
        if (!Arn.TryParse(principal, out var arn) || arn.Service != "sts" || !arn.Resource.StartsWith("assumed-role/", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = arn.Resource.Split('/');
        return parts.Length >= 3 ? $"arn:{arn.Partition}:iam::{arn.Account}:role/{parts[1]}" : null;
    }
}
