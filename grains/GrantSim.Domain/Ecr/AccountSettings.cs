using System.Collections.Immutable;
using GrantSim.Aws;

namespace GrantSim.Ecr;

/// <summary>
/// ECR's account settings (GetAccountSetting, PutAccountSetting), one set per registry (account and Region), with the
/// names and values the ECR API reference documents. What each means in GrantSim (docs/decisions.md):
/// <list type="bullet">
/// <item><c>BASIC_SCAN_TYPE_VERSION</c>: AWS_NATIVE (the default, and the only value Put accepts; CLAIR basic scanning is
/// retired). Stored only: GrantSim scans no image.</item>
/// <item><c>REGISTRY_POLICY_SCOPE</c>: V1, what GrantSim enforces — a registry policy grants only replication's and pull
/// through cache's actions (<see cref="RegistryPolicies"/>). Putting V1 keeps it; V2 (a registry policy over every ECR
/// action) is refused plainly with InvalidParameterException, since GrantSim would not enforce it.</item>
/// <item><c>BLOB_MOUNTING</c>: DISABLED (the default) or ENABLED. Stored only: GrantSim's registry mounts no blob across
/// repositories (a mount request starts an ordinary upload, as the distribution spec allows).</item>
/// </list>
/// Pure.
/// </summary>
public static class AccountSettings
{
    public const string BasicScanTypeVersion = "BASIC_SCAN_TYPE_VERSION";
    public const string RegistryPolicyScope = "REGISTRY_POLICY_SCOPE";
    public const string BlobMounting = "BLOB_MOUNTING";

    /// <summary>Each setting's value before any Put.</summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [BasicScanTypeVersion] = "AWS_NATIVE",
        [RegistryPolicyScope] = "V1",
        [BlobMounting] = "DISABLED",
    };

    /// <summary>The values PutAccountSetting accepts for each setting.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Settable { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [BasicScanTypeVersion] = ["AWS_NATIVE"],
        [RegistryPolicyScope] = ["V1"],
        [BlobMounting] = ["ENABLED", "DISABLED"],
    };

    public static ImmutableSortedDictionary<string, string> Empty { get; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>The setting's value: the one put, else its default. An unknown name is InvalidParameterException.</summary>
    public static string Get(ImmutableSortedDictionary<string, string> settings, string name) =>
        settings.GetValueOrDefault(RequireName(name)) ?? Defaults[name];

    /// <summary>The settings with <paramref name="name"/> set to <paramref name="value"/>; an unknown name or a value it does not take changes nothing.</summary>
    public static ImmutableSortedDictionary<string, string> Put(ImmutableSortedDictionary<string, string> settings, string name, string value)
    {
        var allowed = Settable[RequireName(name)];
        if (allowed.Contains(value, StringComparer.Ordinal))
        {
            return settings.SetItem(name, value);
        }

        var why = (name, value) switch
        {
            (RegistryPolicyScope, "V2") => "GrantSim enforces registry policies with the V1 scope only (replication and pull through cache actions); V2 is not simulated",
            (BasicScanTypeVersion, "CLAIR") => "CLAIR basic scanning is no longer supported",
            _ => $"'{value}' is not a value of {name}",
        };
        throw new AwsServiceException(AwsErrorCodes.InvalidParameter,
            $"Invalid parameter at 'value' failed to satisfy constraint: '{why}; valid values: {string.Join(", ", allowed)}'");
    }

    private static string RequireName(string name) =>
        Defaults.ContainsKey(name)
            ? name
            : throw new AwsServiceException(AwsErrorCodes.InvalidParameter,
                $"Invalid parameter at 'name' failed to satisfy constraint: 'Account setting name must be one of {string.Join(", ", Defaults.Keys)}'");
}
