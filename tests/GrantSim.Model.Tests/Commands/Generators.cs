using System.Collections.Immutable;
using GrantSim.Model.Tests.Model;

namespace GrantSim.Model.Tests.Commands;

/// <summary>
/// Generators and shrinkers of scenarios: several tenants (three accounts, mostly the first),
/// three regions (GovCloud among them), every encryption type and key reference, grants, key
/// states, the clock, injected faults and silo kills. The one place generators live.
/// </summary>
public static class Generators
{
    private static readonly string[] Names = ["app", "web"];
    private static readonly string[] Teams = ["red", "blue"];
    private static readonly string[] GrantOperations = ["Encrypt", "Decrypt", "GenerateDataKey", "RetireGrant", "ReEncryptFrom", "ReEncryptTo"];
    private static readonly string[] FaultOperations = ["GenerateDataKey", "Decrypt", "CreateGrant", "DescribeKey", "RetireGrant", "RevokeGrant"];
    private static readonly string[] FaultCodes = [.. Facts.TransientErrors, Facts.AccessDenied];

    private static Gen<int> Account => Gen.Frequency((6, Gen.Constant(0)), (3, Gen.Constant(1)), (1, Gen.Constant(2)));

    private static Gen<int> Region => Gen.Frequency((5, Gen.Constant(0)), (2, Gen.Constant(1)), (3, Gen.Constant(2)));

    /// <summary>A scenario's focus: the account and region most of its commands use, so that they act on each other's repositories, keys and grants.</summary>
    private static Gen<(int Account, int Region)> Focus =>
        from account in Account
        from region in Region
        select (account, region);

    private static Gen<(int Account, int Region)> Place((int Account, int Region) focus) =>
        Gen.Frequency((8, Gen.Constant(focus)), (2, Focus));

    private static Gen<string> Name => Gen.Elements(Names);

    private static Gen<Principal> EcrCaller => Gen.Frequency(
        (5, Gen.Constant(Principal.Ci)), (2, Gen.Constant(Principal.Deployer)), (1, Gen.Constant(Principal.Admin)),
        (1, Gen.Constant(Principal.Root)), (1, Gen.Constant(Principal.Reader)));

    private static Gen<Principal> KeyAdministrator => Gen.Frequency((4, Gen.Constant(Principal.Admin)), (2, Gen.Constant(Principal.Root)), (1, Gen.Constant(Principal.Ci)));

    private static Gen<KeyPick> Key(bool forCreate) =>
        from index in Gen.Frequency((5, Gen.Constant(0)), (3, Gen.Constant(1)), (2, Gen.Choose(2, 3)))
        from form in Gen.Frequency(
            (3, Gen.Constant(KeyForm.Id)), (3, Gen.Constant(KeyForm.Alias)), (3, Gen.Constant(KeyForm.Arn)), (2, Gen.Constant(KeyForm.AliasArn)),
            (forCreate ? 6 : 1, Gen.Constant(KeyForm.Default)), (1, Gen.Constant(KeyForm.MissingAlias)), (1, Gen.Constant(KeyForm.MissingId)),
            (1, Gen.Constant(KeyForm.OtherRegionArn)), (1, Gen.Constant(KeyForm.OtherAccountArn)))
        select new KeyPick(index, form);

    private static Gen<GrantPick> Grant(bool tenantOnly) =>
        from index in Gen.Choose(0, 7)
        from missing in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        from onlyTenants in tenantOnly ? Gen.Constant(true) : Gen.Elements(true, false)
        select new GrantPick(index, missing, onlyTenants);

    private static Gen<Command> CreateRepository((int Account, int Region) focus) =>
        from place in Place(focus)
        let account = place.Account
        let region = place.Region
        from name in Name
        from encryption in Gen.Frequency((2, Gen.Constant(ModelEncryption.Aes256)), (6, Gen.Constant(ModelEncryption.Kms)), (2, Gen.Constant(ModelEncryption.KmsDsse)))
        from key in Key(forCreate: true)
        from caller in EcrCaller
        select (Command)new CreateRepository(account, region, name, encryption,
            encryption == ModelEncryption.Aes256 && key.Form != KeyForm.MissingId ? key with { Form = KeyForm.Default } : key, caller);

    private static Gen<Command> PushImage((int Account, int Region) focus) =>
        from place in Place(focus)
        let account = place.Account
        let region = place.Region
        from name in Name
        from push in Gen.Choose(0, 9)
        from caller in EcrCaller
        select (Command)new PushImage(account, region, name, push, caller);

    private static Gen<Command> PullImage((int Account, int Region) focus) =>
        from place in Place(focus)
        let account = place.Account
        let region = place.Region
        from name in Name
        from image in Gen.Choose(0, 3)
        from missing in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        from caller in Gen.Elements(Principal.Ci, Principal.Reader, Principal.Root)
        select (Command)new PullImage(account, region, name, image, missing, caller);

