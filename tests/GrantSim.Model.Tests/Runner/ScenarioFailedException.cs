using GrantSim.Model.Tests.Support;

namespace GrantSim.Model.Tests.Runner;

/// <summary>A scenario where the cluster and the model disagree, or an invariant broke: the trace, one command per line with its result.</summary>
public sealed class ScenarioFailedException(string trace)
    : Exception(trace + Environment.NewLine + Environment.NewLine
        + $"Replay it: {PropertyRuns.ReplayVariable}=\"<seed>,<gamma>,<size>\" (the triple FsCheck prints after 'Replay directly at failing step') "
        + "dotnet test tests/GrantSim.Model.Tests --filter <the test's name>");
