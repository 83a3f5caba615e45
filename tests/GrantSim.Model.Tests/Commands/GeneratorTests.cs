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
        _ => command.GetType().Name,
    };
}
