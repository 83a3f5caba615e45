using System.Collections.Immutable;

namespace GrantSim.Model.Tests.Commands;

/// <summary>A generated sequence of commands, printed one per line.</summary>
public sealed record Scenario(ImmutableArray<Command> Commands)
{
    public override string ToString() =>
        Environment.NewLine + string.Join(Environment.NewLine, Commands.Select((c, i) => $"  {i + 1:00} {c}"));
}

/// <summary>A sequential prefix, then two or three branches run at the same time.</summary>
public sealed record ConcurrentScenario(ImmutableArray<Command> Prefix, ImmutableArray<ImmutableArray<Command>> Branches)
{
    public override string ToString() =>
        Environment.NewLine + string.Join(Environment.NewLine, Prefix.Select((c, i) => $"  {i + 1:00} {c}"))
        + string.Concat(Branches.Select((branch, b) => Environment.NewLine + $"  branch {(char)('A' + b)}:" + string.Concat(branch.Select((c, i) => Environment.NewLine + $"    {(char)('A' + b)}{i + 1} {c}"))));
}
