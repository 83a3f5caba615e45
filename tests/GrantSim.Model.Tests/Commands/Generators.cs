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
    private static readonly string[] GrantOperations = ["Encrypt", "Decrypt", "GenerateDataKey", "RetireGrant"];
    private static readonly string[] FaultOperations = ["GenerateDataKey", "Decrypt", "CreateGrant", "DescribeKey", "RetireGrant", "RevokeGrant"];
    private static readonly string[] FaultCodes = [.. Facts.TransientErrors, Facts.AccessDenied];

    private static Gen<int> Account => Gen.Frequency((6, Gen.Constant(0)), (3, Gen.Constant(1)), (1, Gen.Constant(2)));

    private static Gen<int> Region => Gen.Frequency((5, Gen.Constant(0)), (2, Gen.Constant(1)), (3, Gen.Constant(2)));

    private static Gen<string> Name => Gen.Elements(Names);

    private static Gen<Principal> EcrCaller => Gen.Frequency(
        (5, Gen.Constant(Principal.Ci)), (2, Gen.Constant(Principal.Deployer)), (1, Gen.Constant(Principal.Admin)),
        (1, Gen.Constant(Principal.Root)), (1, Gen.Constant(Principal.Reader)));

    private static Gen<Principal> KeyAdministrator => Gen.Frequency((4, Gen.Constant(Principal.Admin)), (2, Gen.Constant(Principal.Root)), (1, Gen.Constant(Principal.Ci)));

    private static Gen<KeyPick> Key(bool forCreate) =>
        from index in Gen.Choose(0, 3)
        from form in Gen.Frequency(
            (3, Gen.Constant(KeyForm.Id)), (3, Gen.Constant(KeyForm.Alias)), (3, Gen.Constant(KeyForm.Arn)), (2, Gen.Constant(KeyForm.AliasArn)),
            (forCreate ? 6 : 1, Gen.Constant(KeyForm.Default)), (1, Gen.Constant(KeyForm.MissingAlias)), (1, Gen.Constant(KeyForm.MissingId)),
            (1, Gen.Constant(KeyForm.OtherRegionArn)), (1, Gen.Constant(KeyForm.OtherAccountArn)))
        select new KeyPick(index, form);

    private static Gen<GrantPick> Grant =>
        from index in Gen.Choose(0, 7)
        from missing in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new GrantPick(index, missing);

    private static Gen<Command> CreateRepository =>
        from account in Account
        from region in Region
        from name in Name
        from encryption in Gen.Frequency((2, Gen.Constant(ModelEncryption.Aes256)), (6, Gen.Constant(ModelEncryption.Kms)), (2, Gen.Constant(ModelEncryption.KmsDsse)))
        from key in Key(forCreate: true)
        from caller in EcrCaller
        select (Command)new CreateRepository(account, region, name, encryption,
            encryption == ModelEncryption.Aes256 && key.Form != KeyForm.MissingId ? key with { Form = KeyForm.Default } : key, caller);

    private static Gen<Command> PushImage =>
        from account in Account
        from region in Region
        from name in Name
        from push in Gen.Choose(0, 9)
        from caller in EcrCaller
        select (Command)new PushImage(account, region, name, push, caller);

    private static Gen<Command> PullImage =>
        from account in Account
        from region in Region
        from name in Name
        from push in Gen.Choose(0, 9)
        from caller in Gen.Elements(Principal.Ci, Principal.Reader, Principal.Root)
        select (Command)new PullImage(account, region, name, push, caller);

    private static Gen<Command> DeleteRepository =>
        from account in Account
        from region in Region
        from name in Name
        from force in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from caller in EcrCaller
        select (Command)new DeleteRepository(account, region, name, force, caller);

    private static Gen<Command> CreateGrant =>
        from account in Account
        from region in Region
        from key in Key(forCreate: false)
        from grantee in Gen.Elements(Principal.Reader, Principal.Ci)
        from operations in Gen.SubListOf(GrantOperations).Where(ops => ops.Count > 0)
        from invalid in Gen.Frequency((19, Gen.Constant(false)), (1, Gen.Constant(true)))
        from team in Gen.Frequency((1, Gen.Constant<string?>(null)), (2, Gen.Elements<string?>(Teams)))
        from name in Gen.Elements<string?>(null, "n1", "n2")
        from retiring in Gen.Elements<Principal?>(null, Principal.Ci, Principal.Reader)
        from caller in Gen.Elements(Principal.Admin, Principal.Root, Principal.Ci, Principal.Reader)
        select (Command)new CreateGrant(account, region, key, grantee, invalid ? ["Sign"] : operations.ToImmutableArray(), team, name, retiring, caller);

    private static Gen<Command> UseGrant =>
        from account in Account
        from region in Region
        from grant in Grant
        from token in Gen.Elements(true, false)
        from team in Gen.Elements(Teams)
        select (Command)new UseGrant(account, region, grant, token, team);

    private static Gen<Command> ListGrants =>
        from account in Account
        from region in Region
        from key in Key(forCreate: false)
        from caller in Gen.Elements(Principal.Admin, Principal.Root, Principal.Ci)
        select (Command)new ListGrants(account, region, key, caller);

    private static Gen<Command> RetireGrant =>
        from account in Account
        from region in Region
        from grant in Grant
        from token in Gen.Elements(true, false)
        from caller in Gen.Elements(Principal.Reader, Principal.Ci, Principal.Deployer, Principal.Admin, Principal.Root)
        select (Command)new RetireGrant(account, region, grant, token, caller);

    private static Gen<Command> RevokeGrant =>
        from account in Account
        from region in Region
        from grant in Grant
        from caller in KeyAdministrator
        select (Command)new RevokeGrant(account, region, grant, caller);

    private static Gen<Command> ChangeKeyState =>
        from account in Account
        from region in Region
        from key in Key(forCreate: false)
        from change in Gen.Frequency((3, Gen.Constant(KeyChange.Disable)), (3, Gen.Constant(KeyChange.Enable)), (2, Gen.Constant(KeyChange.ScheduleDeletion)), (2, Gen.Constant(KeyChange.CancelDeletion)))
        from days in Gen.Elements(7, 7, 10, 30, 3, 31)
        from caller in KeyAdministrator
        select (Command)new ChangeKeyState(account, region, key, change, days, caller);

    private static Gen<Command> CreateKey =>
        from account in Account
        from region in Region
        select (Command)new CreateKey(account, region);

    private static Gen<Command> AdvanceClock =>
        Gen.Elements(TimeSpan.FromSeconds(30), TimeSpan.FromDays(1), TimeSpan.FromDays(8), TimeSpan.FromDays(31)).Select(by => (Command)new AdvanceClock(by));

    private static Gen<Command> SetFault =>
        from account in Account
        from region in Region
        from operation in Gen.Elements(FaultOperations)
        from code in Gen.Elements(FaultCodes)
        from principal in operation == "RetireGrant"
            // Retire faults always name a deleter, never ECR, whose own retires undo failed creates.
            ? Gen.Elements<Principal?>(Principal.Ci, Principal.Deployer, Principal.Admin, Principal.Root)
            : Gen.Elements<Principal?>(null, null, Principal.Ecr, Principal.Ci)
        select (Command)new SetFault(account, region, operation, code, principal);

    private static Gen<Command> ClearFaults => Account.Select(account => (Command)new ClearFaults(account));

    private static Gen<Command> SetPropagationDelay =>
        from account in Account
        from seconds in Gen.Elements(0, 30)
        select (Command)new SetPropagationDelay(account, seconds);

    private static Gen<Command> KillSilo => Gen.Choose(0, 1).Select(which => (Command)new KillSilo(which));

    /// <summary>Any command; <paramref name="siloFaults"/> adds silo kills.</summary>
    public static Gen<Command> Command(bool siloFaults) => Gen.Frequency(
        (18, CreateRepository), (16, PushImage), (12, PullImage), (8, DeleteRepository), (7, CreateGrant), (5, UseGrant),
        (3, ListGrants), (5, RetireGrant), (5, RevokeGrant), (8, ChangeKeyState), (2, CreateKey), (3, AdvanceClock),
        (3, SetFault), (3, ClearFaults), (2, SetPropagationDelay), (siloFaults ? 4 : 0, KillSilo));

    /// <summary>Commands that may run at the same time as others (no settings, clock or new keys: they would change how others' references read).</summary>
    private static Gen<Command> BranchCommand => Gen.Frequency(
        (6, CreateRepository), (6, PushImage), (5, PullImage), (4, DeleteRepository), (2, CreateGrant), (2, UseGrant),
        (2, RetireGrant), (2, RevokeGrant), (3, ChangeKeyState));

    public static Arbitrary<Scenario> Scenarios(int maxLength, bool siloFaults) =>
        Arb.From(
            from length in Gen.Choose(1, maxLength)
            from commands in Gen.ArrayOf(Command(siloFaults), length)
            select new Scenario([.. commands]),
            scenario => ShrinkList(scenario.Commands).Select(commands => new Scenario(commands)));

    public static Arbitrary<ConcurrentScenario> ConcurrentScenarios(int maxPrefix) =>
        Arb.From(
            from prefixLength in Gen.Choose(0, maxPrefix)
            from prefix in Gen.ArrayOf(Command(siloFaults: false), prefixLength)
            from branchCount in Gen.Choose(2, 3)
            from branches in Gen.ArrayOf(Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(BranchCommand, n)), branchCount)
            select new ConcurrentScenario([.. prefix], [.. branches.Select(b => b.ToImmutableArray())]),
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
