using System.Collections.Immutable;
using GrantSim.Model.Tests.Commands;

namespace GrantSim.Model.Tests.Model;

/// <summary>
/// The reference model: what each command must answer, and what it changes, written from
/// docs/spec.md and docs/decisions.md (never from the production domain code). Pure: a state and a
/// command give the next state and the expected result, "OK" or the exact exception name
/// (<c>KmsException(kmsError)</c> for ECR's KmsException).
/// </summary>
public static class ReferenceModel
{
    public const string Skipped = "Skipped";

    private static readonly HashSet<string> Grantable =
        ["Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "CreateGrant", "RetireGrant", "DescribeKey"];

    private static readonly HashSet<string> TakeContext = ["Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo"];

    private static readonly HashSet<string> NeedEnabled =
        ["CreateGrant", "Encrypt", "Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo"];

    /// <summary>Operations whose KeyId is a key id or key ARN only: an alias is NotFoundException.</summary>
    private static readonly HashSet<string> KeyIdOnly =
        ["RotateKeyOnDemand", "EnableKeyRotation", "DisableKeyRotation", "TagResource", "UntagResource", "DeleteImportedKeyMaterial", "GetParametersForImport"];

    /// <summary>The AWS managed key's policy lets any principal of the account use it through ECR for these.</summary>
    private static readonly HashSet<string> ManagedViaEcr = ["Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "CreateGrant", "DescribeKey"];

    public static (ModelState State, string Result) Apply(ModelState state, Command command, ModelState? resolveAgainst = null)
    {
        var picks = resolveAgainst ?? state;
        return command switch
        {
            CreateKey c => CreateKeyIn(state, c),
            CreateRepository c => CreateRepositoryIn(state, c, picks),
            PushImage c => Push(state, c.Account, c.Region, c.Name, c.PushId, null, c.As),
            PushTagged c => Push(state, c.Account, c.Region, c.Name, c.PushId, c.Tag, c.As),
            SetTagMutability c => SetMutability(state, c),
            SetRepositoryPolicy c => SetPullPolicy(state, c),
            PullAcrossAccounts c => PullAcross(state, c, picks),
            PutReplication c => PutReplicationIn(state, c),
            SetRegistryPolicy c => SetRegistryPolicyIn(state, c),
            PutLifecyclePolicy c => PutLifecycle(state, c),
            PullImage c => Pull(state, c, picks),
            DeleteRepository c => Delete(state, c),
            CreateGrant c => CreateGrantIn(state, c, picks),
            UseGrant c => Use(state, c, picks),
            UseKey c => UseDirectly(state, c, picks),
            ListGrants c => List(state, c, picks),
            RetireGrant c => Retire(state, c, picks),
            RevokeGrant c => Revoke(state, c, picks),
            RevokeRepositoryGrants c => RevokeAll(state, c, picks),
            ChangeKeyState c => Change(state, c, picks),
            AdvanceClock c => (EvaluateLifecyclePolicies(state with { Now = state.Now + c.By }), Facts.Ok),
            SetFault c => (state with { Faults = state.Faults.SetItem(c.Account, state.Faults.GetValueOrDefault(c.Account, []).Add((new ModelFault(c.Operation, c.ErrorCode, c.Principal), c.Region))) }, Facts.Ok),
            ClearFaults c => (state with { Faults = state.Faults.Remove(c.Account) }, Facts.Ok),
            SetPropagationDelay c => (state with { Delays = state.Delays.SetItem(c.Account, TimeSpan.FromSeconds(c.Seconds)) }, Facts.Ok),
            KillSilo => (state, Facts.Ok),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
        };
    }

    // ---- resolving references ----

    /// <summary>
    /// Resolves a key reference as KMS would: ids, aliases and ARNs of the command's account and
    /// region; the default key is the AWS managed key (null until it exists).
    /// </summary>
    public static KeyTarget ResolveKey(ModelState state, int account, int region, KeyPick pick)
    {
        switch (pick.Form)
        {
            case KeyForm.MissingAlias or KeyForm.MissingId:
                return new KeyTarget(pick.Form, null, account, region);
            case KeyForm.Default:
                return new KeyTarget(pick.Form, state.KeysOf(account, region).FirstOrDefault(k => k.AwsManaged), account, region);
            case KeyForm.OtherRegionArn:
                var otherRegion = (region + 1) % Facts.Regions.Length;
                return new KeyTarget(pick.Form, Nth(state.KeysOf(account, otherRegion), pick.Index), account, otherRegion);
            case KeyForm.OtherAccountArn:
                var otherAccount = (account + 1) % Facts.Accounts;
                return new KeyTarget(pick.Form, Nth(state.KeysOf(otherAccount, region), pick.Index), otherAccount, region);
            default:
                return new KeyTarget(pick.Form, pick.Latest ? state.KeysOf(account, region).LastOrDefault(k => !k.AwsManaged) : Nth(state.KeysOf(account, region), pick.Index), account, region);
        }
    }

    /// <summary>The grant a pick names among the grants of the account and region, or null (missing, or none exist).</summary>
    public static ModelGrant? ResolveGrant(ModelState state, int account, int region, GrantPick pick)
    {
        if (pick.Missing)
        {
            return null;
        }

        var grants = state.GrantsOf(account, region).Where(g => !pick.TenantOnly || g.Grantee != Principal.Ecr);
        return pick.Latest ? grants.LastOrDefault() : Nth(grants, pick.Index);
    }

    /// <summary>The key a command about an unknown grant is sent to: the first of the account and region.</summary>
    public static ModelKey FallbackKey(ModelState state, int account, int region) => state.KeysOf(account, region).First();

    private static T? Nth<T>(IEnumerable<T> items, int index) where T : class
    {
        var list = items.ToList();
        return list.Count == 0 ? null : list[index % list.Count];
    }

    /// <summary>Errors KMS gives before a key grain is reached: unknown aliases, ARNs of another region.</summary>
    private static string? ServiceError(KeyTarget target) => target.Form switch
    {
        KeyForm.MissingAlias or KeyForm.OtherRegionArn => Facts.NotFound,
        KeyForm.Default when target.Key is null => Facts.NotFound,
        _ => null,
    };

    // ---- one KMS call on one key: fault, validation, existence, authorization, state ----

    private static string? Kms(
        ModelState state, KeyTarget target, Principal caller, int callerAccount, int callRegion, string operation,
        string? validationError = null, bool viaEcr = false, string? team = null, string? repository = null,
        IReadOnlyList<string>? presented = null)
    {
        if (FaultFor(state, target.KeyAccount, callRegion, operation, caller, callerAccount) is { } fault)
        {
            return fault;
        }

        if (validationError is not null)
        {
            return validationError;
        }

        var key = target.Key;
        if (key is null || key.StatusAt(state.Now) == KeyStatus.Deleted)
        {
            return Facts.NotFound;
        }

        if (!PolicyAllows(key, caller, callerAccount, operation, viaEcr)
            && !(Grantable.Contains(operation) && FindGrant(state, key, caller, callerAccount, operation, team, repository, presented ?? []) is not null))
        {
            return Facts.AccessDenied;
        }

        if (NeedEnabled.Contains(operation))
        {
            return key.StatusAt(state.Now) switch
            {
                KeyStatus.Disabled => Facts.Disabled,
                KeyStatus.PendingDeletion or KeyStatus.PendingImport => Facts.InvalidState,
                _ => null,
            };
        }

        return null;
    }

    private static string? FaultFor(ModelState state, int keyAccount, int callRegion, string operation, Principal caller, int callerAccount)
    {
        foreach (var (fault, faultRegion) in state.Faults.GetValueOrDefault(keyAccount, []))
        {
            if (fault.Operation != operation)
            {
                continue;
            }

            // A rule for one principal names it by its ARN (roles: per partition) or service name (ECR: per region).
            if (fault.Principal is null
                || (fault.Principal == caller
                    && (caller == Principal.Ecr ? faultRegion == callRegion : Facts.IsGovCloud(faultRegion) == Facts.IsGovCloud(callRegion) && callerAccount == keyAccount)))
            {
                return fault.ErrorCode;
            }
        }

        return null;
    }

    /// <summary>
    /// Key policies: a customer key's default policy gives the account root everything and enables
    /// IAM policies; the AWS managed ECR key lets the account's principals use it through ECR, and
    /// lets the account describe, list and revoke. No policy names another account or ECR itself.
    /// </summary>
    private static bool PolicyAllows(ModelKey key, Principal caller, int callerAccount, string operation, bool viaEcr)
    {
        if (caller == Principal.Ecr || callerAccount != key.Account)
        {
            return false;
        }

        var direct = caller == Principal.Root || Facts.IamAllows(caller, "kms:" + operation, key.TaggedForDeployer);
        if (!key.AwsManaged)
        {
            return direct;
        }

        return (viaEcr && ManagedViaEcr.Contains(operation))
            || ((operation.StartsWith("Describe", StringComparison.Ordinal) || operation.StartsWith("Get", StringComparison.Ordinal)
                 || operation.StartsWith("List", StringComparison.Ordinal) || operation == "RevokeGrant") && direct);
    }

    /// <summary>The grant that lets <paramref name="caller"/> do <paramref name="operation"/>: presented grants first, then all, oldest first.</summary>
    private static ModelGrant? FindGrant(ModelState state, ModelKey key, Principal caller, int callerAccount, string operation, string? team, string? repository, IReadOnlyList<string> presented)
    {
        var delay = state.DelayOf(key.Account);
        bool Authorizes(ModelGrant g, bool token) =>
            g.KeySym == key.Sym && g.Grantee == caller && (caller == Principal.Ecr || g.IssuingAccount == callerAccount)
            && g.Operations.Contains(operation) && g.EffectiveAt(state.Now, delay, token)
            && (!TakeContext.Contains(operation) || ((g.Team is null || g.Team == team) && (g.Repository is null || g.Repository == repository)));

        return presented.Select(state.Grant).FirstOrDefault(g => Authorizes(g, true))
            ?? state.Grants.FirstOrDefault(g => Authorizes(g, presented.Contains(g.Sym)));
    }

    private static bool MayRetire(ModelGrant grant, Principal caller, int callerAccount) =>
        (grant.Retiring == caller && (caller == Principal.Ecr || grant.IssuingAccount == callerAccount))
        || (grant.Grantee == caller && grant.Operations.Contains("RetireGrant") && (caller == Principal.Ecr || grant.IssuingAccount == callerAccount))
        || (callerAccount == grant.IssuingAccount && (caller == Principal.Root || Facts.IamAllows(caller, "kms:RetireGrant")));

    // ---- KMS commands ----

    private static (ModelState, string) CreateKeyIn(ModelState state, CreateKey c)
    {
        var (next, sym) = state.NewSym("k");
        return (next with { Keys = next.Keys.Add(new ModelKey(sym, c.Account, c.Region, false, KeyStatus.Enabled, null, $"alias/key-{sym}") { External = c.External }) }, Facts.Ok);
    }

    private static (ModelState, string) CreateGrantIn(ModelState state, CreateGrant c, ModelState picks)
    {
        // Resolved against the picks' state, but the default key is whatever exists when the command runs.
        var target = Current(state, ResolveKey(picks, c.Account, c.Region, c.Key));
        if (ServiceError(target) is { } serviceError)
        {
            return (state, serviceError);
        }

        var invalid = c.Operations.Length == 0 || c.Operations.Any(op => !Grantable.Contains(op)) ? Facts.Validation : null;
        if (Kms(state, target, c.As, c.Account, c.Region, "CreateGrant", invalid) is { } error)
        {
            return (state, error);
        }

        var operations = c.Operations.Distinct().Order(StringComparer.Ordinal).ToImmutableArray();
        var candidate = new ModelGrant("", target.Key!.Sym, c.Grantee, c.Retiring, operations, c.Team, null, c.Name, c.Account, state.Now, null, HasToken: true);
        if (c.Name is not null && state.Grants.Any(g => g.KeySym == candidate.KeySym && g.Active && g.Name == c.Name && g.SameParameters(candidate)))
        {
            return (state, Facts.Ok);
        }

        var (next, sym) = state.NewSym("g");
        return (next.WithGrant(candidate with { Sym = sym }), Facts.Ok);
    }

    private static (ModelState, string) Use(ModelState state, UseGrant c, ModelState picks)
    {
        var grant = ResolveGrant(picks, c.Account, c.Region, c.Grant);
        if (grant is null || grant.Grantee == Principal.Ecr)
        {
            return (state, Skipped);
        }

        var key = state.Key(grant.KeySym);
        var target = new KeyTarget(KeyForm.Arn, key, key.Account, key.Region);
        string? Call(string operation) =>
            Kms(state, target, grant.Grantee, grant.IssuingAccount, c.Region, operation, team: c.Team, presented: c.WithToken ? [grant.Sym] : []);

        // ReEncrypt is authorized twice: ReEncryptFrom on the source key, then ReEncryptTo on the destination (here the same key).
        return (state, (c.Operation == "ReEncrypt" ? Call("ReEncryptFrom") ?? Call("ReEncryptTo") : Call(c.Operation)) ?? Facts.Ok);
    }

    /// <summary>A principal uses a key by policy alone: GenerateDataKey through the pick, or Decrypt of the key's own ciphertext in its region.</summary>
    private static (ModelState, string) UseDirectly(ModelState state, UseKey c, ModelState picks)
    {
        var target = Current(state, ResolveKey(picks, c.Account, c.Region, c.Key));
        if (c.Operation == "Decrypt")
        {
            if (target.Key is not { AwsManaged: false } key)
            {
                return (state, Skipped);
            }

            return (state, Kms(state, target with { Form = KeyForm.Arn }, c.As, c.Account, key.Region, "Decrypt", team: c.Team) ?? Facts.Ok);
        }

        if (ServiceError(target) is { } serviceError)
        {
            return (state, serviceError);
        }

        return (state, Kms(state, target, c.As, c.Account, c.Region, c.Operation, team: c.Team) ?? Facts.Ok);
    }

    private static (ModelState, string) List(ModelState state, ListGrants c, ModelState picks)
    {
        // Resolved against the picks' state, but the default key is whatever exists when the command runs.
        var target = Current(state, ResolveKey(picks, c.Account, c.Region, c.Key));
        if (ServiceError(target) is { } serviceError)
        {
            return (state, serviceError);
        }

        if (Kms(state, target, c.As, c.Account, c.Region, "ListGrants") is { } error)
        {
            return (state, error);
        }

        return (state, ListResult(state.Grants.Where(g => g.KeySym == target.Key!.Sym && g.Active).Select(g => g.Sym)));
    }

    public static string ListResult(IEnumerable<string> grantSyms) => $"OK[{string.Join(",", grantSyms)}]";

    private static (ModelState, string) Retire(ModelState state, RetireGrant c, ModelState picks)
    {
        var grant = ResolveGrant(picks, c.Account, c.Region, c.Grant);
        var key = grant is null ? FallbackKey(picks, c.Account, c.Region) : picks.Key(grant.KeySym);
        key = state.Key(key.Sym);
        if (FaultFor(state, key.Account, c.Region, "RetireGrant", c.As, c.Account) is { } fault)
        {
            return (state, fault);
        }

        if (key.StatusAt(state.Now) == KeyStatus.Deleted)
        {
            return (state, Facts.NotFound);
        }

        var current = grant is null ? null : state.Grant(grant.Sym);
        if (current is not { Active: true })
        {
            return (state, Facts.NotFound);
        }

        if (!MayRetire(current, c.As, c.Account))
        {
            return (state, Facts.AccessDenied);
        }

        return (state.WithGrant(current with { Ended = state.Now }), Facts.Ok);
    }

    private static (ModelState, string) Revoke(ModelState state, RevokeGrant c, ModelState picks)
    {
        var grant = ResolveGrant(picks, c.Account, c.Region, c.Grant);
        var key = state.Key((grant is null ? FallbackKey(picks, c.Account, c.Region) : picks.Key(grant.KeySym)).Sym);
        if (Kms(state, new KeyTarget(KeyForm.Arn, key, key.Account, key.Region), c.As, c.Account, c.Region, "RevokeGrant") is { } error)
        {
            return (state, error);
        }

        var current = grant is null ? null : state.Grant(grant.Sym);
        return current is { Active: true }
            ? (state.WithGrant(current with { Ended = state.Now }), Facts.Ok)
            : (state, Facts.NotFound);
    }

    /// <summary>ListGrants on the repository's key, then RevokeGrant of each grant naming the repository (leftovers of earlier repositories of the name included), oldest first.</summary>
    private static (ModelState, string) RevokeAll(ModelState state, RevokeRepositoryGrants c, ModelState picks)
    {
        // The administrator knows the repository's key from when the command was written (the picks' state).
        var repositoryKey = ModelState.RepositoryKey(c.Account, c.Region, c.Name);
        if (picks.Repositories.GetValueOrDefault(repositoryKey)?.KeySym is not { } keySym)
        {
            return (state, Skipped);
        }

        var key = state.Key(keySym);
        var target = new KeyTarget(KeyForm.Arn, key, key.Account, key.Region);
        if (Kms(state, target, c.As, c.Account, c.Region, "ListGrants") is { } listError)
        {
            return (state, listError);
        }

        foreach (var grant in state.Grants.Where(g => g.KeySym == keySym && g.Active && g.Repository == repositoryKey).ToList())
        {
            if (Kms(state, target, c.As, c.Account, c.Region, "RevokeGrant") is { } error)
            {
                return (state, error);
            }

            state = state.WithGrant(grant with { Ended = state.Now });
        }

        return (state, Facts.Ok);
    }

    private static (ModelState, string) Change(ModelState state, ChangeKeyState c, ModelState picks)
    {
        // Resolved against the picks' state, but the default key is whatever exists when the command runs.
        var target = Current(state, ResolveKey(picks, c.Account, c.Region, c.Key));
        if (ServiceError(target) is { } serviceError)
        {
            return (state, serviceError);
        }

        var operation = c.Change switch
        {
            KeyChange.Disable => "DisableKey",
            KeyChange.Enable => "EnableKey",
            KeyChange.ScheduleDeletion => "ScheduleKeyDeletion",
            KeyChange.RotateOnDemand => "RotateKeyOnDemand",
            KeyChange.EnableRotation => "EnableKeyRotation",
            KeyChange.DisableRotation => "DisableKeyRotation",
            KeyChange.TagForDeployer => "TagResource",
            KeyChange.UntagForDeployer => "UntagResource",
            KeyChange.DeleteImportedMaterial => "DeleteImportedKeyMaterial",
            KeyChange.ImportMaterial => "GetParametersForImport",
            _ => "CancelKeyDeletion",
        };
        if (KeyIdOnly.Contains(operation) && target.Form is KeyForm.Alias or KeyForm.AliasArn or KeyForm.Default)
        {
            return (state, Facts.NotFound);
        }

        var invalid = c.Change == KeyChange.ScheduleDeletion && c.Days is < 7 or > 30 ? Facts.Validation : null;
        if (Kms(state, target, c.As, c.Account, c.Region, operation, invalid) is { } error)
        {
            return (state, error);
        }

        var key = target.Key!;
        var status = key.StatusAt(state.Now);
        var pending = status == KeyStatus.PendingDeletion;
        var rotation = c.Change is KeyChange.RotateOnDemand or KeyChange.EnableRotation or KeyChange.DisableRotation;
        var import = c.Change is KeyChange.DeleteImportedMaterial or KeyChange.ImportMaterial;
        if ((rotation && key.External) || (import && !key.External))
        {
            // Rotation is for KMS-made material; import operations are for Origin EXTERNAL keys (checked before the key's state).
            return (state, Facts.Unsupported);
        }

        if (rotation && status != KeyStatus.Enabled)
        {
            return (state, status == KeyStatus.Disabled ? Facts.Disabled : Facts.InvalidState);
        }

        return c.Change switch
        {
            KeyChange.Disable or KeyChange.Enable when status == KeyStatus.PendingImport => (state, Facts.InvalidState),
            KeyChange.DeleteImportedMaterial or KeyChange.ImportMaterial when pending => (state, Facts.InvalidState),
            KeyChange.DeleteImportedMaterial => (state.WithKey(key with { Status = KeyStatus.PendingImport, MaterialDeleted = true }), Facts.Ok),
            KeyChange.ImportMaterial => (state.WithKey(key with { Status = status == KeyStatus.PendingImport ? KeyStatus.Enabled : key.Status, MaterialDeleted = false }), Facts.Ok),
            KeyChange.Disable or KeyChange.Enable or KeyChange.ScheduleDeletion or KeyChange.TagForDeployer or KeyChange.UntagForDeployer when pending => (state, Facts.InvalidState),
            KeyChange.RotateOnDemand when key.OnDemandRotations >= Facts.MaxOnDemandRotations => (state, Facts.LimitExceeded),
            KeyChange.RotateOnDemand => (state.WithKey(key with { OnDemandRotations = key.OnDemandRotations + 1 }), Facts.Ok),
            KeyChange.EnableRotation or KeyChange.DisableRotation => (state, Facts.Ok),
            KeyChange.TagForDeployer => (state.WithKey(key with { TaggedForDeployer = true }), Facts.Ok),
            KeyChange.UntagForDeployer => (state.WithKey(key with { TaggedForDeployer = false }), Facts.Ok),
            KeyChange.Disable => (state.WithKey(key with { Status = KeyStatus.Disabled }), Facts.Ok),
            KeyChange.Enable => (state.WithKey(key with { Status = KeyStatus.Enabled }), Facts.Ok),
            KeyChange.ScheduleDeletion => (state.WithKey(key with { Status = KeyStatus.PendingDeletion, DeletionAt = state.Now.AddDays(c.Days) }), Facts.Ok),
            _ when !pending => (state, Facts.InvalidState),
            _ => (state.WithKey(key with { Status = key.MaterialDeleted ? KeyStatus.PendingImport : KeyStatus.Disabled, DeletionAt = null }), Facts.Ok),
        };
    }

    /// <summary>A target resolved against an earlier state, with its key as it is now.</summary>
    private static KeyTarget Current(ModelState state, KeyTarget target) =>
        target.Key is null ? target with { Key = target.Form == KeyForm.Default ? state.KeysOf(target.KeyAccount, target.KeyRegion).FirstOrDefault(k => k.AwsManaged) : null }
        : target with { Key = state.Key(target.Key.Sym) };

    // ---- ECR commands ----

    private static (ModelState, string) CreateRepositoryIn(ModelState state, CreateRepository c, ModelState picks)
    {
        var repositoryKey = ModelState.RepositoryKey(c.Account, c.Region, c.Name);
        if (!Facts.MayUseEcr(c.As, "ecr:CreateRepository"))
        {
            return (state, Facts.AccessDenied);
        }

        if (state.Repositories.ContainsKey(repositoryKey))
        {
            return (state, Facts.AlreadyExists);
        }

        if (c.Encryption == ModelEncryption.KmsDsse && !Facts.IsGovCloud(c.Region))
        {
            return (state, Facts.InvalidParameter);
        }

        if (c.Encryption == ModelEncryption.Aes256)
        {
            return c.Key.Form == KeyForm.Default
                ? (state with { Repositories = state.Repositories.Add(repositoryKey, new ModelRepository(ModelEncryption.Aes256, null, null, null, [])) }, Facts.Ok)
                : (state, Facts.InvalidParameter);
        }

        if (c.Key.Form == KeyForm.OtherRegionArn)
        {
            return (state, Facts.InvalidParameter);
        }

        var target = c.Key.Form == KeyForm.Default ? new KeyTarget(KeyForm.Default, null, c.Account, c.Region) : Current(state, ResolveKey(picks, c.Account, c.Region, c.Key));
        if (c.Key.Form == KeyForm.Default)
        {
            // The AWS managed key is made on first use, whatever happens to the create after.
            var managed = state.KeysOf(c.Account, c.Region).FirstOrDefault(k => k.AwsManaged);
            if (managed is null)
            {
                managed = new ModelKey($"m{c.Account}.{c.Region}", c.Account, c.Region, AwsManaged: true, KeyStatus.Enabled, null, "alias/aws/ecr");
                state = state with { Keys = state.Keys.Add(managed) };
            }

            target = target with { Key = managed };
        }

        if (c.Key.Form == KeyForm.MissingAlias)
        {
            return (state, Facts.Kms(Facts.NotFound));
        }

        if (Kms(state, target, c.As, c.Account, c.Region, "DescribeKey", viaEcr: true) is { } describeError)
        {
            return (state, Facts.Kms(describeError));
        }

        var key = target.Key!;
        if (!key.AwsManaged && !(c.As == Principal.Root || Facts.IamAllows(c.As, "kms:RetireGrant")))
        {
            return (state, Facts.Kms(Facts.AccessDenied));
        }

        if (Kms(state, target, c.As, c.Account, c.Region, "CreateGrant", viaEcr: true) is { } grantError)
        {
            return (state, Facts.Kms(grantError));
        }

        var (next, registry) = state.NewSym("g");
        (next, var storage) = next.NewSym("g");
        ModelGrant EcrGrant(string sym) => new(sym, key.Sym, Principal.Ecr, Principal.Ecr, ["Decrypt", "GenerateDataKey"], null, repositoryKey, null, c.Account, state.Now, null, HasToken: false);
        next = next.WithGrant(EcrGrant(registry)).WithGrant(EcrGrant(storage));
        return (next with { Repositories = next.Repositories.Add(repositoryKey, new ModelRepository(c.Encryption, key.Sym, registry, storage, [])) }, Facts.Ok);
    }

    /// <summary>
    /// A push: the layer and config uploaded (sealed under data keys from the repository's key, unless they are
    /// there already), then PutImage, which refuses the same image and tag again, and a tag an immutable
    /// repository would have to move; a stored image is queued for replication and delivered (see <see cref="Replicate"/>).
    /// </summary>
    private static (ModelState, string) Push(ModelState state, int account, int region, string name, int pushId, string? sharedTag, Principal caller)
    {
        var repositoryKey = ModelState.RepositoryKey(account, region, name);
        var tag = sharedTag ?? Tag(pushId);
        if (!Facts.MayUseEcr(caller, "ecr:CompleteLayerUpload"))
        {
            return (state, Facts.AccessDenied);
        }

        if (!state.Repositories.TryGetValue(repositoryKey, out var repository))
        {
            return (state, Facts.RepositoryNotFound);
        }

        // The layer and config are uploaded first, each under a data key, unless they are stored already.
        if (!repository.Uploaded.Contains(pushId))
        {
            if (DataKeyError(state, repository, account, region, repositoryKey) is { } uploadError)
            {
                return (state, Facts.Kms(uploadError));
            }

            repository = repository with { Uploaded = repository.Uploaded.Add(pushId), Expired = repository.Expired.Remove(pushId) };
            state = state with { Repositories = state.Repositories.SetItem(repositoryKey, repository) };
        }

        var isNew = !repository.Images.Contains(pushId);
        if (!isNew && repository.Tags.GetValueOrDefault(tag, -1) == pushId)
        {
            // The same manifest and tag again change nothing (and take no data key).
            return (state, Facts.ImageAlreadyExists);
        }

        if (repository.Tags.TryGetValue(tag, out var current) && current != pushId && repository.IsImmutable(tag))
        {
            return (state, Facts.ImageTagAlreadyExists);
        }

        // A new image's manifest takes a data key; a new tag on an image it holds does not.
        if (isNew && DataKeyError(state, repository, account, region, repositoryKey) is { } manifestError)
        {
            return (state, Facts.Kms(manifestError));
        }

        state = state with { Repositories = state.Repositories.SetItem(repositoryKey, repository.WithImage(pushId, tag, state.Now)) };
        return (Replicate(state, account, region, name, pushId, tag), Facts.Ok);
    }

    /// <summary>The tag a <see cref="PushImage"/> of <paramref name="pushId"/> gives its image.</summary>
    public static string Tag(int pushId) => $"t{pushId}";

    /// <summary>
    /// Delivers a stored image to every destination of its registry's replication configuration, in order, as the
    /// SUT's push does by draining the source's outbox before it returns. Each delivery reads the image through the
    /// source's grants, is let in by the destination's registry policy when it crosses accounts (ReplicateImage, and
    /// CreateRepository for a missing repository, which is then made AES256: no creation template applies), and seals
    /// what the destination lacks through the destination's own key and grants. A delivery that fails changes
    /// nothing but a repository it made; a replica is never replicated again.
    /// </summary>
    private static ModelState Replicate(ModelState state, int account, int region, string name, int pushId, string tag)
    {
        var sourceKey = ModelState.RepositoryKey(account, region, name);
        foreach (var destination in state.Replication.GetValueOrDefault(ModelState.RegistryKey(account, region), []))
        {
            var source = state.Repositories[sourceKey];
            if (DecryptError(state, source, account, region, sourceKey) is not null)
            {
                continue;
            }

            var crossAccount = destination.Account != account;
            var policy = state.RegistryPolicies.TryGetValue(ModelState.RegistryKey(destination.Account, destination.Region), out var p) && p.Source == account ? p : ((int, bool)?)null;
            if (crossAccount && policy is null)
            {
                continue;
            }

            var destinationKey = ModelState.RepositoryKey(destination.Account, destination.Region, name);
            if (!state.Repositories.TryGetValue(destinationKey, out var replica))
            {
                if (crossAccount && policy is not (_, true))
                {
                    continue;
                }

                replica = new ModelRepository(ModelEncryption.Aes256, null, null, null, []);
                state = state with { Repositories = state.Repositories.Add(destinationKey, replica) };
            }

            if (replica.Images.Contains(pushId) && replica.Tags.GetValueOrDefault(tag, -1) == pushId)
            {
                continue;
            }

            if (!(replica.Images.Contains(pushId) && replica.Uploaded.Contains(pushId))
                && DataKeyError(state, replica, destination.Account, destination.Region, destinationKey) is not null)
            {
                continue;
            }

            state = state with { Repositories = state.Repositories.SetItem(destinationKey, replica.WithImage(pushId, tag, state.Now)) };
        }

        return state;
    }

    /// <summary>The KMS error ECR's GenerateDataKey for a repository's new object gets (through its storage grant, in its encryption context), or null.</summary>
    private static string? DataKeyError(ModelState state, ModelRepository repository, int account, int region, string repositoryKey)
    {
        if (repository.KeySym is not { } keySym)
        {
            return null;
        }

        var key = state.Key(keySym);
        return Kms(state, new KeyTarget(KeyForm.Arn, key, key.Account, key.Region), Principal.Ecr, account, region, "GenerateDataKey",
            repository: repositoryKey, presented: [repository.StorageGrant!]);
    }

    /// <summary>The KMS error ECR's Decrypt of a repository's objects gets (through its registry grant, in its encryption context), or null.</summary>
    private static string? DecryptError(ModelState state, ModelRepository repository, int account, int region, string repositoryKey)
    {
        if (repository.KeySym is not { } keySym)
        {
            return null;
        }

        var key = state.Key(keySym);
        return Kms(state, new KeyTarget(KeyForm.Arn, key, key.Account, key.Region), Principal.Ecr, account, region, "Decrypt",
            repository: repositoryKey, presented: [repository.RegistryGrant!]);
    }

    /// <summary>Every lifecycle evaluation that fell due by now, one after another (an expired image's tags and objects go with it).</summary>
    private static ModelState EvaluateLifecyclePolicies(ModelState state)
    {
        foreach (var (repositoryKey, repository) in state.Repositories)
        {
            if (repository.Lifecycle is not { } lifecycle)
            {
                continue;
            }

            var current = repository;
            var at = lifecycle.EvaluatedUntil;
            while (at + LifecycleInterval <= state.Now)
            {
                at += LifecycleInterval;
                var oldestFirst = current.Images.OrderBy(i => current.PushedAt[i]).ThenBy(i => ImageDigest(i), StringComparer.Ordinal).ToList();
                var expired = lifecycle.Kind == LifecycleKind.CountMoreThan
                    ? oldestFirst.Take(Math.Max(0, oldestFirst.Count - lifecycle.Number)).ToList()
                    : oldestFirst.Where(i => (at - current.PushedAt[i]).TotalDays > lifecycle.Number).ToList();
                current = current.WithoutImages(expired);
            }

            state = state with { Repositories = state.Repositories.SetItem(repositoryKey, current with { Lifecycle = lifecycle with { EvaluatedUntil = at } }) };
        }

        return state;
    }

    /// <summary>ECR evaluates a lifecycle policy every 24 hours after it is put.</summary>
    public static readonly TimeSpan LifecycleInterval = TimeSpan.FromHours(24);

    /// <summary>The manifest digest of a push's image: images pushed at the same instant are expired in digest order (docs/decisions.md).</summary>
    private static string ImageDigest(int pushId) => Runner.Images.DigestOf(pushId);

    /// <summary>An ECR call on an existing repository of the caller's own account: its identity policy, then the repository.</summary>
    private static (ModelRepository? Repository, string? Error) OwnRepository(ModelState state, int account, int region, string name, Principal caller, string action)
    {
        if (!Facts.MayUseEcr(caller, action))
        {
            return (null, Facts.AccessDenied);
        }

        return state.Repositories.TryGetValue(ModelState.RepositoryKey(account, region, name), out var repository)
            ? (repository, null)
            : (null, Facts.RepositoryNotFound);
    }

    private static ModelState WithRepository(ModelState state, int account, int region, string name, ModelRepository repository) =>
        state with { Repositories = state.Repositories.SetItem(ModelState.RepositoryKey(account, region, name), repository) };

    private static (ModelState, string) SetMutability(ModelState state, SetTagMutability c)
    {
        var (repository, error) = OwnRepository(state, c.Account, c.Region, c.Name, c.As, "ecr:PutImageTagMutability");
        return repository is null ? (state, error!) : (WithRepository(state, c.Account, c.Region, c.Name, repository with { Mutability = c.Mode }), Facts.Ok);
    }

    private static (ModelState, string) SetPullPolicy(ModelState state, SetRepositoryPolicy c)
    {
        var (repository, error) = OwnRepository(state, c.Account, c.Region, c.Name, c.As, c.Delete ? "ecr:DeleteRepositoryPolicy" : "ecr:SetRepositoryPolicy");
        if (repository is null)
        {
            return (state, error!);
        }

        if (c.Delete && repository.PullPolicyGrantee is null)
        {
            return (state, Facts.RepositoryPolicyNotFound);
        }

        return (WithRepository(state, c.Account, c.Region, c.Name, repository with { PullPolicyGrantee = c.Delete ? null : c.Grantee }), Facts.Ok);
    }

    /// <summary>
    /// Another account's principal pulls: its own identity policy and the repository policy must both allow it (a
    /// repository that does not exist has no policy, so it is refused alike); ECR then decrypts as itself, through the
    /// owner's grant on the owner's key, in the owner's repository's context. The puller needs no key permission.
    /// </summary>
    private static (ModelState, string) PullAcross(ModelState state, PullAcrossAccounts c, ModelState picks)
    {
        var pushId = ResolveImage(picks, new PullImage(c.Account, c.Region, c.Name, c.ImageIndex, false, c.As));
        var repositoryKey = ModelState.RepositoryKey(c.Account, c.Region, c.Name);
        if (!Facts.MayUseEcr(c.As, "ecr:BatchGetImage") || !Facts.MayUseEcr(c.As, "ecr:GetDownloadUrlForLayer")
            || !state.Repositories.TryGetValue(repositoryKey, out var repository) || repository.PullPolicyGrantee != c.Puller)
        {
            return (state, Facts.AccessDenied);
        }

        if (!repository.Images.Contains(pushId))
        {
            return (state, Facts.ImageNotFound);
        }

        return (state, DecryptError(state, repository, c.Account, c.Region, repositoryKey) is { } kmsError ? Facts.Kms(kmsError) : Facts.Ok);
    }

    private static (ModelState, string) PutReplicationIn(ModelState state, PutReplication c)
    {
        if (!Facts.MayUseEcr(c.As, "ecr:PutReplicationConfiguration"))
        {
            return (state, Facts.AccessDenied);
        }

        if (c.Destinations.Any(d => (d.Account == c.Account && d.Region == c.Region) || !Facts.SamePartition(c.Region, d.Region)))
        {
            return (state, Facts.InvalidParameter);
        }

        var registry = ModelState.RegistryKey(c.Account, c.Region);
        return (state with { Replication = c.Destinations.IsEmpty ? state.Replication.Remove(registry) : state.Replication.SetItem(registry, c.Destinations) }, Facts.Ok);
    }

    private static (ModelState, string) SetRegistryPolicyIn(ModelState state, SetRegistryPolicy c)
    {
        if (!Facts.MayUseEcr(c.As, c.Delete ? "ecr:DeleteRegistryPolicy" : "ecr:PutRegistryPolicy"))
        {
            return (state, Facts.AccessDenied);
        }

        var registry = ModelState.RegistryKey(c.Account, c.Region);
        if (c.Delete)
        {
            return state.RegistryPolicies.ContainsKey(registry)
                ? (state with { RegistryPolicies = state.RegistryPolicies.Remove(registry) }, Facts.Ok)
                : (state, Facts.RegistryPolicyNotFound);
        }

        return (state with { RegistryPolicies = state.RegistryPolicies.SetItem(registry, (c.Source, c.Create)) }, Facts.Ok);
    }

    private static (ModelState, string) PutLifecycle(ModelState state, PutLifecyclePolicy c)
    {
        var (repository, error) = OwnRepository(state, c.Account, c.Region, c.Name, c.As, "ecr:PutLifecyclePolicy");
        return repository is null
            ? (state, error!)
            : (WithRepository(state, c.Account, c.Region, c.Name, repository with { Lifecycle = new ModelLifecycle(c.Kind, c.Number, state.Now, state.Now) }), Facts.Ok);
    }

    /// <summary>The push whose image a pull asks for; <see cref="NeverPushed"/> when the repository holds none or the pull names an unknown one.</summary>
    public static int ResolveImage(ModelState state, PullImage c) =>
        !c.Missing && state.Repositories.TryGetValue(ModelState.RepositoryKey(c.Account, c.Region, c.Name), out var repository) && !repository.Images.IsEmpty
            ? repository.Images.Order().ElementAt(c.ImageIndex % repository.Images.Count)
            : NeverPushed;

    public const int NeverPushed = 999;

    private static (ModelState, string) Pull(ModelState state, PullImage c, ModelState picks)
    {
        var pushId = ResolveImage(picks, c);
        var repositoryKey = ModelState.RepositoryKey(c.Account, c.Region, c.Name);
        if (!Facts.MayUseEcr(c.As, "ecr:BatchGetImage"))
        {
            return (state, Facts.AccessDenied);
        }

        if (!state.Repositories.TryGetValue(repositoryKey, out var repository))
        {
            return (state, Facts.RepositoryNotFound);
        }

        if (!repository.Images.Contains(pushId))
        {
            return (state, Facts.ImageNotFound);
        }

        return (state, DecryptError(state, repository, c.Account, c.Region, repositoryKey) is { } error ? Facts.Kms(error) : Facts.Ok);
    }

    private static (ModelState, string) Delete(ModelState state, DeleteRepository c)
    {
        var repositoryKey = ModelState.RepositoryKey(c.Account, c.Region, c.Name);
        if (!Facts.MayUseEcr(c.As, "ecr:DeleteRepository"))
        {
            return (state, Facts.AccessDenied);
        }

        if (!state.Repositories.TryGetValue(repositoryKey, out var repository))
        {
            return (state, Facts.RepositoryNotFound);
        }

        if (!repository.Images.IsEmpty && !c.Force)
        {
            return (state, Facts.NotEmpty);
        }

        state = state with { Repositories = state.Repositories.Remove(repositoryKey) };
        if (repository.KeySym is not { } keySym)
        {
            return (state, Facts.Ok);
        }

        // Both grants are retired as the deleter; a grant already gone counts as retired; the first
        // that cannot be retired names the KMS error of the documented message.
        var key = state.Key(keySym);
        string? failure = null;
        foreach (var grantSym in new[] { repository.RegistryGrant!, repository.StorageGrant! })
        {
            var error = FaultFor(state, key.Account, c.Region, "RetireGrant", c.As, c.Account);
            if (error is null && key.StatusAt(state.Now) != KeyStatus.Deleted && state.Grant(grantSym) is { Active: true } grant)
            {
                if (MayRetire(grant, c.As, c.Account))
                {
                    state = state.WithGrant(grant with { Ended = state.Now });
                }
                else
                {
                    error = Facts.AccessDenied;
                }
            }

            failure ??= error;
        }

        return (state, failure is null ? Facts.Ok : Facts.Kms(failure));
    }
}
