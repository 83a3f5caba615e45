using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Grains;
using GrantSim.Hosting;
using GrantSim.Iam;
using GrantSim.Identity;
using GrantSim.Simulation;

namespace GrantSim.Kms;

[GenerateSerializer, Alias("GrantSim.Kms.KeyRegistryState")]
public sealed class KeyRegistryState
{
    /// <summary>Every key created here, in creation order, with what it was created from (so a creation cut short can be finished).</summary>
    [Id(0)] public List<KeyCreation> Keys { get; set; } = [];

    [Id(1)] public Dictionary<string, string> Aliases { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Keys and aliases of one account+region. A key is recorded here before its grain is initialized,
/// and initializing is idempotent, so a crash in between never loses a key or makes a second one —
/// which is what keeps <c>alias/aws/ecr</c> unique: this grain is the only place that makes it.
/// </summary>
public sealed class KeyRegistryGrain(
    [PersistentState("key-registry", StorageNames.Default)] IPersistentState<KeyRegistryState> state,
    SimulationClock clock,
    AuditWriter auditWriter,
    IdentityPolicies identityPolicies) : Grain, IKeyRegistryGrain
{
    private const string AwsManagedEcrDescription = "Default key that protects my ECR data when no other key is defined";

    private string Account => GrainKeys.SplitTenantRegion(this.GetPrimaryKeyString()).Account;

    private string Region => GrainKeys.SplitTenantRegion(this.GetPrimaryKeyString()).Region;

    public async Task<KeyMetadata> CreateKey(CallerIdentity caller, CreateKeyRequest request)
    {
        var now = clock.UtcNow;
        return await Refusals.Recorded(async () =>
        {
            caller.ValidateFor(Region);
            if (caller.Account != Account)
            {
                throw new AwsServiceException(AwsErrorCodes.AccessDenied, $"User: {caller.Principal} cannot create keys in account {Account}.");
            }

            KeyLifecycle.ValidateDescription(request.Description);
            KeyTags.Validate(request.Tags);
            var spec = KeyLifecycle.ValidateSpec(request.KeySpec);
            KeyCryptography.ValidateUsage(spec, request.KeyUsage);
            KeyLifecycle.ValidateOrigin(request.Origin, spec);
            var policy = request.Policy ?? DefaultKeyPolicies.CustomerManaged(Regions.PartitionOf(Region), Account);
            PolicyParser.Parse(policy);
            await identityPolicies.Require(caller, KmsOperations.Action(KmsOperations.CreateKey), "*");
            if (request.Tags is { Count: > 0 })
            {
                // Tagging at creation needs kms:TagResource in an IAM policy as well, as KMS documents.
                await identityPolicies.Require(caller, KmsOperations.Action(KmsOperations.TagResource), "*");
            }

            var keyId = request.MultiRegion ? MultiRegionKeys.NewId() : Guid.NewGuid().ToString("D");
            KeyLifecycle.ValidateMultiRegion(request.MultiRegion, request.Origin == KeyMetadata.ExternalOrigin);
            return await Create(new KeyCreation(keyId, KeyManager.Customer, request.Description, policy, caller, request.Tags, request.KeySpec, request.KeyUsage, request.Origin, request.MultiRegion), alias: null);
        }, error => Record(caller, KmsOperations.CreateKey, new AuditRequestParameters { Description = request.Description, TagKeys = TagKeysOf(request.Tags) }, now, null, error));
    }

    public async Task<KeyMetadata> CreateReplica(CallerIdentity caller, KeyCreation creation)
    {
        var now = clock.UtcNow;
        return await Refusals.Recorded(async () =>
        {
            if (caller.Account != Account)
            {
                throw new AwsServiceException(AwsErrorCodes.AccessDenied, $"User: {caller.Principal} cannot create keys in account {Account}.");
            }

            KeyTags.Validate(creation.Tags);
            PolicyParser.Parse(creation.Policy);
            await identityPolicies.Require(caller, KmsOperations.Action(KmsOperations.CreateKey), "*");
            if (state.State.Keys.FirstOrDefault(k => k.KeyId == creation.KeyId) is { } existing)
            {
                // A replication cut short by a crash: finish it.
                return await Key(existing.KeyId).Initialize(existing);
            }

            return await Create(creation, alias: null);
        }, error => Record(caller, KmsOperations.CreateKey, new AuditRequestParameters { Description = creation.Description, TagKeys = TagKeysOf(creation.Tags) }, now, null, error));
    }

    public async Task<string> EnsureAwsManagedEcrKey(CallerIdentity caller)
    {
        if (state.State.Aliases.TryGetValue(KmsAliases.AwsEcr, out var keyId))
        {
            // Idempotent: finishes a creation a crash interrupted, else a no-op.
            var creation = state.State.Keys.Single(k => k.KeyId == keyId);
            return (await Key(keyId).Initialize(creation)).Arn;
        }

        var policy = DefaultKeyPolicies.AwsManagedEcr(Regions.PartitionOf(Region), Account, Region);
        var created = await Create(
            new KeyCreation(Guid.NewGuid().ToString("D"), KeyManager.Aws, AwsManagedEcrDescription, policy, caller.Via(Regions.EcrServicePrincipal(Region))),
            KmsAliases.AwsEcr);
        return created.Arn;
    }

    public Task<string?> ResolveAlias(string aliasName) =>
        Task.FromResult(state.State.Aliases.TryGetValue(aliasName, out var keyId) ? Arn.KmsKey(Region, Account, keyId).ToString() : null);

    public async Task CreateAlias(CallerIdentity caller, string aliasName, string targetKeyArn)
    {
        var now = clock.UtcNow;
        var parameters = new AuditRequestParameters { AliasName = aliasName, TargetKeyId = targetKeyArn };
        await Refusals.Recorded(async () =>
        {
            caller.ValidateFor(Region);
            AliasRules.ValidateName(aliasName);
            var target = Arn.Parse(targetKeyArn);
            AliasRules.RequireTargetBeside(target, Account, Region);
            var metadata = await Key(target.KeyId).Authorize(caller, KmsOperations.CreateAlias);
            AliasRules.RequireAllowed(metadata, state.State.Aliases.ContainsKey(aliasName), aliasName, Account, Region);
            await state.ChangeAsync(s => s.Aliases[aliasName] = target.KeyId, s => s.Aliases.Remove(aliasName));
            return true;
        }, error => Record(caller, KmsOperations.CreateAlias, parameters, now, targetKeyArn, error));

        await Record(caller, KmsOperations.CreateAlias, parameters, now, targetKeyArn);
    }

    /// <summary>Points an existing alias at another key: the caller needs kms:UpdateAlias on both keys, and the new key must be a customer managed key beside it.</summary>
    public async Task UpdateAlias(CallerIdentity caller, string aliasName, string targetKeyArn)
    {
        var now = clock.UtcNow;
        var parameters = new AuditRequestParameters { AliasName = aliasName, TargetKeyId = targetKeyArn };
        await Refusals.Recorded(async () =>
        {
            caller.ValidateFor(Region);
            AliasRules.ValidateName(aliasName);
            var current = state.State.Aliases.TryGetValue(aliasName, out var keyId) ? keyId : throw AliasRules.NotFound(aliasName, Account, Region);
            var target = Arn.Parse(targetKeyArn);
            AliasRules.RequireTargetBeside(target, Account, Region);
            await Key(current).Authorize(caller, KmsOperations.UpdateAlias);
            var metadata = await Key(target.KeyId).Authorize(caller, KmsOperations.UpdateAlias);
            AliasRules.RequireAllowed(metadata, nameTaken: false, aliasName, Account, Region);
            AliasRules.RequireNotPendingDeletion(metadata);
            await state.ChangeAsync(s => s.Aliases[aliasName] = target.KeyId, s => s.Aliases[aliasName] = current);
            return true;
        }, error => Record(caller, KmsOperations.UpdateAlias, parameters, now, targetKeyArn, error));

        await Record(caller, KmsOperations.UpdateAlias, parameters, now, targetKeyArn);
    }

    /// <summary>Deletes an alias (never its key): the caller needs kms:DeleteAlias on the key it points at.</summary>
    public async Task DeleteAlias(CallerIdentity caller, string aliasName)
    {
        var now = clock.UtcNow;
        var parameters = new AuditRequestParameters { AliasName = aliasName };
        string? keyArn = null;
        await Refusals.Recorded(async () =>
        {
            caller.ValidateFor(Region);
            AliasRules.ValidateName(aliasName);
            var keyId = state.State.Aliases.TryGetValue(aliasName, out var target) ? target : throw AliasRules.NotFound(aliasName, Account, Region);
            keyArn = Arn.KmsKey(Region, Account, keyId).ToString();
            await Key(keyId).Authorize(caller, KmsOperations.DeleteAlias);
            await state.ChangeAsync(s => s.Aliases.Remove(aliasName), s => s.Aliases[aliasName] = keyId);
            return true;
        }, error => Record(caller, KmsOperations.DeleteAlias, parameters, now, keyArn, error));

        await Record(caller, KmsOperations.DeleteAlias, parameters, now, keyArn);
    }

    public Task<IReadOnlyList<AliasListEntry>> ListAliases() =>
        Task.FromResult<IReadOnlyList<AliasListEntry>>(state.State.Aliases
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => new AliasListEntry(a.Key, Arn.KmsAlias(Region, Account, a.Key).ToString(), a.Value))
            .ToArray());

    public async Task<IReadOnlyList<KeyListEntry>> ListKeys()
    {
        // Keys whose grain never finished initializing, or whose deletion window has passed, are not listed.
        var metadata = await Task.WhenAll(state.State.Keys.Select(k => Key(k.KeyId).Peek()));
        return metadata.Where(m => m is not null && m.KeyState != KeyState.Deleted).Select(m => new KeyListEntry(m!.KeyId, m.Arn)).ToArray();
    }

    public Task<IReadOnlyList<string>> ListAllKeyArns() =>
        Task.FromResult<IReadOnlyList<string>>(state.State.Keys.Select(k => Arn.KmsKey(Region, Account, k.KeyId).ToString()).ToArray());

    public Task ApplySettings(SimulationSettings settings) =>
        Task.WhenAll(state.State.Keys.Select(k => Key(k.KeyId).ApplySettings(settings)));

    private async Task<KeyMetadata> Create(KeyCreation creation, string? alias)
    {
        await state.ChangeAsync(
            s =>
            {
                s.Keys.Add(creation);
                if (alias is not null)
                {
                    s.Aliases[alias] = creation.KeyId;
                }
            },
            s =>
            {
                s.Keys.Remove(creation);
                if (alias is not null)
                {
                    s.Aliases.Remove(alias);
                }
            });

        return await Key(creation.KeyId).Initialize(creation);
    }

    private static string[]? TagKeysOf(IReadOnlyList<KeyTag>? tags) => tags?.Select(t => t.TagKey).ToArray();

    private IKeyGrain Key(string keyId) => GrainFactory.GetGrain<IKeyGrain>(GrainKeys.Key(Account, Region, keyId));

    private Task Record(CallerIdentity caller, string operation, AuditRequestParameters parameters, DateTimeOffset time, string? keyArn, AwsServiceException? error = null) =>
        auditWriter.Record(AuditEvents.Kms(operation, Region, Account, caller, time, parameters, keyArn, error: error));
}
