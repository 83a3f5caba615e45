using System.Collections.Immutable;

namespace GrantSim.Model.Tests.Model;

/// <summary>
/// The whole model world, immutable, so that the linearizability check can try every order of
/// concurrent commands from the same starting point.
/// </summary>
public sealed record ModelState(
    DateTimeOffset Now,
    ImmutableList<ModelKey> Keys,
    ImmutableList<ModelGrant> Grants,
    ImmutableDictionary<string, ModelRepository> Repositories,
    ImmutableDictionary<int, ImmutableList<(ModelFault Fault, int Region)>> Faults,
    ImmutableDictionary<int, TimeSpan> Delays,
    int NextSym)
{
    /// <summary>The replication configuration of each registry (<see cref="RegistryKey"/>): its destinations.</summary>
    public ImmutableDictionary<string, ImmutableArray<Commands.ModelDestination>> Replication { get; init; } = ImmutableDictionary<string, ImmutableArray<Commands.ModelDestination>>.Empty;

    /// <summary>The registry policy of each registry: the source account it lets replicate in, and whether it may create repositories.</summary>
    public ImmutableDictionary<string, (int Source, bool Create)> RegistryPolicies { get; init; } = ImmutableDictionary<string, (int, bool)>.Empty;

    public static string RegistryKey(int account, int region) => $"{account}/{region}";

    /// <summary>The world the simulation's set-up makes: two customer keys with aliases alias/team-0 and alias/team-1 per account and region.</summary>
    public static ModelState Initial(DateTimeOffset now)
    {
        var keys = ImmutableList.CreateBuilder<ModelKey>();
        for (var account = 0; account < Facts.Accounts; account++)
        {
            for (var region = 0; region < Facts.Regions.Length; region++)
            {
                for (var k = 0; k < 2; k++)
                {
                    keys.Add(new ModelKey($"k{account}.{region}.{k}", account, region, AwsManaged: false, KeyStatus.Enabled, null, $"alias/team-{k}"));
                }
            }
        }

        return new ModelState(now, keys.ToImmutable(), [], ImmutableDictionary<string, ModelRepository>.Empty,
            ImmutableDictionary<int, ImmutableList<(ModelFault, int)>>.Empty, ImmutableDictionary<int, TimeSpan>.Empty, 0);
    }

    public static string RepositoryKey(int account, int region, string name) => $"{account}/{region}/{name}";

    public IEnumerable<ModelKey> KeysOf(int account, int region) => Keys.Where(k => k.Account == account && k.Region == region);

    public ModelKey Key(string sym) => Keys.Single(k => k.Sym == sym);

    public ModelGrant Grant(string sym) => Grants.Single(g => g.Sym == sym);

    /// <summary>Grants on the keys of an account and region, in creation order.</summary>
    public IEnumerable<ModelGrant> GrantsOf(int account, int region) =>
        Grants.Where(g => Key(g.KeySym) is var key && key.Account == account && key.Region == region);

    public TimeSpan DelayOf(int account) => Delays.GetValueOrDefault(account, TimeSpan.Zero);

    public ModelState WithKey(ModelKey key) => this with { Keys = Keys.Replace(Key(key.Sym), key) };

    public ModelState WithGrant(ModelGrant grant) =>
        this with { Grants = Grants.Any(g => g.Sym == grant.Sym) ? Grants.Replace(Grant(grant.Sym), grant) : Grants.Add(grant) };

    public (ModelState State, string Sym) NewSym(string prefix) => (this with { NextSym = NextSym + 1 }, $"{prefix}{NextSym}");
}
