using GrantSim.Aws;
using GrantSim.Client.Hosting;
using GrantSim.Grains;
using GrantSim.Identity;
using GrantSim.Kms;

namespace GrantSim.Client.Simulation;

/// <summary>
/// The simulated tenants: accounts, the regions they use, their IAM roles, and the customer
/// managed keys (with aliases) made for them at the start.
/// </summary>
public sealed class World
{
    public const int CustomerKeysPerRegion = 2;

    private readonly Dictionary<(string Account, string Region), List<string>> _customerKeys = [];

    private World(IReadOnlyList<string> accounts, IReadOnlyList<string> regions)
    {
        Accounts = accounts;
        Regions = regions;
    }

    public IReadOnlyList<string> Accounts { get; }

    public IReadOnlyList<string> Regions { get; }

    public IEnumerable<(string Account, string Region)> TenantRegions =>
        Accounts.SelectMany(a => Regions.Select(r => (a, r)));

    /// <summary>The customer managed key ARNs of an account+region, in creation order.</summary>
    public IReadOnlyList<string> CustomerKeys(string account, string region) => _customerKeys[(account, region)];

    public static string AliasName(int index) => $"alias/team-{index}";

    /// <summary>The description of customer key <paramref name="index"/> of an account+region (what the fault plan knows a key by).</summary>
    public static string KeyDescription(int index, string account, string region) => $"team key {index} of {account} in {region}";

    public static CallerIdentity Principal(string account, string region, string role) =>
        role == "root"
            ? CallerIdentity.Root(Aws.Regions.PartitionOf(region), account)
            : CallerIdentity.Role(Aws.Regions.PartitionOf(region), account, role);

    /// <summary>Accounts are derived from a base and the tenant index, so that runs with different seeds and parallel tests can use disjoint tenants.</summary>
    public static IReadOnlyList<string> AccountsFor(long firstAccount, int tenants) =>
        Enumerable.Range(0, tenants).Select(i => AccountId.Require((firstAccount + i).ToString("D12", System.Globalization.CultureInfo.InvariantCulture))).ToArray();

    /// <summary>
    /// Makes the world's principals, keys and aliases, or adopts those an earlier attempt made: every
    /// step is retried while the cluster cannot answer (a silo just died), so each is written to be
    /// safe to repeat — a put, or a create that first looks for what it would create.
    /// </summary>
    public static async Task<World> CreateAsync(IGrainFactory grains, IReadOnlyList<string> accounts, IReadOnlyList<string> regions, CancellationToken cancellationToken = default)
    {
        var world = new World(accounts, regions);
        foreach (var account in accounts)
        {
            var iam = grains.GetGrain<IIamGrain>(account);
            foreach (var role in Roles.All)
            {
                await ClusterRetry.RunAsync(() => iam.PutPrincipal(new PrincipalDefinition($"role/{role}", [Roles.PolicyFor(role)])), cancellationToken: cancellationToken);
            }

            foreach (var region in regions)
            {
                var kms = grains.GetGrain<IKmsServiceGrain>(region);
                var keys = new List<string>();
                for (var k = 0; k < CustomerKeysPerRegion; k++)
                {
                    var index = k;
                    keys.Add(await ClusterRetry.RunAsync(() => EnsureCustomerKeyAsync(kms, account, region, index), cancellationToken: cancellationToken));
                }

                world._customerKeys[(account, region)] = keys;
            }
        }

        return world;
    }

    /// <summary>
    /// The ARN of customer key <paramref name="index"/> with its alias: found by the alias, or adopted
    /// by its description when a CreateKey whose answer was lost made it without one, or created.
    /// </summary>
    private static async Task<string> EnsureCustomerKeyAsync(IKmsServiceGrain kms, string account, string region, int index)
    {
        var root = Principal(account, region, "root");
        var alias = AliasName(index);
        if (await ArnOfAliasAsync(kms, root, alias) is { } existing)
        {
            return existing;
        }

        var description = KeyDescription(index, account, region);
        string? arn = null;
        foreach (var listed in await kms.ListKeys(root))
        {
            var metadata = await kms.DescribeKey(root, listed.KeyArn);
            if (metadata.KeyManager == KeyManager.Customer && metadata.Description == description)
            {
                arn = metadata.Arn;
                break;
            }
        }

        arn ??= (await kms.CreateKey(root, new CreateKeyRequest(description))).Arn;
        try
        {
            await kms.CreateAlias(root, alias, Arn.Parse(arn).KeyId);
            return arn;
        }
        catch (AwsServiceException error) when (error.ErrorCode == AwsErrorCodes.AlreadyExists)
        {
            // An earlier attempt's CreateAlias took effect though its answer was lost.
            return await ArnOfAliasAsync(kms, root, alias)
                ?? throw new InvalidOperationException($"{alias} of {account} in {region} exists and does not: {error.Message}", error);
        }
    }

    private static async Task<string?> ArnOfAliasAsync(IKmsServiceGrain kms, CallerIdentity root, string alias)
    {
        try
        {
            return (await kms.DescribeKey(root, alias)).Arn;
        }
        catch (AwsServiceException error) when (error.ErrorCode == AwsErrorCodes.NotFound)
        {
            return null;
        }
    }
}
