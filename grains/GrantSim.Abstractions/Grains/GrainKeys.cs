using GrantSim.Aws;

namespace GrantSim.Grains;

/// <summary>
/// Grain keys. Every key starts with the tenant (account) so that nothing of one tenant is
/// addressed through another's; the region follows for regional resources.
/// </summary>
public static class GrainKeys
{
    public static string TenantRegion(string account, string region) => $"{account}/{region}";

    /// <summary>The ECR endpoint of one account's registry in a region, for a caller who names a registryId (possibly another account's).</summary>
    public static string EcrRegistry(string registryAccount, string region) => TenantRegion(registryAccount, region);

    public static string Key(string account, string region, string keyId) => $"{account}/{region}/{keyId}";

    public static string Key(Arn keyArn) => Key(keyArn.Account, keyArn.Region, keyArn.KeyId);

    public static string Repository(string account, string region, string repositoryName) => $"{account}/{region}/{repositoryName}";

    public static string StoredObject(string account, string region, string repositoryName, Guid incarnation, Ecr.StoredObjectKind kind, string digest) =>
        $"{account}/{region}/{repositoryName}@{incarnation:N}/{kind.ToString().ToLowerInvariant()}/{digest}";

    /// <summary>Splits <c>account/region/name</c>; the name may hold '/' (repository names do).</summary>
    public static (string Account, string Region, string Name) Split(string grainKey)
    {
        var parts = grainKey.Split('/', 3);
        if (parts.Length != 3)
        {
            throw new ArgumentException($"'{grainKey}' is not an account/region/name grain key.", nameof(grainKey));
        }

        return (parts[0], parts[1], parts[2]);
    }

    public static (string Account, string Region) SplitTenantRegion(string grainKey)
    {
        var parts = grainKey.Split('/');
        if (parts.Length != 2)
        {
            throw new ArgumentException($"'{grainKey}' is not an account/region grain key.", nameof(grainKey));
        }

        return (parts[0], parts[1]);
    }
}
