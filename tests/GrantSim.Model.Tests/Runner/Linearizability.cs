using System.Collections.Immutable;
using GrantSim.Model.Tests.Commands;
using GrantSim.Model.Tests.Model;

namespace GrantSim.Model.Tests.Runner;

/// <summary>
/// Wing and Gong's check, by search: the observed results of concurrent branches are
/// linearizable when some interleaving (each branch in its own order) run one command at a time
/// in the model gives exactly those results. Yields the model's final state of every such order.
/// </summary>
public static class Linearizability
{
    public sealed record Explanation(ModelState State, string Signature);

    public static IEnumerable<Explanation> Explanations(ModelState start, ImmutableArray<ImmutableArray<Command>> branches, IReadOnlyList<IReadOnlyList<string>> observed)
    {
        var positions = new int[branches.Length];
        return Search(start, start, branches, observed, positions);
    }

    private static IEnumerable<Explanation> Search(ModelState state, ModelState picks, ImmutableArray<ImmutableArray<Command>> branches, IReadOnlyList<IReadOnlyList<string>> observed, int[] positions)
    {
        var done = true;
        for (var b = 0; b < branches.Length; b++)
        {
            if (positions[b] == branches[b].Length)
            {
                continue;
            }

            done = false;
            var (next, expected) = ReferenceModel.Apply(state, branches[b][positions[b]], picks);
            if (expected != observed[b][positions[b]])
            {
                continue;
            }

            positions[b]++;
            foreach (var explanation in Search(next, picks, branches, observed, positions))
            {
                yield return explanation;
            }

            positions[b]--;
        }

        if (done)
        {
            yield return new Explanation(state, Signature(state));
        }
    }

    private static string Signature(ModelState state) =>
        string.Join("|", state.Keys.Select(k => $"{k.Sym}:{k.StatusAt(state.Now)}:{state.Grants.Count(g => g.KeySym == k.Sym && g.Active)}"))
        + "|" + string.Join("|", state.Repositories.OrderBy(r => r.Key).Select(r => $"{r.Key}:{r.Value.Encryption}:{r.Value.KeySym}:{string.Join(",", r.Value.Images.Order())}"));
}
