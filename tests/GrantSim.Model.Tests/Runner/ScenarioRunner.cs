using System.Text;
using GrantSim.Client.Invariants;
using GrantSim.Model.Tests.Commands;
using GrantSim.Model.Tests.Model;
using GrantSim.Model.Tests.Support;

namespace GrantSim.Model.Tests.Runner;

/// <summary>
/// Runs scenarios against the cluster and the reference model side by side. After every command
/// the results must agree, the real state must be the model's, and — whenever no fault is being
/// injected — every invariant of SPEC §7 must hold on the real state.
/// </summary>
public sealed class ScenarioRunner(ModelClusterFixture fixture)
{
    public static int CommandsRun;

    /// <summary>How often each kind of command got each answer in sequential runs: shows which outcomes the scenarios reach.</summary>
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Outcomes = new(StringComparer.Ordinal);

    /// <summary>Scenarios started (property cases, shrinking's retries included).</summary>
    public static int ScenariosRun;

    /// <summary>The longest propagation delay any tenant had so far in the scenario: uses of an ended grant inside it were legitimate then, whatever the delay is now.</summary>
    private TimeSpan _longestDelay;

    public async Task RunAsync(Scenario scenario)
    {
        var (system, model, trace) = await StartAsync();
        await RunSequentialAsync(system, model, scenario.Commands, trace, checkInvariants: true);
    }

    public async Task RunConcurrentAsync(ConcurrentScenario scenario)
    {
        var (system, model, trace) = await StartAsync();
        model = await RunSequentialAsync(system, model, scenario.Prefix, trace, checkInvariants: false);

        // The branches run at the same time; within a branch, one command after another.
        var postPrefix = model;
        var observed = await Task.WhenAll(scenario.Branches.Select(async branch =>
        {
            var results = new List<string>();
            foreach (var command in branch)
            {
                results.Add((await system.ExecuteAsync(command, postPrefix, postPrefix)).Outcome);
                Interlocked.Increment(ref CommandsRun);
            }

            return results;
        }));
        for (var b = 0; b < scenario.Branches.Length; b++)
        {
            for (var i = 0; i < scenario.Branches[b].Length; i++)
            {
                trace.AppendLine($"  {(char)('A' + b)}{i + 1} {scenario.Branches[b][i]} -> {observed[b][i]}");
            }
        }

        var explanations = Linearizability.Explanations(postPrefix, scenario.Branches, observed).ToList();
        if (explanations.Count == 0)
        {
            throw new ScenarioFailedException(trace + "No order of the branches' commands gives these results in the model: not linearizable.");
        }

        // Some order that explains the results must also explain the state they left.
        var closest = (IReadOnlyList<string>)["(none compared)"];
        foreach (var explanation in explanations.DistinctBy(e => e.Signature).Take(12))
        {
            var differences = await StateComparer.CompareAsync(fixture.Grains, system, explanation.State, grantsByCountOnly: true);
            if (differences.Count == 0)
            {
                await system.ReconcileLedgerAsync(explanation.State);
                await CheckInvariantsAsync(system, explanation.State, trace);
                return;
            }

            closest = differences;
        }

        throw new ScenarioFailedException(trace + $"The results are explained by {explanations.Count} order(s), but the state left matches none of them:" + Environment.NewLine
            + string.Join(Environment.NewLine, closest.Select(d => "  " + d)));
    }

    private async Task<(SystemUnderTest System, ModelState Model, StringBuilder Trace)> StartAsync()
    {
        _longestDelay = TimeSpan.Zero;
        Interlocked.Increment(ref ScenariosRun);
        var system = await SystemUnderTest.CreateAsync(fixture);
        var trace = new StringBuilder().AppendLine($"Tenants {string.Join(", ", system.World.Accounts.Select((a, i) => $"acct{i}={a}"))}:");
        return (system, ModelState.Initial(fixture.Clock.GetUtcNow()), trace);
    }

    private async Task<ModelState> RunSequentialAsync(SystemUnderTest system, ModelState model, IReadOnlyList<Command> commands, StringBuilder trace, bool checkInvariants)
    {
        for (var i = 0; i < commands.Count; i++)
        {
            var command = commands[i];
            var (after, expected) = ReferenceModel.Apply(model, command);
            var real = await system.ExecuteAsync(command, model, after);
            Interlocked.Increment(ref CommandsRun);
            Outcomes.AddOrUpdate($"{command.GetType().Name} -> {real.Outcome}", 1, (_, n) => n + 1);
            trace.AppendLine($"  {i + 1:00} {command} -> {real.Outcome}" + (real.Outcome == expected ? "" : $"    <-- the model says {expected}"));
            if (real.Outcome != expected)
            {
                throw new ScenarioFailedException(trace.ToString());
            }

            await system.BindAsync(command, real, model, after);
            model = after;
            _longestDelay = model.Delays.Values.Append(_longestDelay).Max();
            var differences = await StateComparer.CompareAsync(fixture.Grains, system, model);
            if (differences.Count > 0)
            {
                throw new ScenarioFailedException(trace + "Then the state differs from the model's:" + Environment.NewLine + string.Join(Environment.NewLine, differences.Select(d => "  " + d)));
            }

            if (checkInvariants)
            {
                await CheckInvariantsAsync(system, model, trace);
            }
        }

        return model;
    }

    /// <summary>The invariants of SPEC §7 on the real state. Their probes pull and decrypt, so they run only while no fault is injected.</summary>
    private async Task CheckInvariantsAsync(SystemUnderTest system, ModelState model, StringBuilder trace)
    {
        if (!model.Faults.IsEmpty)
        {
            return;
        }

        var checker = new InvariantChecker(fixture.Grains, system.World, system.Ledger, _longestDelay);
        var report = await checker.CheckAsync(await checker.ReadStateAsync());
        if (!report.AllHeld)
        {
            throw new ScenarioFailedException(trace + "Then invariants are violated:" + Environment.NewLine
                + string.Join(Environment.NewLine, report.Results.Where(r => !r.Held).Select(r => $"  {r.Number}. {r.Name}: {string.Join("; ", r.Violations)}")));
        }
    }
}
