using System.Diagnostics.CodeAnalysis;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Identity;

namespace GrantSim.Kms;

/// <summary>
/// When a KMS request can go to its key's grain directly, skipping the Region's service grain: when
/// the key it names needs nothing resolved (a key ARN of this Region, the key a ciphertext's header
/// names, the key a grant token names) and nothing the service grain checks could refuse it. Then the
/// service grain would only have passed the call on, so going direct changes no answer and no record:
/// it saves a grain call on the hot path (docs/performance.md). Anything else, every refusal included,
/// still goes through the service grain, which records refusals in the trail.
/// </summary>
public static class KeyRouting
{
    /// <summary>The key ARN <paramref name="keyReference"/> is, when it is one of <paramref name="region"/> that <paramref name="caller"/> may name.</summary>
    public static bool TryDirect(CallerIdentity caller, string region, string? keyReference, [NotNullWhen(true)] out string? keyArn)
    {
        keyArn = null;
        if (keyReference is null || keyReference.Length > 2048 || !CallerValidIn(caller, region)
            || !Arn.TryParse(keyReference, out var arn) || !IsKeyOf(arn, region))
        {
            return false;
        }

        keyArn = arn.ToString();
        return true;
    }

    /// <summary>The key a symmetric ciphertext's header names, when it is of <paramref name="region"/> and agrees with the key the caller named, if any.</summary>
    public static bool TryDirectFromCiphertext(CallerIdentity caller, string region, byte[]? ciphertext, string? namedKeyId, [NotNullWhen(true)] out string? keyArn)
    {
        keyArn = null;
        if (ciphertext is null || !CallerValidIn(caller, region) || !KmsCiphertext.TryReadKeyArn(ciphertext, out var header)
            || !Arn.TryParse(header, out var arn) || !IsKeyOf(arn, region))
        {
            return false;
        }

        var blobKey = arn.ToString();
        if (namedKeyId is not null && !string.Equals(namedKeyId, blobKey, StringComparison.Ordinal))
        {
            // A key id or alias the caller named must be resolved and compared (IncorrectKeyException): the service grain's work.
            return false;
        }

        keyArn = blobKey;
        return true;
    }

    /// <summary>The key and grant a grant token names, when the token is one of <paramref name="region"/>.</summary>
    public static bool TryDirectFromToken(string region, string? grantToken, [NotNullWhen(true)] out string? keyArn, [NotNullWhen(true)] out string? grantId)
    {
        if (GrantTokens.TryRead(grantToken, out keyArn, out grantId) && Arn.TryParse(keyArn, out var arn) && IsKeyOf(arn, region))
        {
            return true;
        }

        keyArn = grantId = null;
        return false;
    }

    private static bool IsKeyOf(Arn arn, string region) =>
        arn.Service == "kms" && arn.IsKmsKey && KeyReferences.IsKeyId(arn.KeyId)
        && arn.Region == region && arn.Partition == Regions.PartitionOf(region) && AccountId.IsValid(arn.Account);

    private static bool CallerValidIn(CallerIdentity caller, string region)
    {
        try
        {
            caller.ValidateFor(region);
            return true;
        }
        catch (AwsServiceException)
        {
            return false;
        }
    }
}
