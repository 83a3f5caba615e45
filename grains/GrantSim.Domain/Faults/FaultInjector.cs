using GrantSim.Aws;
using GrantSim.Simulation;

namespace GrantSim.Faults;

/// <summary>
/// Decides, deterministically, whether a call fails by injection: the decision is a hash of the
/// plan's seed, the operation, the key and the key's call number, so the same sequence of calls
/// under the same seed fails in the same places. Stable hashing (FNV-1a, SplitMix64) rather than
/// string.GetHashCode, which differs per process.
/// </summary>
public static class FaultInjector
{
    /// <summary>
    /// Who a key is to the fault plan: its account, region and description rather than its random
    /// id, so that a seeded run that makes the same calls on the same keys fails in the same places.
    /// </summary>
    public static string KeyIdentity(string account, string region, string description) => $"{account}/{region}/{description}";

    public static string? Decide(FaultPlan plan, string operation, string principal, string keyId, long callNumber)
    {
        if (plan.IsEmpty)
        {
            return null;
        }

        for (var ruleIndex = 0; ruleIndex < plan.Rules.Count; ruleIndex++)
        {
            var rule = plan.Rules[ruleIndex];
            if (rule.Operation != FaultRule.AnyOperation && !string.Equals(rule.Operation, operation, StringComparison.Ordinal))
            {
                continue;
            }

            if (rule.Principal is not null && !string.Equals(rule.Principal, principal, StringComparison.Ordinal))
            {
                continue;
            }

            var hash = Mix((ulong)plan.Seed ^ Fnv(operation) ^ (Fnv(keyId) * 31) ^ ((ulong)callNumber * 0x9E3779B97F4A7C15UL) ^ ((ulong)ruleIndex << 56));
            var draw = (hash >> 11) * (1.0 / (1UL << 53));
            if (draw < rule.Probability)
            {
                return rule.ErrorCode;
            }
        }

        return null;
    }

    public static AwsServiceException Fault(string errorCode, string operation) => errorCode switch
    {
        AwsErrorCodes.Throttling => new(errorCode, "Rate exceeded"),
        AwsErrorCodes.DependencyTimeout => new(errorCode, $"The system timed out while trying to fulfill the {operation} request."),
        AwsErrorCodes.KmsInternal => new(errorCode, "An internal error occurred. Try again."),
        AwsErrorCodes.AccessDenied => new(errorCode, $"User is not authorized to perform: kms:{operation} (injected denial)"),
        _ => new(errorCode, $"Injected {errorCode} on {operation}."),
    };

    private static ulong Fnv(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
