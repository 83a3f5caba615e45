using System.Text.RegularExpressions;
using GrantSim.Aws;

namespace GrantSim.Silo.Aws;

/// <summary>
/// ECR's registry host names the registry: <c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.amazonaws.com</c> (or
/// <c>.amazonaws.com.cn</c>, or any other suffix such as <c>.localhost</c>, for a client that resolves it to
/// GrantSim). Any other Host (<c>127.0.0.1:4566</c>) names no registry, and the token's decides.
/// </summary>
public static partial class RegistryHost
{
    [GeneratedRegex(@"^(?<account>[0-9]{12})\.dkr\.ecr\.(?<region>[a-z0-9-]+)\.[A-Za-z0-9.-]+(:[0-9]{1,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>The account and region a Host header names, or null when it is not a registry host name.</summary>
    public static (string Account, string Region)? Parse(string? host)
    {
        if (string.IsNullOrEmpty(host) || host.Length > 253)
        {
            return null;
        }

        var match = Pattern().Match(host);
        return match.Success && AccountId.IsValid(match.Groups["account"].Value) && Regions.IsKnown(match.Groups["region"].Value)
            ? (match.Groups["account"].Value, match.Groups["region"].Value)
            : null;
    }
}