    private static Gen<Command> DeleteRepository((int Account, int Region) focus) =>
        from place in Place(focus)
        let account = place.Account
        let region = place.Region
        from name in Name
        from force in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from caller in EcrCaller
        select (Command)new DeleteRepository(account, region, name, force, caller);

    private static Gen<Command> CreateGrant((int Account, int Region) focus) =>
        from place in Place(focus)
        let account = place.Account
        let region = place.Region
        from key in Key(forCreate: false)
        from grantee in Gen.Elements(Principal.Reader, Principal.Ci)
        from operations in Gen.SubListOf(GrantOperations).Where(ops => ops.Count > 0)
        from invalid in Gen.Frequency((19, Gen.Constant(false)), (1, Gen.Constant(true)))
        from team in Gen.Frequency((1, Gen.Constant<string?>(null)), (2, Gen.Elements<string?>(Teams)))
        from name in Gen.Elements<string?>(null, "n1", "n2")
        from retiring in Gen.Elements<Principal?>(null, Principal.Ci, Principal.Reader)
        from caller in Gen.Elements(Principal.Admin, Principal.Root, Principal.Ci, Principal.Reader)
        select (Command)new CreateGrant(account, region, key, grantee, invalid ? ["TagResource"] : operations.ToImmutableArray(), team, name, retiring, caller);

    private static Gen<Command> UseGrant((int Account, int Region) focus) =>
        from place in Place(focus)
        let account = place.Account
        let region = place.Region
        from grant in Grant(tenantOnly: true)
        from operation in Gen.Elements("GenerateDataKey", "Decrypt", "ReEncrypt")
        from token in Gen.Elements(true, false)
        from team in Gen.Elements(Teams)
        select (Command)new UseGrant(account, region, grant, operation, token, team);

    private static Gen<Command> UseKey((int Account, int Region) focus) =>
        from place in Place(focus)
        from key in Key(forCreate: false)
        from operation in Gen.Elements("GenerateDataKey", "Decrypt")
        from team in Gen.Elements(Teams)
        from caller in Gen.Elements(Principal.Deployer, Principal.Deployer, Principal.Ci, Principal.Admin, Principal.Reader)
        select (Command)new UseKey(place.Account, place.Region, key, operation, team, caller);

    private static Gen<Command> ListGrants((int Account, int Region) focus) =>
        from place in Place(focus)
        let account = place.Account
        let region = place.Region
        from key in Key(forCreate: false)
        from caller in Gen.Elements(Principal.Admin, Principal.Root, Principal.Ci)
        select (Command)new ListGrants(account, region, key, caller);

    private static Gen<Command> RetireGrant((int Account, int Region) focus) =>
        from place in Place(focus)
        let account = place.Account
        let region = place.Region
        from grant in Grant(tenantOnly: false)
        from token in Gen.Elements(true, false)
        from caller in Gen.Elements(Principal.Reader, Principal.Ci, Principal.Deployer, Principal.Admin, Principal.Root)
        select (Command)new RetireGrant(account, region, grant, token, caller);

    private static Gen<Command> RevokeGrant((int Account, int Region) focus) =>
        from place in Place(focus)
        let account = place.Account
        let region = place.Region
        from grant in Grant(tenantOnly: false)
        from caller in KeyAdministrator
        select (Command)new RevokeGrant(account, region, grant, caller);

    private static Gen<Command> RevokeRepositoryGrants((int Account, int Region) focus) =>
        from place in Place(focus)
        from name in Name
        from caller in KeyAdministrator
        select (Command)new RevokeRepositoryGrants(place.Account, place.Region, name, caller);

    private static Gen<Command> ChangeKeyState((int Account, int Region) focus) =>
        from place in Place(focus)
        let account = place.Account
        let region = place.Region
        from key in Key(forCreate: false)
        from change in Gen.Frequency(
            (3, Gen.Constant(KeyChange.Disable)), (3, Gen.Constant(KeyChange.Enable)), (2, Gen.Constant(KeyChange.ScheduleDeletion)), (2, Gen.Constant(KeyChange.CancelDeletion)),
            (2, Gen.Constant(KeyChange.RotateOnDemand)), (1, Gen.Constant(KeyChange.EnableRotation)), (1, Gen.Constant(KeyChange.DisableRotation)),
            (1, Gen.Constant(KeyChange.TagForDeployer)), (1, Gen.Constant(KeyChange.UntagForDeployer)),
            (1, Gen.Constant(KeyChange.DeleteImportedMaterial)), (1, Gen.Constant(KeyChange.ImportMaterial)))
        from days in Gen.Elements(7, 7, 10, 30, 3, 31)
        from caller in KeyAdministrator
        select (Command)new ChangeKeyState(account, region, key, change, days, caller);

