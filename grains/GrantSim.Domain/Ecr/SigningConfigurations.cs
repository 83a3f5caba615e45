using System.Text.RegularExpressions;
using GrantSim.Aws;

namespace GrantSim.Ecr;

/// <summary>
/// Managed signing's registry configuration (Put/Get/DeleteSigningConfiguration) and what DescribeImageSigningStatus can
/// honestly say. GrantSim does not simulate AWS Signer: it never signs an image and never reports a signature. An image of
/// a repository that no rule matches has no signing status (an empty list); for each signing profile whose rule matches
/// the repository the status is FAILED with <see cref="SignerNotSimulated"/>, which says that no signature was made.
/// Pure.
/// </summary>
public static partial class SigningConfigurations
{
    /// <summary>At most this many rules (the model's SigningRuleList).</summary>
    public const int MaxRules = 10;

    /// <summary>At most this many repository filters in a rule (the model's SigningRepositoryFilterList).</summary>
    public const int MaxFiltersPerRule = 100;

    public const string WildcardMatch = "WILDCARD_MATCH";

    /// <summary>The failureCode of every signing status GrantSim reports: it simulates no signer.</summary>
    public const string SignerNotSimulated = "SignerNotSimulated";

    public const string Failed = "FAILED";

    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:signer:[a-z0-9-]+:[0-9]{12}:\/signing-profiles\/[a-zA-Z0-9_]{2,}$")]
    private static partial Regex ProfileArnPattern();

    [GeneratedRegex(@"^(?:[a-z0-9*]+(?:[._-][a-z0-9*]+)*/)*[a-z0-9*]+(?:[._-][a-z0-9*]+)*$")]
    private static partial Regex FilterPattern();

    /// <summary>Checks a configuration as the model constrains it; anything else is ValidationException and nothing is stored.</summary>
    public static SigningConfiguration Validate(SigningConfiguration configuration)
    {
        if (configuration.Rules.Count > MaxRules)
        {
            throw Invalid("signingConfiguration.rules", $"Member must have length less than or equal to {MaxRules}");
        }

        foreach (var rule in configuration.Rules)
        {
            if (rule.SigningProfileArn.Length > 200 || !ProfileArnPattern().IsMatch(rule.SigningProfileArn))
            {
                throw Invalid("signingConfiguration.rules.member.signingProfileArn",
                    $"Member must satisfy regular expression pattern: {ProfileArnPattern()}", rule.SigningProfileArn);
            }

            if (rule.RepositoryFilters.Count > MaxFiltersPerRule)
            {
                throw Invalid("signingConfiguration.rules.member.repositoryFilters", $"Member must have length less than or equal to {MaxFiltersPerRule}");
            }

            foreach (var filter in rule.RepositoryFilters)
            {
                if (filter.FilterType != WildcardMatch)
                {
                    throw Invalid("signingConfiguration.rules.member.repositoryFilters.member.filterType", $"Member must satisfy enum value set: [{WildcardMatch}]", filter.FilterType);
                }

                if (filter.Filter.Length is 0 or > 256 || !FilterPattern().IsMatch(filter.Filter))
                {
                    throw Invalid("signingConfiguration.rules.member.repositoryFilters.member.filter",
                        $"Member must satisfy regular expression pattern: {FilterPattern()}", filter.Filter);
                }
            }
        }

        return configuration;
    }

    /// <summary>The signing profiles whose rules apply to <paramref name="repositoryName"/> (a rule without filters applies to every repository), each once.</summary>
    public static IReadOnlyList<string> ProfilesFor(SigningConfiguration? configuration, string repositoryName) =>
        configuration is null
            ? []
            : configuration.Rules
                .Where(rule => rule.RepositoryFilters.Count == 0 || rule.RepositoryFilters.Any(f => Wildcards.Matches(f.Filter, repositoryName)))
                .Select(rule => rule.SigningProfileArn).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>What DescribeImageSigningStatus reports: per matching profile, FAILED because no signer ran; nothing when no rule matches.</summary>
    public static IReadOnlyList<ImageSigningStatus> StatusesFor(SigningConfiguration? configuration, string repositoryName) =>
        ProfilesFor(configuration, repositoryName).Select(profile => new ImageSigningStatus(profile, Failed, SignerNotSimulated,
            "GrantSim does not simulate AWS Signer: no signature was generated for this image.")).ToArray();

    public static AwsServiceException NotFound(string registryId) =>
        new(AwsErrorCodes.SigningConfigurationNotFound, $"Signing configuration does not exist in the registry with id '{registryId}'");

    private static AwsServiceException Invalid(string member, string constraint, string? value = null) =>
        new(AwsErrorCodes.Validation, $"1 validation error detected: Value {(value is null ? "" : $"'{value}' ")}at '{member}' failed to satisfy constraint: {constraint}");
}
