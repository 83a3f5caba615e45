using GrantSim.Identity;
using GrantSim.Kms;
using GrantSim.Simulation;
using Orleans.Concurrency;

namespace GrantSim.Grains;

/// <summary>
/// The keys and aliases of one account+region, keyed <c>account/region</c>. The single place that
/// creates the AWS managed <c>alias/aws/ecr</c> key, so there is exactly one even when creates race.
/// </summary>
[Alias("GrantSim.IKeyRegistryGrain")]
public interface IKeyRegistryGrain : IGrainWithStringKey
{
    [Alias("CreateKey")] Task<KeyMetadata> CreateKey(CallerIdentity caller, CreateKeyRequest request);

    /// <summary>The key ARN an alias name points at, or null.</summary>
    [Alias("ResolveAlias")] Task<string?> ResolveAlias(string aliasName);

    [Alias("CreateAlias")] Task CreateAlias(CallerIdentity caller, string aliasName, string targetKeyArn);
    /// <summary>Creates a multi-Region replica key here (ReplicateKey, from the primary's Region): the caller needs kms:CreateKey in this Region.</summary>
    [Alias("CreateReplica")] Task<KeyMetadata> CreateReplica(CallerIdentity caller, KeyCreation creation);

    [Alias("UpdateAlias")] Task UpdateAlias(CallerIdentity caller, string aliasName, string targetKeyArn);
    [Alias("DeleteAlias")] Task DeleteAlias(CallerIdentity caller, string aliasName);
    /// <summary>
    /// The aliases, read without waiting for a running call: a key grain asks for them while authorizing (kms:ResourceAliases)
    /// while this registry may be waiting on that key (CreateAlias authorizes on it), and queueing would deadlock them.
    /// </summary>
    [Alias("ListAliases"), AlwaysInterleave] Task<IReadOnlyList<AliasListEntry>> ListAliases();
    [Alias("ListKeys")] Task<IReadOnlyList<KeyListEntry>> ListKeys();

    /// <summary>Every key ever created here, deleted ones included; not an AWS API (invariant checks).</summary>
    [Alias("ListAllKeyArns")] Task<IReadOnlyList<string>> ListAllKeyArns();

    /// <summary>The ARN of the AWS managed key for ECR, created on first use.</summary>
    [Alias("EnsureAwsManagedEcrKey")] Task<string> EnsureAwsManagedEcrKey(CallerIdentity caller);

    [Alias("ApplySettings")] Task ApplySettings(SimulationSettings settings);
}