    private static Gen<Command> CreateKey((int Account, int Region) focus) =>
        from place in Place(focus)
        let account = place.Account
        let region = place.Region
        from external in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        select (Command)new CreateKey(account, region, external);

    private static Gen<Command> AdvanceClock =>
        Gen.Elements(TimeSpan.FromSeconds(30), TimeSpan.FromDays(1), TimeSpan.FromDays(8), TimeSpan.FromDays(31), TimeSpan.FromDays(31), TimeSpan.FromDays(100))
            .Select(by => (Command)new AdvanceClock(by));

    private static Gen<Command> SetFault((int Account, int Region) focus) =>
        from place in Place(focus)
        let account = place.Account
        let region = place.Region
        from operation in Gen.Elements(FaultOperations)
        from code in Gen.Elements(FaultCodes)
        from principal in operation == "RetireGrant"
            // Retire faults always name a deleter, never ECR, whose own retires undo failed creates.
            ? Gen.Elements<Principal?>(Principal.Ci, Principal.Deployer, Principal.Admin, Principal.Root)
            : Gen.Elements<Principal?>(null, null, Principal.Ecr, Principal.Ci)
        select (Command)new SetFault(account, region, operation, code, principal);

    private static Gen<Command> ClearFaults((int Account, int Region) focus) => Place(focus).Select(place => (Command)new ClearFaults(place.Account));

    private static Gen<Command> SetPropagationDelay((int Account, int Region) focus) =>
        from place in Place(focus)
        from seconds in Gen.Elements(0, 30)
        select (Command)new SetPropagationDelay(place.Account, seconds);

    private static Gen<Command> PushTagged((int Account, int Region) focus) =>
        from place in Place(focus)
        from name in Name
        from push in Gen.Choose(0, 9)
        from tag in Gen.Elements(Picks.SharedTags)
        from caller in EcrCaller
        select (Command)new PushTagged(place.Account, place.Region, name, push, tag, caller);

    private static Gen<TagMode> Mutability => Gen.Frequency(
        (2, Gen.Constant(TagMode.Immutable)), (2, Gen.Constant(TagMode.ImmutableWithExclusion)), (1, Gen.Constant(TagMode.MutableWithExclusion)), (1, Gen.Constant(TagMode.Mutable)));

    private static Gen<Command> SetTagMutability((int Account, int Region) focus) =>
        from place in Place(focus)
        from name in Name
        from mode in Mutability
        from caller in Gen.Elements(Principal.Ci, Principal.Ci, Principal.Admin, Principal.Reader)
        select (Command)new SetTagMutability(place.Account, place.Region, name, mode, caller);

    /// <summary>Another account than <paramref name="account"/>: the next or the one after.</summary>
    private static Gen<int> OtherAccount(int account) => Gen.Elements(1, 2).Select(offset => (account + offset) % Facts.Accounts);

    private static Gen<Command> SetRepositoryPolicy((int Account, int Region) focus) =>
        from place in Place(focus)
        from name in Name
        from grantee in OtherAccount(place.Account)
        from delete in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from caller in Gen.Elements(Principal.Ci, Principal.Ci, Principal.Admin, Principal.Reader)
        select (Command)new SetRepositoryPolicy(place.Account, place.Region, name, grantee, delete, caller);

    private static Gen<Principal> CrossAccountPuller => Gen.Elements(Principal.Ci, Principal.Reader, Principal.Reader, Principal.Root, Principal.Deployer);

    private static Gen<Command> PullAcrossAccounts((int Account, int Region) focus) =>
        from place in Place(focus)
        from name in Name
        from image in Gen.Choose(0, 3)
        from puller in OtherAccount(place.Account)
        from caller in CrossAccountPuller
        select (Command)new PullAcrossAccounts(place.Account, place.Region, name, image, puller, caller);

    /// <summary>A destination ECR allows from a registry: another region of its partition (there is none for GovCloud here), or another account.</summary>
    private static Gen<ModelDestination> Destination((int Account, int Region) source) =>
        Facts.IsGovCloud(source.Region)
            ? OtherAccount(source.Account).Select(account => new ModelDestination(account, source.Region))
            : Gen.OneOf(
                Gen.Constant(new ModelDestination(source.Account, 1 - source.Region)),
                OtherAccount(source.Account).Select(account => new ModelDestination(account, source.Region)),
                OtherAccount(source.Account).Select(account => new ModelDestination(account, 1 - source.Region)));

