using GrantSim.Audit;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Kms;

namespace GrantSim.Client.Invariants;

/// <summary>The real state of the tenant regions under check, read once from the grains.</summary>
public sealed class StateSnapshot
{
    public required IReadOnlyDictionary<string, KeyMetadata> Keys { get; init; }

    public required IReadOnlyDictionary<string, IReadOnlyList<GrantRecord>> GrantsByKey { get; init; }

    public required IReadOnlyDictionary<(string Account, string Region), IReadOnlyList<AuditEvent>> Trails { get; init; }

    public required IReadOnlyDictionary<(string Account, string Region), IReadOnlyList<LeftoverGrantReport>> Leftovers { get; init; }

    public required IReadOnlyDictionary<(string Account, string Region), IReadOnlyList<AliasListEntry>> Aliases { get; init; }

    public required IReadOnlyDictionary<(string Account, string Region, string Name), RepositorySnapshot> Repositories { get; init; }

    public IEnumerable<RepositorySnapshot> LiveRepositories => Repositories.Values.Where(r => r.Status == RepositoryStatus.Active);

    public GrantRecord? FindGrant(string keyArn, string grantId) =>
        GrantsByKey.TryGetValue(keyArn, out var grants) ? grants.FirstOrDefault(g => g.Grant.GrantId == grantId) : null;

    public static async Task<StateSnapshot> ReadAsync(IGrainFactory grains, IEnumerable<(string Account, string Region)> tenantRegions, IEnumerable<(string Account, string Region, string Name)> repositoryNames)
    {
        var tenantList = tenantRegions.Distinct().ToArray();
        var keys = new Dictionary<string, KeyMetadata>(StringComparer.Ordinal);
        var grants = new Dictionary<string, IReadOnlyList<GrantRecord>>(StringComparer.Ordinal);
        var trails = new Dictionary<(string, string), IReadOnlyList<AuditEvent>>();
        var leftovers = new Dictionary<(string, string), IReadOnlyList<LeftoverGrantReport>>();
        var aliases = new Dictionary<(string, string), IReadOnlyList<AliasListEntry>>();
        var names = new HashSet<(string Account, string Region, string Name)>(repositoryNames);
        foreach (var (account, region) in tenantList)
        {
            var tenantRegion = GrainKeys.TenantRegion(account, region);
            var registry = grains.GetGrain<IKeyRegistryGrain>(tenantRegion);
            foreach (var keyArn in await registry.ListAllKeyArns())
            {
                var key = grains.GetGrain<IKeyGrain>(GrainKeys.Key(Aws.Arn.Parse(keyArn)));
                if (await key.Peek() is { } metadata)
                {
                    keys[keyArn] = metadata;
                    grants[keyArn] = await key.GetGrantHistory();
                }
            }

            aliases[(account, region)] = await registry.ListAliases();
            trails[(account, region)] = await grains.GetGrain<IAuditTrailGrain>(tenantRegion).Query(new AuditQuery());
            var repositories = grains.GetGrain<IRepositoryRegistryGrain>(tenantRegion);
            leftovers[(account, region)] = await repositories.GetLeftoverReports();
            foreach (var name in await repositories.List())
            {
                names.Add((account, region, name));
            }
        }

        var snapshots = new Dictionary<(string, string, string), RepositorySnapshot>();
        foreach (var (account, region, name) in names)
        {
            snapshots[(account, region, name)] = await grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(account, region, name)).Inspect();
        }

        return new StateSnapshot
        {
            Keys = keys, GrantsByKey = grants, Trails = trails, Leftovers = leftovers, Aliases = aliases, Repositories = snapshots,
        };
    }
}
