using GrantSim.Aws;
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

    public static async Task<World> CreateAsync(IGrainFactory grains, IReadOnlyList<string> accounts, IReadOnlyList<string> regions)
    {
        var world = new World(accounts, regions);
        foreach (var account in accounts)
        {
            var iam = grains.GetGrain<IIamGrain>(account);
            foreach (var role in Roles.All)
            {
                await iam.PutPrincipal(new PrincipalDefinition($"role/{role}", [Roles.PolicyFor(role)]));
            }

            foreach (var region in regions)
            {
                var kms = grains.GetGrain<IKmsServiceGrain>(region);
                var root = Principal(account, region, "root");
                var keys = new List<string>();
                for (var k = 0; k < CustomerKeysPerRegion; k++)
                {
                    var key = await kms.CreateKey(root, new CreateKeyRequest(KeyDescription(k, account, region)));
                    await kms.CreateAlias(root, AliasName(k), key.KeyId);
                    keys.Add(key.Arn);
                }

                world._customerKeys[(account, region)] = keys;
            }
        }

        return world;
    }
}
