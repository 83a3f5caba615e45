using GrantSim.Aws;
using GrantSim.Grains;

namespace GrantSim.Kms;

/// <summary>
/// Resolves what callers write as a KeyId (key id, key ARN, alias name, alias ARN) to a key ARN,
/// the way KMS does: ids and alias names are read in the caller's account and the endpoint's region.
/// </summary>
public sealed class KeyReferences(IGrainFactory grains)
{
    public static bool IsKeyId(string reference) => Guid.TryParseExact(reference, "D", out _) || MultiRegionKeys.IsId(reference);

    /// <summary>
    /// Operations whose KeyId is documented as "key ID or key ARN" (tags, rotation) do not take an alias:
    /// KMS answers NotFoundException, as for a key it does not have.
    /// </summary>
    public static bool RequireKeyIdOrArn(string reference, string operation)
    {
        var isAlias = reference.StartsWith(Kms.KmsAliases.Prefix, StringComparison.Ordinal)
            || (Arn.TryParse(reference, out var arn) && arn.IsKmsAlias);
        return isAlias
            ? throw new AwsServiceException(AwsErrorCodes.NotFound, $"Invalid keyId '{reference}': {operation} takes a key ID or key ARN, not an alias.")
            : true;
    }

    public async Task<string> ResolveAsync(string? reference, string callerAccount, string region)
    {
        if (string.IsNullOrWhiteSpace(reference) || reference.Length > 2048)
        {
            throw new AwsServiceException(AwsErrorCodes.Validation, "1 validation error detected: Value at 'keyId' failed to satisfy constraint: Member must have length between 1 and 2048");
        }

        if (IsKeyId(reference))
        {
            return Arn.KmsKey(region, callerAccount, reference).ToString();
        }

        if (reference.StartsWith(Kms.KmsAliases.Prefix, StringComparison.Ordinal))
        {
            return await ResolveAlias(callerAccount, region, reference);
        }

        if (TryParseKmsArn(reference, region, out var arn))
        {
            if (arn.IsKmsKey && IsKeyId(arn.KeyId))
            {
                return arn.ToString();
            }

            if (arn.IsKmsAlias)
            {
                return await ResolveAlias(arn.Account, region, arn.Resource);
            }
        }

        throw new AwsServiceException(AwsErrorCodes.NotFound, $"Invalid keyId '{reference}'");
    }

    private static bool TryParseKmsArn(string reference, string region, out Arn arn)
    {
        if (!Arn.TryParse(reference, out arn) || arn.Service != "kms")
        {
            return false;
        }

        // KMS is regional: an ARN of another region names no key this endpoint knows.
        if (arn.Region != region || arn.Partition != Regions.PartitionOf(region))
        {
            throw new AwsServiceException(AwsErrorCodes.NotFound, $"Key '{reference}' does not exist in {region}");
        }

        return AccountId.IsValid(arn.Account);
    }

    private async Task<string> ResolveAlias(string account, string region, string aliasName) =>
        await grains.GetGrain<IKeyRegistryGrain>(GrainKeys.TenantRegion(account, region)).ResolveAlias(aliasName)
        ?? throw new AwsServiceException(AwsErrorCodes.NotFound, $"Alias {Arn.KmsAlias(region, account, aliasName)} is not found.");
}
