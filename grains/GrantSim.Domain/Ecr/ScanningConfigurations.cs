using System.Collections.Immutable;

namespace GrantSim.Ecr;

/// <summary>
/// Registry and repository scanning configurations, stored and reported as ECR reports them. Nothing is
/// ever scanned: GrantSim has no vulnerability database, so StartImageScan and DescribeImageScanFindings
/// are refused (docs/decisions.md). Pure.
/// </summary>
public static class ScanningConfigurations
{
    /// <summary>
    /// Checks a PutRegistryScanningConfiguration (enums, lengths and counts are the model's): basic scanning
    /// takes SCAN_ON_PUSH rules, enhanced scanning SCAN_ON_PUSH and CONTINUOUS_SCAN rules (the API
    /// reference's RegistryScanningRule), one rule per frequency; filters are WILDCARD.
    /// </summary>
    public static RegistryScanningConfiguration Validate(RegistryScanningConfiguration requested)
    {
        var allowed = requested.ScanType switch
        {
            RegistryScanningConfiguration.Basic => new[] { RegistryScanningConfiguration.ScanOnPush },
            RegistryScanningConfiguration.Enhanced => [RegistryScanningConfiguration.ScanOnPush, RegistryScanningConfiguration.ContinuousScan],
            _ => throw RepositorySettingsRules.Validation($"The scan type '{requested.ScanType}' is not {RegistryScanningConfiguration.Basic} or {RegistryScanningConfiguration.Enhanced}."),
        };
        var rules = requested.Rules.IsDefault ? [] : requested.Rules;
        foreach (var rule in rules)
        {
            if (!allowed.Contains(rule.ScanFrequency, StringComparer.Ordinal))
            {
                throw RepositorySettingsRules.Validation(
                    $"The scan frequency '{rule.ScanFrequency}' is not supported with scan type {requested.ScanType}: use {string.Join(" or ", allowed)}.");
            }

            if (rule.RepositoryFilters.FirstOrDefault(f => f.FilterType != ImageTagMutabilities.Wildcard) is { } wrong)
            {
                throw RepositorySettingsRules.Validation($"The repository filter type '{wrong.FilterType}' is not {ImageTagMutabilities.Wildcard}.");
            }
        }

        if (rules.GroupBy(r => r.ScanFrequency, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw RepositorySettingsRules.Validation($"There is more than one rule with scan frequency {twice.Key}: give each frequency one rule with all its filters.");
        }

        return requested with { Rules = rules };
    }

    /// <summary>
    /// What BatchGetRepositoryScanningConfiguration reports for one repository: the registry's rule whose
    /// filters match the repository's name decides the frequency (continuous scanning before scan on push,
    /// as a repository under both is scanned continuously), with the filters that matched. Under basic
    /// scanning with no matching rule, the repository's own (legacy) scanOnPush flag gives SCAN_ON_PUSH.
    /// Otherwise MANUAL.
    /// </summary>
    public static RepositoryScanningConfiguration For(RepositoryDescription repository, RegistryScanningConfiguration registry)
    {
        var scanOnPush = repository.Settings.ScanOnPush;
        foreach (var frequency in new[] { RegistryScanningConfiguration.ContinuousScan, RegistryScanningConfiguration.ScanOnPush })
        {
            var matched = registry.Rules.Where(r => r.ScanFrequency == frequency)
                .SelectMany(r => r.RepositoryFilters)
                .Where(f => Wildcards.Matches(f.Filter, repository.RepositoryName))
                .ToImmutableArray();
            if (matched.Length > 0)
            {
                return new RepositoryScanningConfiguration(repository.RepositoryArn, repository.RepositoryName, scanOnPush, frequency, matched);
            }
        }

        var fallback = registry.ScanType == RegistryScanningConfiguration.Basic && scanOnPush
            ? RegistryScanningConfiguration.ScanOnPush
            : RegistryScanningConfiguration.Manual;
        return new RepositoryScanningConfiguration(repository.RepositoryArn, repository.RepositoryName, scanOnPush, fallback, []);
    }
}
