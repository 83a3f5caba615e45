using GrantSim.Aws;
using GrantSim.Client.Images;
using GrantSim.Client.Simulation;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Identity;
using GrantSim.Kms;
using GrantSim.Model.Tests.Commands;
using GrantSim.Model.Tests.Model;
using GrantSim.Model.Tests.Support;
using GrantSim.Simulation;

namespace GrantSim.Model.Tests.Runner;

/// <summary>
/// The cluster side of a scenario: fresh tenants, commands run through the KMS and ECR service
/// grains as the real callers, and the bindings from the model's symbols to real key ARNs, grant
/// ids and tokens. Also keeps the <see cref="SimulationLedger"/> the invariant checker reads.
/// </summary>
public sealed class SystemUnderTest
{
    /// <summary>A key id no key has.</summary>
    public const string UnknownKeyId = "00000000-0000-4000-8000-000000000000";

    private static long _nextAccount = 700_000_000_000;

    private readonly ModelClusterFixture _fixture;
    private readonly ImageClient _images;
    private readonly Dictionary<string, string> _keyArns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Id, string? Token)> _grants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _grantSyms = new(StringComparer.Ordinal);
    private readonly Dictionary<(string KeySym, string Team), byte[]> _ciphertexts = [];

    /// <summary>The material of each key created with imported material, for importing it again.</summary>
    private readonly Dictionary<string, byte[]> _materials = [];

    /// <summary>The contexts a grant's constraint may name; each key gets a ciphertext per team for grantees to decrypt.</summary>
    public static readonly string[] Teams = ["red", "blue"];

    private SystemUnderTest(ModelClusterFixture fixture, World world)
    {
        _fixture = fixture;
        World = world;
        _images = new ImageClient(fixture.Grains);
    }

    public World World { get; }

    public SimulationLedger Ledger { get; } = new();

    private IGrainFactory Grains => _fixture.Grains;

    public static async Task<SystemUnderTest> CreateAsync(ModelClusterFixture fixture)
    {
        var first = Interlocked.Add(ref _nextAccount, Facts.Accounts);
        var world = await World.CreateAsync(fixture.Grains, World.AccountsFor(first, Facts.Accounts), Facts.Regions);
        var system = new SystemUnderTest(fixture, world);
        for (var account = 0; account < Facts.Accounts; account++)
        {
            for (var region = 0; region < Facts.Regions.Length; region++)
            {
                var keys = world.CustomerKeys(world.Accounts[account], Facts.Regions[region]);
                for (var k = 0; k < keys.Count; k++)
                {
                    system._keyArns[$"k{account}.{region}.{k}"] = keys[k];
                    await system.PrepareCiphertextsAsync($"k{account}.{region}.{k}", account, region);
                }
            }
        }

        return system;
    }

    public string Account(int account) => World.Accounts[account];

    public CallerIdentity Caller(Principal principal, int account, int region) => principal switch
    {
        Principal.Ecr => CallerIdentity.Service(Regions.EcrServicePrincipal(Facts.Regions[region])),
        Principal.Root => World.Principal(Account(account), Facts.Regions[region], "root"),
        _ => World.Principal(Account(account), Facts.Regions[region], principal.ToString().ToLowerInvariant()),
    };

    public string? GrantSymOf(string grantId) => _grantSyms.GetValueOrDefault(grantId);

    public string? GrantIdOf(string sym) => _grants.TryGetValue(sym, out var grant) ? grant.Id : null;

    /// <summary>Runs one command against the cluster. <paramref name="picks"/> resolves its references; <paramref name="after"/> (the model's next state) names what settings commands set.</summary>
    public async Task<RealResult> ExecuteAsync(Command command, ModelState picks, ModelState after)
    {
        try
        {
            return await RunAsync(command, picks, after);
        }
        catch (AwsServiceException error)
        {
            return new RealResult(error.KmsError is null ? error.ErrorCode : Facts.Kms(error.KmsError));
        }
    }

    private async Task<RealResult> RunAsync(Command command, ModelState picks, ModelState after)
    {
        switch (command)
        {
            case CreateKey c:
            {
                var root = Caller(Principal.Root, c.Account, c.Region);
                var kms = Kms(c.Region);
                var key = await kms.CreateKey(root, new CreateKeyRequest("model key", Origin: c.External ? KeyMetadata.ExternalOrigin : null));
                var sym = after.Keys.Except(picks.Keys).Single().Sym;
                if (c.External)
                {
                    _materials[sym] = System.Security.Cryptography.RandomNumberGenerator.GetBytes(ImportedMaterial.SymmetricMaterialLength);
                    await ImportMaterialAsync(kms, root, key.Arn, _materials[sym]);
                }

                await kms.CreateAlias(root, after.Key(sym).Alias, key.KeyId);
                _keyArns[sym] = key.Arn;
                await PrepareCiphertextsAsync(sym, c.Account, c.Region);
                return new RealResult(Facts.Ok, KeyArn: key.Arn);
            }

            case CreateRepository c:
            {
                var target = ReferenceModel.ResolveKey(picks, c.Account, c.Region, c.Key);
                var kmsKey = c.Key.Form == KeyForm.Default ? null : await KeyReferenceAsync(target);
                var encryption = c.Encryption switch
                {
                    ModelEncryption.Aes256 => EncryptionType.Aes256,
                    ModelEncryption.Kms => EncryptionType.Kms,
                    _ => EncryptionType.KmsDsse,
                };
                var created = await Ecr(c.Region).CreateRepository(Caller(c.As, c.Account, c.Region), new CreateRepositoryRequest(c.Name, new EncryptionConfiguration(encryption, kmsKey)));
                Ledger.Track(Account(c.Account), Facts.Regions[c.Region], c.Name).Live = created;
                return new RealResult(Facts.Ok, KeyArn: created.EncryptionConfiguration.KmsKey);
            }

            case PushImage c:
                return await PushAsync(c.Account, c.Region, c.Name, c.PushId, Images.Tag(c.PushId), c.As, picks, after);

            case PushTagged c:
                return await PushAsync(c.Account, c.Region, c.Name, c.PushId, c.Tag, c.As, picks, after);

            case SetTagMutability c:
            {
                var mode = c.Mode switch
                {
                    TagMode.Immutable => ImageTagMutability.Immutable,
                    TagMode.ImmutableWithExclusion => ImageTagMutability.ImmutableWithExclusion,
                    TagMode.MutableWithExclusion => ImageTagMutability.MutableWithExclusion,
                    _ => ImageTagMutability.Mutable,
                };
                var filters = c.Mode is TagMode.ImmutableWithExclusion or TagMode.MutableWithExclusion
                    ? new[] { new ImageTagMutabilityExclusionFilter(ImageTagMutabilities.Wildcard, Picks.ExclusionFilter) }
                    : null;
                await Ecr(c.Region).PutImageTagMutability(Caller(c.As, c.Account, c.Region), c.Name, mode, filters);
                return new RealResult(Facts.Ok);
            }

            case SetRepositoryPolicy c:
            {
                var caller = Caller(c.As, c.Account, c.Region);
                if (c.Delete)
                {
                    await Ecr(c.Region).DeleteRepositoryPolicy(caller, c.Name);
                }
                else
                {
                    await Ecr(c.Region).SetRepositoryPolicy(caller, c.Name, Policy(c.Region, Account(c.Grantee), anyResource: false, "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"));
                }

                return new RealResult(Facts.Ok);
            }

            case PullAcrossAccounts c:
            {
                var pushId = ReferenceModel.ResolveImage(picks, new PullImage(c.Account, c.Region, c.Name, c.ImageIndex, false, c.As));
                var differences = await _images.PullAndCompareAsync(Caller(c.As, c.Puller, c.Region), Facts.Regions[c.Region], c.Name, Images.Expected(pushId), registry: Account(c.Account));
                return new RealResult(differences.Count == 0 ? Facts.Ok : "Mismatch: " + string.Join("; ", differences));
            }

            case PutReplication c:
            {
                var configuration = c.Destinations.IsEmpty
                    ? ReplicationConfiguration.None
                    : new ReplicationConfiguration([new ReplicationRule([.. c.Destinations.Select(d => new ReplicationDestination(Facts.Regions[d.Region], Account(d.Account)))], [])]);
                await Registry(c.Account, c.Region).PutReplicationConfiguration(Caller(c.As, c.Account, c.Region), configuration);
                return new RealResult(Facts.Ok);
            }

            case SetRegistryPolicy c:
            {
                var caller = Caller(c.As, c.Account, c.Region);
                if (c.Delete)
                {
                    await Registry(c.Account, c.Region).DeletePolicy(caller);
                }
                else
                {
                    string[] actions = c.Create ? ["ecr:ReplicateImage", "ecr:CreateRepository"] : ["ecr:ReplicateImage"];
                    await Registry(c.Account, c.Region).PutPolicy(caller, Policy(c.Region, Account(c.Source), anyResource: true, actions));
                }

                return new RealResult(Facts.Ok);
            }

            case PutLifecyclePolicy c:
            {
                var selection = c.Kind == LifecycleKind.CountMoreThan
                    ? $$"""{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":{{c.Number}}}"""
                    : $$"""{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":{{c.Number}}}""";
                var text = $$$"""{"rules":[{"rulePriority":1,"description":"model rule","selection":{{{selection}}},"action":{"type":"expire"}}]}""";
                await Grains.GetGrain<IEcrLifecyclePolicyService>(Facts.Regions[c.Region]).PutLifecyclePolicy(Caller(c.As, c.Account, c.Region), c.Name, text);
                return new RealResult(Facts.Ok);
            }

            case PullImage c:
            {
                var differences = await _images.PullAndCompareAsync(Caller(c.As, c.Account, c.Region), Facts.Regions[c.Region], c.Name, Images.Expected(ReferenceModel.ResolveImage(picks, c)));
                return new RealResult(differences.Count == 0 ? Facts.Ok : "Mismatch: " + string.Join("; ", differences));
            }

            case DeleteRepository c:
            {
                var track = Ledger.Track(Account(c.Account), Facts.Regions[c.Region], c.Name);
                try
                {
                    await Ecr(c.Region).DeleteRepository(Caller(c.As, c.Account, c.Region), c.Name, c.Force);
                }
                catch (AwsServiceException error) when (error.ErrorCode == AwsErrorCodes.Kms && error.Message.StartsWith($"The repository [{c.Name}] has been deleted successfully", StringComparison.Ordinal))
                {
                    track.MarkDeleted();
                    throw;
                }

                track.MarkDeleted();
                return new RealResult(Facts.Ok);
            }

            case CreateGrant c:
            {
                var target = ReferenceModel.ResolveKey(picks, c.Account, c.Region, c.Key);
                var constraints = c.Team is null ? null : new GrantConstraints(EncryptionContextSubset: EncryptionContext.Of(("team", c.Team)));
                var request = new CreateGrantRequest(await KeyReferenceAsync(target), Caller(c.Grantee, c.Account, c.Region).Principal, c.Operations,
                    c.Retiring is { } retiring ? Caller(retiring, c.Account, c.Region).Principal : null, constraints, c.Name);
                var grant = await Kms(c.Region).CreateGrant(Caller(c.As, c.Account, c.Region), request);
                return new RealResult(Facts.Ok, grant.GrantId, grant.GrantToken);
            }

            case UseGrant c:
            {
                if (ReferenceModel.ResolveGrant(picks, c.Account, c.Region, c.Grant) is not { } grant || grant.Grantee == Principal.Ecr)
                {
                    return new RealResult(ReferenceModel.Skipped);
                }

                var key = picks.Key(grant.KeySym);
                var token = _grants.GetValueOrDefault(grant.Sym).Token;
                var tokens = c.WithToken && token is not null ? new[] { token } : null;
                var grantee = Caller(grant.Grantee, grant.IssuingAccount, c.Region);
                var context = EncryptionContext.Of(("team", c.Team));
                if (c.Operation == "Decrypt")
                {
                    await Kms(c.Region).Decrypt(grantee, new DecryptRequest(_ciphertexts[(key.Sym, c.Team)], context, GrantTokens: tokens));
                }
                else if (c.Operation == "ReEncrypt")
                {
                    await Kms(c.Region).ReEncrypt(grantee, new ReEncryptRequest(_ciphertexts[(key.Sym, c.Team)], await KeyArnAsync(key), context, null, context, tokens));
                }
                else
                {
                    await Kms(c.Region).GenerateDataKey(grantee, new GenerateDataKeyRequest(await KeyArnAsync(key), context, GrantTokens: tokens));
                }

                return new RealResult(Facts.Ok);
            }

            case UseKey c:
            {
                var target = ReferenceModel.ResolveKey(picks, c.Account, c.Region, c.Key);
                var context = EncryptionContext.Of(("team", c.Team));
                if (c.Operation == "Decrypt")
                {
                    if (target.Key is not { AwsManaged: false } key)
                    {
                        return new RealResult(ReferenceModel.Skipped);
                    }

                    await Kms(key.Region).Decrypt(Caller(c.As, c.Account, key.Region), new DecryptRequest(_ciphertexts[(key.Sym, c.Team)], context));
                }
                else
                {
                    await Kms(c.Region).GenerateDataKey(Caller(c.As, c.Account, c.Region), new GenerateDataKeyRequest(await KeyReferenceAsync(target), context));
                }

                return new RealResult(Facts.Ok);
            }

            case ListGrants c:
            {
                var target = ReferenceModel.ResolveKey(picks, c.Account, c.Region, c.Key);
                var reference = await KeyReferenceAsync(target);
                var syms = new List<string>();
                string? marker = null;
                do
                {
                    var page = await Kms(c.Region).ListGrants(Caller(c.As, c.Account, c.Region), new ListGrantsRequest(reference, Limit: 100, Marker: marker));
                    syms.AddRange(page.Grants.Select(g => GrantSymOf(g.GrantId) ?? "?" + g.GrantId[..8]));
                    marker = page.NextMarker;
                }
                while (marker is not null);
                return new RealResult(ReferenceModel.ListResult(syms));
            }

            case RetireGrant c:
            {
                var grant = ReferenceModel.ResolveGrant(picks, c.Account, c.Region, c.Grant);
                var caller = Caller(c.As, c.Account, c.Region);
                if (grant is not null && c.ByToken && _grants.GetValueOrDefault(grant.Sym).Token is { } token)
                {
                    await Kms(c.Region).RetireGrant(caller, new RetireGrantRequest(GrantToken: token));
                }
                else
                {
                    var (keyArn, grantId) = await GrantAddressAsync(picks, c.Account, c.Region, grant);
                    await Kms(c.Region).RetireGrant(caller, new RetireGrantRequest(KeyId: keyArn, GrantId: grantId));
                }

                return new RealResult(Facts.Ok);
            }

            case RevokeGrant c:
            {
                var (keyArn, grantId) = await GrantAddressAsync(picks, c.Account, c.Region, ReferenceModel.ResolveGrant(picks, c.Account, c.Region, c.Grant));
                await Kms(c.Region).RevokeGrant(Caller(c.As, c.Account, c.Region), keyArn, grantId);
                return new RealResult(Facts.Ok);
            }

            case RevokeRepositoryGrants c:
            {
                var repository = picks.Repositories.GetValueOrDefault(ModelState.RepositoryKey(c.Account, c.Region, c.Name));
                if (repository?.KeySym is not { } keySym)
                {
                    return new RealResult(ReferenceModel.Skipped);
                }

                // What a key administrator does: list the key's grants, keep those whose constraint names the repository, revoke them.
                var keyArn = await KeyArnAsync(picks.Key(keySym));
                var repositoryArn = Arn.EcrRepository(Facts.Regions[c.Region], Account(c.Account), c.Name).ToString();
                var caller = Caller(c.As, c.Account, c.Region);
                var naming = new List<string>();
                string? marker = null;
                do
                {
                    var page = await Kms(c.Region).ListGrants(caller, new ListGrantsRequest(keyArn, Limit: 100, Marker: marker));
                    naming.AddRange(page.Grants
                        .Where(g => g.Constraints?.EncryptionContextSubset?.TryGetValue(EcrEncryptionContext.EcrArnKey, out var arn) == true && arn == repositoryArn)
                        .Select(g => g.GrantId));
                    marker = page.NextMarker;
                }
                while (marker is not null);
                foreach (var grantId in naming)
                {
                    await Kms(c.Region).RevokeGrant(caller, keyArn, grantId);
                }

                return new RealResult(Facts.Ok);
            }

            case ChangeKeyState c:
            {
                var target = ReferenceModel.ResolveKey(picks, c.Account, c.Region, c.Key);
                var reference = await KeyReferenceAsync(target);
                var caller = Caller(c.As, c.Account, c.Region);
                var kms = Kms(c.Region);
                switch (c.Change)
                {
                    case KeyChange.Disable:
                        await kms.DisableKey(caller, reference);
                        break;
                    case KeyChange.Enable:
                        await kms.EnableKey(caller, reference);
                        break;
                    case KeyChange.ScheduleDeletion:
                        await kms.ScheduleKeyDeletion(caller, reference, c.Days);
                        break;
                    case KeyChange.RotateOnDemand:
                        await kms.RotateKeyOnDemand(caller, reference);
                        break;
                    case KeyChange.EnableRotation:
                        await kms.EnableKeyRotation(caller, reference, 90);
                        break;
                    case KeyChange.DisableRotation:
                        await kms.DisableKeyRotation(caller, reference);
                        break;
                    case KeyChange.TagForDeployer:
                        await kms.TagResource(caller, reference, [new KeyTag(Roles.DeployerTagKey, Roles.DeployerTagValue)]);
                        break;
                    case KeyChange.UntagForDeployer:
                        await kms.UntagResource(caller, reference, [Roles.DeployerTagKey]);
                        break;
                    case KeyChange.DeleteImportedMaterial:
                        await kms.DeleteImportedKeyMaterial(caller, reference);
                        break;
                    case KeyChange.ImportMaterial:
                        // The key's own material, kept from its creation (a key that never had imported material is refused before it is needed).
                        var material = target.Key is { } modelKey && _materials.TryGetValue(modelKey.Sym, out var kept) ? kept : new byte[ImportedMaterial.SymmetricMaterialLength];
                        await ImportMaterialAsync(kms, caller, reference, material);
                        break;
                    default:
                        await kms.CancelKeyDeletion(caller, reference);
                        break;
                }

                return new RealResult(Facts.Ok);
            }

            case AdvanceClock c:
            {
                _fixture.Clock.Advance(c.By);

                // ECR catches a repository's due lifecycle evaluations up before it serves its next call: make that call
                // now, so what the state comparison reads is what any caller would see.
                var expiring = after.Repositories.Where(r => r.Value.Lifecycle is not null).Select(r => r.Key).ToArray();
                foreach (var repositoryKey in expiring)
                {
                    var (account, region, name) = SplitRepositoryKey(repositoryKey);
                    await Grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(Account(account), Facts.Regions[region], name)).ResumePendingWork();
                }

                if (expiring.Length > 0)
                {
                    await ReconcileLedgerAsync(after);
                }

                return new RealResult(Facts.Ok);
            }

            case SetFault or ClearFaults or SetPropagationDelay:
            {
                var account = command switch { SetFault f => f.Account, ClearFaults f => f.Account, SetPropagationDelay d => d.Account, _ => 0 };
                var rules = after.Faults.GetValueOrDefault(account, [])
                    .Select(f => new FaultRule(f.Fault.Operation, f.Fault.ErrorCode, 1.0, f.Fault.Principal is { } p ? Caller(p, account, f.Region).Principal : null))
                    .ToArray();
                await Grains.GetGrain<ITenantSettingsGrain>(Account(account)).Set(after.DelayOf(account), new FaultPlan(0, rules));
                return new RealResult(Facts.Ok);
            }

            case KillSilo c:
                await _fixture.KillAndReplaceASiloAsync(c.Which);
                return new RealResult(Facts.Ok);

            default:
                throw new ArgumentOutOfRangeException(nameof(command), command, null);
        }
    }

    /// <summary>
    /// A push through the image client; then, when the registry replicates, the source's outbox is drained (the
    /// worker's calls are serialized, so a delivery the push kicked off has finished too): replication completes
    /// within the push command, which is where the model delivers it.
    /// </summary>
    private async Task<RealResult> PushAsync(int account, int region, string name, int pushId, string tag, Principal caller, ModelState picks, ModelState after)
    {
        var (layer, config) = Images.Content(pushId);
        var pushed = await _images.PushAsync(Caller(caller, account, region), Facts.Regions[region], name, tag, [layer], config);
        var track = Ledger.Track(Account(account), Facts.Regions[region], name);
        lock (track)
        {
            track.Images.Add(pushed);
        }

        if (picks.Replication.ContainsKey(ModelState.RegistryKey(account, region)))
        {
            var pending = await Grains.GetGrain<IReplicationWorkerGrain>(GrainKeys.Repository(Account(account), Facts.Regions[region], name)).Drain();
            if (pending > 0)
            {
                return new RealResult($"{pending} replication(s) still in progress after the drain");
            }

            await ReconcileLedgerAsync(after);
        }

        return new RealResult(Facts.Ok);
    }

    private static (int Account, int Region, string Name) SplitRepositoryKey(string repositoryKey)
    {
        var parts = repositoryKey.Split('/', 3);
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[2]);
    }

    /// <summary>
    /// A policy of one Allow statement for the root of <paramref name="account"/> (so for its principals, as their own identity
    /// policies allow); a registry policy names its resources (<paramref name="anyResource"/>), a repository policy does not.
    /// </summary>
    private static string Policy(int region, string account, bool anyResource, params string[] actions)
    {
        var statement = new Dictionary<string, object>
        {
            ["Sid"] = "model",
            ["Effect"] = "Allow",
            ["Principal"] = new Dictionary<string, string> { ["AWS"] = Arn.AccountRoot(Regions.PartitionOf(Facts.Regions[region]), account).ToString() },
            ["Action"] = actions,
        };
        if (anyResource)
        {
            statement["Resource"] = "*";
        }

        return System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["Version"] = "2012-10-17", ["Statement"] = new[] { statement } });
    }

    /// <summary>
    /// After concurrent branches the ledger's order of events is unknown; set it from the model
    /// state that explained them (already checked to match the real state).
    /// </summary>
    public async Task ReconcileLedgerAsync(ModelState model)
    {
        for (var account = 0; account < Facts.Accounts; account++)
        {
            for (var region = 0; region < Facts.Regions.Length; region++)
            {
                foreach (var name in StateComparer.RepositoryNames)
                {
                    var track = Ledger.Track(Account(account), Facts.Regions[region], name);
                    track.MarkDeleted();
                    if (model.Repositories.TryGetValue(ModelState.RepositoryKey(account, region, name), out var repository))
                    {
                        track.Live = (await Grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(Account(account), Facts.Regions[region], name)).Inspect()).Repository;
                        track.Images.AddRange(repository.Images.Order().Select(Images.Expected));
                    }
                }
            }
        }
    }

    /// <summary>Binds the symbols the model made for a command to what the cluster made.</summary>
    public async Task BindAsync(Command command, RealResult result, ModelState before, ModelState after)
    {
        foreach (var key in after.Keys.Where(k => !_keyArns.ContainsKey(k.Sym)))
        {
            if (command is CreateKey && result.KeyArn is not null && !before.Keys.Contains(key))
            {
                _keyArns[key.Sym] = result.KeyArn;
            }
        }

        if (result.Outcome != Facts.Ok)
        {
            return;
        }

        var newGrants = after.Grants.Where(g => !before.Grants.Any(b => b.Sym == g.Sym)).ToArray();
        switch (command)
        {
            case CreateGrant when result.GrantId is not null:
                var sym = newGrants.SingleOrDefault()?.Sym ?? GrantSymOf(result.GrantId);
                if (sym is not null)
                {
                    Bind(sym, result.GrantId, result.GrantToken);
                }

                break;
            case CreateRepository c when newGrants.Length == 2:
                var snapshot = await Grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(Account(c.Account), Facts.Regions[c.Region], c.Name)).Inspect();
                var repository = after.Repositories[ModelState.RepositoryKey(c.Account, c.Region, c.Name)];
                foreach (var grant in snapshot.Grants.Where(g => g.GrantId is not null))
                {
                    Bind(grant.Role == RepositoryGrantRole.Registry ? repository.RegistryGrant! : repository.StorageGrant!, grant.GrantId!, null);
                }

                break;
        }
    }

    /// <summary>Binds grants the model made in concurrent branches, where the order is not known: by key and creation, any consistent pairing will do for counting.</summary>
    public void Bind(string sym, string grantId, string? token)
    {
        _grants[sym] = (grantId, token ?? _grants.GetValueOrDefault(sym).Token);
        _grantSyms[grantId] = sym;
    }

    /// <summary>GetParametersForImport, the material wrapped under its public key, and ImportKeyMaterial: the workflow AWS documents.</summary>
    private static async Task ImportMaterialAsync(IKmsServiceGrain kms, CallerIdentity caller, string keyReference, byte[] material)
    {
        var parameters = await kms.GetParametersForImport(caller, keyReference, KeySpecs.RsaOaepSha256, "RSA_2048");
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(parameters.PublicKey, out _);
        var wrapped = rsa.Encrypt(material, System.Security.Cryptography.RSAEncryptionPadding.OaepSHA256);
        await kms.ImportKeyMaterial(caller, new ImportKeyMaterialRequest(keyReference, parameters.ImportToken, wrapped, ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE"));
    }

    /// <summary>The account root encrypts a ciphertext per team under a new key, for grantees' Decrypt calls.</summary>
    private async Task PrepareCiphertextsAsync(string keySym, int account, int region)
    {
        foreach (var team in Teams)
        {
            var encrypted = await Kms(region).Encrypt(Caller(Principal.Root, account, region), new EncryptRequest(_keyArns[keySym], [1, 2, 3], EncryptionContext.Of(("team", team))));
            _ciphertexts[(keySym, team)] = encrypted.CiphertextBlob;
        }
    }

    public async Task<string> KeyArnAsync(ModelKey key)
    {
        if (_keyArns.TryGetValue(key.Sym, out var arn))
        {
            return arn;
        }

        if (!key.AwsManaged)
        {
            throw new InvalidOperationException($"Model key {key.Sym} has no real key.");
        }

        // The AWS managed key is made by the first KMS repository create; find it by its alias in the
        // registry itself, not through the KMS API, whose calls may be failing by injection.
        var managed = await Grains.GetGrain<IKeyRegistryGrain>(GrainKeys.TenantRegion(Account(key.Account), Facts.Regions[key.Region])).ResolveAlias(KmsAliases.AwsEcr)
            ?? throw new InvalidOperationException($"The model made the AWS managed key {key.Sym}; the cluster has none.");
        return _keyArns[key.Sym] = managed;
    }

    private async Task<string> KeyReferenceAsync(KeyTarget target) => target.Form switch
    {
        KeyForm.MissingAlias => "alias/missing",
        KeyForm.MissingId => UnknownKeyId,
        KeyForm.Default => KmsAliases.AwsEcr,
        KeyForm.Id => Arn.Parse(await KeyArnAsync(target.Key!)).KeyId,
        KeyForm.Alias => target.Key!.Alias,
        KeyForm.AliasArn => Arn.KmsAlias(Facts.Regions[target.KeyRegion], Account(target.KeyAccount), target.Key!.Alias).ToString(),
        _ => await KeyArnAsync(target.Key!),
    };

    /// <summary>Where to send a grant command: the grant's key and id, or for an unknown grant the account+region's first key and a fresh id.</summary>
    private async Task<(string KeyArn, string GrantId)> GrantAddressAsync(ModelState picks, int account, int region, ModelGrant? grant) =>
        grant is null
            ? (await KeyArnAsync(ReferenceModel.FallbackKey(picks, account, region)), GrantIds.New())
            : (await KeyArnAsync(picks.Key(grant.KeySym)), GrantIdOf(grant.Sym) ?? GrantIds.New());

    private IKmsServiceGrain Kms(int region) => Grains.GetGrain<IKmsServiceGrain>(Facts.Regions[region]);

    private IEcrServiceGrain Ecr(int region) => Grains.GetGrain<IEcrServiceGrain>(Facts.Regions[region]);

    private IRegistryGrain Registry(int account, int region) => Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(Account(account), Facts.Regions[region]));
}
