using GrantSim.Model.Tests.Model;
using Xunit.Abstractions;

namespace GrantSim.Model.Tests.Commands;

/// <summary>The generator reaches everything the suite claims to cover; the histogram it prints shows how often.</summary>
public sealed class GeneratorTests(ITestOutputHelper output)
{
    private static IReadOnlyList<Command> Sample(int scenarios) =>
        Gen.Sample(Generators.Scenarios(25, siloFaults: true).Generator, scenarios, new Rnd(20261129, 0x9E3779B97F4A7C15UL), 25)
            .SelectMany(s => s.Commands).ToArray();

    [Fact]
    public void Scenarios_CoverEveryCommandKeyFormAndPrincipal()
    {
        var commands = Sample(200);
        var histogram = commands.GroupBy(Describe).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}").ToArray();
        output.WriteLine(string.Join(Environment.NewLine, histogram));

        var kinds = commands.Select(c => c.GetType()).ToHashSet();
        Assert.Equal(typeof(Command).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Command)) && !t.IsAbstract).ToHashSet(), kinds);
        var forms = commands.OfType<CreateRepository>().Select(c => c.Key.Form).ToHashSet();
        Assert.Equal(Enum.GetValues<KeyForm>().ToHashSet(), forms);
        Assert.Equal(Enum.GetValues<ModelEncryption>().ToHashSet(), commands.OfType<CreateRepository>().Select(c => c.Encryption).ToHashSet());
        Assert.Superset(new HashSet<Principal> { Principal.Root, Principal.Admin, Principal.Ci, Principal.Deployer, Principal.Reader }, commands.OfType<RetireGrant>().Select(c => c.As).ToHashSet());
        Assert.Equal(Enum.GetValues<KeyChange>().ToHashSet(), commands.OfType<ChangeKeyState>().Select(c => c.Change).ToHashSet());
        Assert.Contains(commands.OfType<ChangeKeyState>(), c => c.Change == KeyChange.ScheduleDeletion && c.Days is < 7 or > 30);
        Assert.Contains(commands.OfType<CreateGrant>(), c => c.Operations.Contains("TagResource"));
        Assert.Contains(commands.OfType<CreateGrant>(), c => c.Operations.Contains("ReEncryptFrom"));
        Assert.Contains(commands.OfType<UseGrant>(), c => c.Operation == "ReEncrypt");
        Assert.Contains(commands.OfType<CreateKey>(), c => c.External);
        Assert.Contains(commands.OfType<UseKey>(), c => c.As == Principal.Deployer);
        Assert.Contains(commands.OfType<RetireGrant>(), c => c.Grant.Missing);
        Assert.Contains(commands.OfType<PullImage>(), c => c.Missing);

        // The ECR features that touch keys, grants and images: every setting, both ways, and the stories that use them.
        Assert.Equal(Enum.GetValues<TagMode>().ToHashSet(), commands.OfType<SetTagMutability>().Select(c => c.Mode).ToHashSet());
        Assert.Equal(Picks.SharedTags.ToHashSet(), commands.OfType<PushTagged>().Select(c => c.Tag).ToHashSet());
        Assert.Equal(Enum.GetValues<LifecycleKind>().ToHashSet(), commands.OfType<PutLifecyclePolicy>().Select(c => c.Kind).ToHashSet());
        Assert.Contains(commands.OfType<SetRepositoryPolicy>(), c => c.Delete);
        Assert.Contains(commands.OfType<SetRepositoryPolicy>(), c => !c.Delete && c.Grantee != c.Account);
        Assert.All(commands.OfType<PullAcrossAccounts>(), c => Assert.NotEqual(c.Account, c.Puller));
        Assert.Contains(commands.OfType<PutReplication>(), c => c.Destinations.Any(d => d.Account != c.Account));
        Assert.Contains(commands.OfType<PutReplication>(), c => c.Destinations.Any(d => d.Region != c.Region && d.Account == c.Account));
        Assert.Contains(commands.OfType<PutReplication>(), c => c.Destinations.Any(d => !Facts.SamePartition(c.Region, d.Region)));
        Assert.Contains(commands.OfType<PutReplication>(), c => c.Destinations.IsEmpty);
        Assert.Contains(commands.OfType<SetRegistryPolicy>(), c => c.Delete);
        Assert.Contains(commands.OfType<SetRegistryPolicy>(), c => !c.Delete && !c.Create);

        // The new commands stay a small share, so the coverage of what was there is not diluted.
        var share = (double)commands.Count(c => c is PushTagged or SetTagMutability or SetRepositoryPolicy or PullAcrossAccounts or PutReplication or SetRegistryPolicy or PutLifecyclePolicy) / commands.Count;
        output.WriteLine($"new ECR commands: {share:P1} of {commands.Count}");
        Assert.InRange(share, 0.03, 0.2);
    }

    [Fact]
    public void ConcurrentPrefixes_ConfigureNoReplication()
    {
        var scenarios = Gen.Sample(Generators.ConcurrentScenarios(10).Generator, 300, new Rnd(20261130, 0x9E3779B97F4A7C15UL), 25);

        Assert.DoesNotContain(scenarios.SelectMany(s => s.Prefix), c => c is PutReplication);
        Assert.Contains(scenarios.SelectMany(s => s.Prefix), c => c is PutLifecyclePolicy or SetTagMutability or SetRepositoryPolicy);
    }

    [Fact]
    public void Shrinking_RemovesCommandsDownToSingleOnes()
    {
        var scenario = Gen.Sample(Generators.Scenarios(25, siloFaults: false).Generator, 20, new Rnd(7, 0x9E3779B97F4A7C15UL), 25).First(s => s.Commands.Length >= 4);
        var shrunk = Generators.ShrinkList(scenario.Commands).ToArray();

        Assert.All(shrunk, s => Assert.True(s.Length < scenario.Commands.Length));
        Assert.Contains(shrunk, s => s.Length == scenario.Commands.Length - 1);
        Assert.Contains(shrunk, s => s.Length <= scenario.Commands.Length / 2 + 1);
    }

    private static string Describe(Command command) => command switch
    {
        CreateRepository c => $"CreateRepository {c.Encryption} {c.Key.Form} as {c.As}",
        DeleteRepository c => $"DeleteRepository as {c.As}{(c.Force ? " force" : "")}",
        RetireGrant c => $"RetireGrant as {c.As}",
        ChangeKeyState c => $"{c.Change}",
        SetTagMutability c => $"SetTagMutability {c.Mode}",
        PutLifecyclePolicy c => $"PutLifecyclePolicy {c.Kind}",
        PutReplication c => $"PutReplication {c.Destinations.Length} destinations",
        _ => command.GetType().Name,
    };
}