    private static Gen<Command> PutReplication((int Account, int Region) focus) =>
        from place in Place(focus)
        from count in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Constant(1)), (2, Gen.Constant(2)))
        from destinations in Gen.ArrayOf(Destination(place), count)
        // Now and then a destination ECR refuses: the registry itself, or another partition.
        from invalid in Gen.Frequency((6, Gen.Constant<ModelDestination?>(null)), (1, Gen.Constant<ModelDestination?>(new ModelDestination(place.Account, place.Region))),
            (1, Gen.Constant<ModelDestination?>(new ModelDestination(place.Account, Facts.IsGovCloud(place.Region) ? 0 : 2))))
        from caller in Gen.Elements(Principal.Admin, Principal.Admin, Principal.Ci, Principal.Reader)
        select (Command)new PutReplication(place.Account, place.Region, [.. destinations.Append(invalid).OfType<ModelDestination>().Distinct()], caller);

    private static Gen<Command> SetRegistryPolicy((int Account, int Region) focus) =>
        from place in Place(focus)
        from source in OtherAccount(place.Account)
        from create in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from delete in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from caller in Gen.Elements(Principal.Admin, Principal.Admin, Principal.Ci, Principal.Reader)
        select (Command)new SetRegistryPolicy(place.Account, place.Region, source, create, delete, caller);

    private static Gen<(LifecycleKind Kind, int Number)> LifecycleRule =>
        Gen.OneOf(Gen.Elements(1, 2).Select(n => (LifecycleKind.CountMoreThan, n)), Gen.Elements(1, 7).Select(n => (LifecycleKind.SinceImagePushed, n)));

    private static Gen<Command> PutLifecyclePolicy((int Account, int Region) focus) =>
        from place in Place(focus)
        from name in Name
        from rule in LifecycleRule
        from caller in Gen.Elements(Principal.Ci, Principal.Ci, Principal.Admin, Principal.Reader)
        select (Command)new PutLifecyclePolicy(place.Account, place.Region, name, rule.Kind, rule.Number, caller);

    private static Gen<Command> KillSilo => Gen.Choose(0, 1).Select(which => (Command)new KillSilo(which));

    /// <summary>
    /// Any command, mostly at the scenario's focus; <paramref name="siloFaults"/> adds silo kills, <paramref name="replication"/>
    /// replication configurations. The repository settings (tag mutability, policies, lifecycle, replication) are a few
    /// percent of the commands; the stories below are what puts them to work.
    /// </summary>
    public static Gen<Command> Command((int Account, int Region) focus, bool siloFaults, bool replication = true) => Gen.Frequency(
        (18, CreateRepository(focus)), (16, PushImage(focus)), (12, PullImage(focus)), (8, DeleteRepository(focus)), (8, CreateGrant(focus)),
        (8, UseGrant(focus)), (4, UseKey(focus)), (5, ListGrants(focus)), (5, RetireGrant(focus)), (4, RevokeGrant(focus)), (4, RevokeRepositoryGrants(focus)),
        (9, ChangeKeyState(focus)), (2, CreateKey(focus)), (5, AdvanceClock), (3, SetFault(focus)), (3, ClearFaults(focus)),
        (2, SetPropagationDelay(focus)), (siloFaults ? 4 : 0, KillSilo),
        (2, PushTagged(focus)), (1, SetTagMutability(focus)), (1, SetRepositoryPolicy(focus)), (2, PullAcrossAccounts(focus)),
        (replication ? 2 : 0, PutReplication(focus)), (1, SetRegistryPolicy(focus)), (2, PutLifecyclePolicy(focus)));

    /// <summary>
    /// Commands that may run at the same time as others: single API operations (RevokeRepositoryGrants
    /// is a list-then-revoke procedure of several, not one linearizable operation), and no settings,
    /// clock or new keys, which would change how other commands' references read.
    /// </summary>
    private static Gen<Command> BranchCommand((int Account, int Region) focus) => Gen.Frequency(
        (8, CreateRepository(focus)), (6, PushImage(focus)), (5, PullImage(focus)), (4, DeleteRepository(focus)), (2, CreateGrant(focus)),
        (2, UseGrant(focus)), (1, UseKey(focus)), (2, RetireGrant(focus)), (2, RevokeGrant(focus)), (3, ChangeKeyState(focus)));

    // ---- stories: short lifecycles on one key, grant or repository, mixed into scenarios ----

    private static Gen<KeyPick> StoryKey =>
        from index in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Constant(1)))
        from form in Gen.Elements(KeyForm.Id, KeyForm.Arn, KeyForm.Alias)
        select new KeyPick(index, form);

    private static readonly GrantPick LatestTenantGrant = new(0, Missing: false, TenantOnly: true, Latest: true);

    /// <summary>Schedule deletion, maybe let time pass, cancel, enable: every state of a key, then use it.</summary>
    private static Gen<Command[]> KeyStory((int Account, int Region) f) =>
        from key in StoryKey
        from days in Gen.Elements(7, 10, 30, 3)
        from wait in Gen.Elements(TimeSpan.Zero, TimeSpan.FromDays(1), TimeSpan.FromDays(8))
        from admin in KeyAdministrator
        from name in Name
        from push in Gen.Choose(0, 9)
        select new Command[]
        {
            new CreateRepository(f.Account, f.Region, name, ModelEncryption.Kms, key, Principal.Ci),
            new PushImage(f.Account, f.Region, name, push, Principal.Ci),
            new ChangeKeyState(f.Account, f.Region, key, KeyChange.ScheduleDeletion, days, admin),
            new AdvanceClock(wait),
            new PullImage(f.Account, f.Region, name, 0, false, Principal.Ci),
            new ChangeKeyState(f.Account, f.Region, key, KeyChange.CancelDeletion, days, admin),
            new PullImage(f.Account, f.Region, name, 0, false, Principal.Reader),
            new ChangeKeyState(f.Account, f.Region, key, KeyChange.Enable, days, admin),
            new PullImage(f.Account, f.Region, name, 0, false, Principal.Ci),
        };

    /// <summary>A tenant grant is used, retired or revoked, and used again (with and without its token, within a propagation delay or not).</summary>
    private static Gen<Command[]> GrantStory((int Account, int Region) f) =>
        from key in StoryKey
        from grantee in Gen.Elements(Principal.Reader, Principal.Ci)
        from team in Gen.Elements(Teams)
        from operation in Gen.Elements("GenerateDataKey", "Decrypt", "ReEncrypt")
        from delay in Gen.Elements(0, 0, 30)
        from retire in Gen.Elements(true, false)
        from token in Gen.Elements(true, false)
        from retirer in Gen.Elements(Principal.Root, Principal.Ci, Principal.Deployer, Principal.Reader)
        select new Command[]
        {
            new SetPropagationDelay(f.Account, delay),
            new CreateGrant(f.Account, f.Region, key, grantee, ["Decrypt", "GenerateDataKey", "RetireGrant", "ReEncryptFrom", "ReEncryptTo"], team, null, null, Principal.Admin),
            new UseGrant(f.Account, f.Region, LatestTenantGrant, operation, token, team),
            new UseGrant(f.Account, f.Region, LatestTenantGrant, operation, !token, team),
            retire ? new RetireGrant(f.Account, f.Region, LatestTenantGrant, token, retirer) : new RevokeGrant(f.Account, f.Region, LatestTenantGrant, Principal.Admin),
            new UseGrant(f.Account, f.Region, LatestTenantGrant, operation, true, team),
            new AdvanceClock(TimeSpan.FromSeconds(30)),
            new UseGrant(f.Account, f.Region, LatestTenantGrant, operation, true, team),
            new ListGrants(f.Account, f.Region, key, Principal.Admin),
        };

    /// <summary>A repository lives: pushes and pulls, its key disabled and enabled, its grants revoked, and it is deleted.</summary>
    private static Gen<Command[]> RepositoryStory((int Account, int Region) f) =>
        from key in Gen.Frequency((2, StoryKey), (1, Gen.Constant(new KeyPick(0, KeyForm.Default))))
        from encryption in Gen.Frequency((3, Gen.Constant(ModelEncryption.Kms)), (1, Gen.Constant(ModelEncryption.KmsDsse)))
        from name in Name
        from push in Gen.Choose(0, 9)
        from trouble in Gen.Elements(0, 1, 2)
        from deleter in Gen.Elements(Principal.Ci, Principal.Deployer, Principal.Root)
        from force in Gen.Elements(true, false)
        select new Command[]
        {
            new CreateRepository(f.Account, f.Region, name, encryption, key, Principal.Ci),
            new PushImage(f.Account, f.Region, name, push, Principal.Ci),
            trouble switch
            {
                0 => new ChangeKeyState(f.Account, f.Region, key, KeyChange.Disable, 7, Principal.Admin),
                1 => new RevokeRepositoryGrants(f.Account, f.Region, name, Principal.Admin),
                _ => new ListGrants(f.Account, f.Region, key, Principal.Admin),
            },
            new PullImage(f.Account, f.Region, name, 0, false, Principal.Reader),
            new PushImage(f.Account, f.Region, name, push + 1, Principal.Ci),
            new ChangeKeyState(f.Account, f.Region, key, KeyChange.Enable, 7, Principal.Admin),
            new DeleteRepository(f.Account, f.Region, name, force, deleter),
            new ListGrants(f.Account, f.Region, key, Principal.Admin),
            new RetireGrant(f.Account, f.Region, new GrantPick(0, false, Latest: true), false, Principal.Admin),
        };

    /// <summary>
    /// A key rotates, automatically on the clock and on demand, while images are pushed before and after; every
    /// image still pulls. The key is tagged for the deployer, who may then use it directly, and untagged again.
    /// </summary>
    private static Gen<Command[]> RotationStory((int Account, int Region) f) =>
        from index in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Constant(1)))
        from form in Gen.Elements(KeyForm.Id, KeyForm.Arn)
        let key = new KeyPick(index, form)
        from name in Name
        from push in Gen.Choose(0, 8)
        from team in Gen.Elements(Teams)
        from wait in Gen.Elements(TimeSpan.FromDays(1), TimeSpan.FromDays(100))
        select new Command[]
        {
            new CreateRepository(f.Account, f.Region, name, ModelEncryption.Kms, key, Principal.Ci),
            new PushImage(f.Account, f.Region, name, push, Principal.Ci),
            new ChangeKeyState(f.Account, f.Region, key, KeyChange.EnableRotation, 7, Principal.Admin),
            new AdvanceClock(wait),
            new PushImage(f.Account, f.Region, name, push + 1, Principal.Ci),
            new ChangeKeyState(f.Account, f.Region, key, KeyChange.RotateOnDemand, 7, Principal.Admin),
            new PullImage(f.Account, f.Region, name, 0, false, Principal.Reader),
            new PullImage(f.Account, f.Region, name, 1, false, Principal.Reader),
            new UseKey(f.Account, f.Region, key, "Decrypt", team, Principal.Deployer),
            new ChangeKeyState(f.Account, f.Region, key, KeyChange.TagForDeployer, 7, Principal.Admin),
            new UseKey(f.Account, f.Region, key, "Decrypt", team, Principal.Deployer),
            new UseKey(f.Account, f.Region, key, "GenerateDataKey", team, Principal.Deployer),
            new ChangeKeyState(f.Account, f.Region, key, KeyChange.UntagForDeployer, 7, Principal.Admin),
            new UseKey(f.Account, f.Region, key, "GenerateDataKey", team, Principal.Deployer),
        };

    /// <summary>
    /// A key with imported material protects a repository; deleting the material shreds it (pulls and pushes fail),
    /// importing the same material again restores it.
    /// </summary>
    private static Gen<Command[]> ImportStory((int Account, int Region) f) =>
        from form in Gen.Elements(KeyForm.Id, KeyForm.Arn)
        let key = new KeyPick(0, form, Latest: true)
        from name in Name
        from push in Gen.Choose(0, 8)
        from deleter in Gen.Elements(Principal.Admin, Principal.Root, Principal.Ci)
        from cancel in Gen.Elements(true, false)
        select new Command[]
        {
            new CreateKey(f.Account, f.Region, External: true),
            new CreateRepository(f.Account, f.Region, name, ModelEncryption.Kms, key, Principal.Ci),
            new PushImage(f.Account, f.Region, name, push, Principal.Ci),
            new ChangeKeyState(f.Account, f.Region, key, KeyChange.DeleteImportedMaterial, 7, deleter),
            new PullImage(f.Account, f.Region, name, 0, false, Principal.Reader),
            new PushImage(f.Account, f.Region, name, push + 1, Principal.Ci),
            cancel ? new ChangeKeyState(f.Account, f.Region, key, KeyChange.ScheduleDeletion, 7, Principal.Admin) : new ChangeKeyState(f.Account, f.Region, key, KeyChange.Enable, 7, Principal.Admin),
            new ChangeKeyState(f.Account, f.Region, key, KeyChange.CancelDeletion, 7, Principal.Admin),
            new ChangeKeyState(f.Account, f.Region, key, KeyChange.ImportMaterial, 7, Principal.Admin),
            new PullImage(f.Account, f.Region, name, 0, false, Principal.Reader),
            new PushImage(f.Account, f.Region, name, push + 1, Principal.Ci),
        };

    /// <summary>A tag is pushed, the repository made immutable (or with an exclusion), and pushes try to move the tag, and another.</summary>
    private static Gen<Command[]> ImmutabilityStory((int Account, int Region) f) =>
        from encryption in Gen.Elements(ModelEncryption.Kms, ModelEncryption.Aes256)
        from name in Name
        from push in Gen.Choose(0, 7)
        from mode in Mutability
        select new Command[]
        {
            new CreateRepository(f.Account, f.Region, name, encryption, encryption == ModelEncryption.Kms ? new KeyPick(0, KeyForm.Arn) : new KeyPick(0, KeyForm.Default), Principal.Ci),
            new PushTagged(f.Account, f.Region, name, push, "latest", Principal.Ci),
            new PushTagged(f.Account, f.Region, name, push, "release-1", Principal.Ci),
            new SetTagMutability(f.Account, f.Region, name, mode, Principal.Ci),
            new PushTagged(f.Account, f.Region, name, push + 1, "latest", Principal.Ci),
            new PushTagged(f.Account, f.Region, name, push + 2, "release-1", Principal.Ci),
            new PushTagged(f.Account, f.Region, name, push, "latest", Principal.Ci),
            new PullImage(f.Account, f.Region, name, 1, false, Principal.Reader),
        };

    /// <summary>Another account pulls a KMS repository's image: refused, allowed by a repository policy, then stopped by trouble with the owner's key or grants, or by the policy's deletion.</summary>
    private static Gen<Command[]> CrossAccountStory((int Account, int Region) f) =>
        from key in StoryKey
        from name in Name
        from push in Gen.Choose(0, 9)
        from puller in OtherAccount(f.Account)
        from caller in CrossAccountPuller
        from trouble in Gen.Elements(0, 1, 2, 3)
        select new Command[]
        {
            new CreateRepository(f.Account, f.Region, name, ModelEncryption.Kms, key, Principal.Ci),
            new PushImage(f.Account, f.Region, name, push, Principal.Ci),
            new PullAcrossAccounts(f.Account, f.Region, name, 0, puller, caller),
            new SetRepositoryPolicy(f.Account, f.Region, name, puller, false, Principal.Ci),
            new PullAcrossAccounts(f.Account, f.Region, name, 0, puller, caller),
            trouble switch
            {
                0 => new RevokeRepositoryGrants(f.Account, f.Region, name, Principal.Admin),
                1 => new ChangeKeyState(f.Account, f.Region, key, KeyChange.Disable, 7, Principal.Admin),
                2 => new SetRepositoryPolicy(f.Account, f.Region, name, puller, true, Principal.Ci),
                _ => new SetRepositoryPolicy(f.Account, f.Region, name, (puller + 1) % Facts.Accounts == f.Account ? (puller + 2) % Facts.Accounts : (puller + 1) % Facts.Accounts, false, Principal.Ci),
            },
            new PullAcrossAccounts(f.Account, f.Region, name, 0, puller, caller),
            new PullImage(f.Account, f.Region, name, 0, false, Principal.Ci),
        };

    /// <summary>
    /// A registry replicates (across regions or accounts, the destination's registry policy letting it in), into a
    /// repository it makes or a KMS one of the destination's own key; then one side's grants are revoked, and pulls
    /// on both sides show that each decrypts only through its own.
    /// </summary>
    private static Gen<Command[]> ReplicationStory((int Account, int Region) f) =>
        from destination in Destination(f)
        from key in StoryKey
        from name in Name
        from push in Gen.Choose(0, 8)
        from existing in Gen.Elements(true, false)
        from revokeDestination in Gen.Elements(true, true, false)
        from create in Gen.Frequency((2, Gen.Constant(true)), (1, Gen.Constant(false)))
        select new Command[]
        {
            destination.Account == f.Account
                ? new CreateKey(destination.Account, destination.Region)
                : new SetRegistryPolicy(destination.Account, destination.Region, f.Account, create, false, Principal.Admin),
            existing
                ? new CreateRepository(destination.Account, destination.Region, name, ModelEncryption.Kms, key, Principal.Ci)
                : new ListGrants(destination.Account, destination.Region, key, Principal.Admin),
            new PutReplication(f.Account, f.Region, [destination], Principal.Admin),
            new CreateRepository(f.Account, f.Region, name, ModelEncryption.Kms, key, Principal.Ci),
            new PushImage(f.Account, f.Region, name, push, Principal.Ci),
            new PullImage(destination.Account, destination.Region, name, 0, false, Principal.Ci),
            revokeDestination
                ? new RevokeRepositoryGrants(destination.Account, destination.Region, name, Principal.Admin)
                : new RevokeRepositoryGrants(f.Account, f.Region, name, Principal.Admin),
            new PullImage(destination.Account, destination.Region, name, 0, false, Principal.Reader),
            new PullImage(f.Account, f.Region, name, 0, false, Principal.Reader),
            new PushImage(f.Account, f.Region, name, push + 1, Principal.Ci),
            new PullImage(destination.Account, destination.Region, name, 1, false, Principal.Ci),
        };

    /// <summary>Images are pushed, a lifecycle policy put, the clock advanced past its evaluations: expired images are gone, a new push stays.</summary>
    private static Gen<Command[]> LifecycleStory((int Account, int Region) f) =>
        from encryption in Gen.Elements(ModelEncryption.Kms, ModelEncryption.Aes256)
        from name in Name
        from push in Gen.Choose(0, 7)
        from rule in LifecycleRule
        from first in Gen.Elements(TimeSpan.FromDays(1), TimeSpan.FromDays(8), TimeSpan.FromHours(23))
        select new Command[]
        {
            new CreateRepository(f.Account, f.Region, name, encryption, encryption == ModelEncryption.Kms ? new KeyPick(0, KeyForm.Arn) : new KeyPick(0, KeyForm.Default), Principal.Ci),
            new PushImage(f.Account, f.Region, name, push, Principal.Ci),
            new AdvanceClock(TimeSpan.FromSeconds(30)),
            new PushTagged(f.Account, f.Region, name, push + 1, "latest", Principal.Ci),
            new PutLifecyclePolicy(f.Account, f.Region, name, rule.Kind, rule.Number, Principal.Ci),
            new PushImage(f.Account, f.Region, name, push + 2, Principal.Ci),
            new AdvanceClock(first),
            new PullImage(f.Account, f.Region, name, 0, false, Principal.Reader),
            new PushImage(f.Account, f.Region, name, push, Principal.Ci),
            new AdvanceClock(TimeSpan.FromDays(8)),
            new PullImage(f.Account, f.Region, name, 0, false, Principal.Reader),
        };

    private static Gen<Command[]> Story((int Account, int Region) focus) => Gen.Frequency(
        (2, KeyStory(focus)), (2, GrantStory(focus)), (2, RepositoryStory(focus)), (2, RotationStory(focus)), (2, ImportStory(focus)),
        (1, ImmutabilityStory(focus)), (1, CrossAccountStory(focus)), (1, ReplicationStory(focus)), (1, LifecycleStory(focus)));

    public static Arbitrary<Scenario> Scenarios(int maxLength, bool siloFaults) =>
        Arb.From(
            from focus in Focus
            from length in Gen.Choose(1, maxLength)
            from pieces in Gen.ArrayOf(Gen.Frequency((6, Command(focus, siloFaults).Select(c => new[] { c })), (1, Story(focus))), length)
            select new Scenario([.. pieces.SelectMany(p => p).Take(maxLength)]),
            scenario => ShrinkList(scenario.Commands).Select(commands => new Scenario(commands)));

    public static Arbitrary<ConcurrentScenario> ConcurrentScenarios(int maxPrefix) =>
        Arb.From(
            from focus in Focus
            from prefixLength in Gen.Choose(0, maxPrefix)
            // No replication configurations: a branch's push would deliver replicas after its own answer, outside any one command.
            from prefix in Gen.ArrayOf(Command(focus, siloFaults: false, replication: false), prefixLength)
            from branchCount in Gen.Choose(2, 3)
            from branches in Gen.ArrayOf(Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(BranchCommand(focus), n)), branchCount)
            select new ConcurrentScenario([.. prefix], [.. branches.Select(b => b.ToImmutableArray())]),
            ShrinkConcurrent);

    /// <summary>
    /// Two or three creates of KMS repositories with the default key, at the same time, in an
    /// account and region where the AWS managed key does not exist yet (and sometimes of one name).
    /// </summary>
    public static Arbitrary<ConcurrentScenario> CreateRaces =>
        Arb.From(
            from focus in Focus
            from branchCount in Gen.Choose(2, 3)
            from branches in Gen.ArrayOf(
                from name in Name
                from caller in Gen.Elements(Principal.Ci, Principal.Deployer, Principal.Root)
                select ImmutableArray.Create<Command>(new CreateRepository(focus.Account, focus.Region, name, ModelEncryption.Kms, new KeyPick(0, KeyForm.Default), caller)),
                branchCount)
            select new ConcurrentScenario([], [.. branches]),
            ShrinkConcurrent);

    /// <summary>Shorter lists first: without halves, quarters... down to single commands. References are symbolic, so every shorter list is still a valid scenario.</summary>
    public static IEnumerable<ImmutableArray<Command>> ShrinkList(ImmutableArray<Command> commands)
    {
        for (var chunk = commands.Length / 2; chunk >= 1; chunk /= 2)
        {
            for (var start = 0; start + chunk <= commands.Length; start += chunk)
            {
                yield return commands.RemoveRange(start, chunk);
            }
        }
    }

    private static IEnumerable<ConcurrentScenario> ShrinkConcurrent(ConcurrentScenario scenario)
    {
        if (scenario.Branches.Length > 2)
        {
            for (var b = 0; b < scenario.Branches.Length; b++)
            {
                yield return scenario with { Branches = scenario.Branches.RemoveAt(b) };
            }
        }

        foreach (var prefix in ShrinkList(scenario.Prefix))
        {
            yield return scenario with { Prefix = prefix };
        }

        for (var b = 0; b < scenario.Branches.Length; b++)
        {
            if (scenario.Branches[b].Length > 1)
            {
                foreach (var branch in ShrinkList(scenario.Branches[b]))
                {
                    yield return scenario with { Branches = scenario.Branches.SetItem(b, branch) };
                }
            }
        }
    }
}
