using GrantSim.Kms;

namespace GrantSim.Tests.Shared;

/// <summary>
/// Building blocks of the encryption-context generators, shared (as a linked file) by the test projects
/// that cannot reference one another: strings over an alphabet, and one small change to a context.
/// </summary>
internal static class ContextChanges
{
    public static Gen<string> StringOf(string alphabet, int minLength, int maxLength) =>
        from length in Gen.Choose(minLength, maxLength)
        from chars in Gen.ArrayOf(Gen.Elements(alphabet.ToCharArray()), length)
        select new string(chars);

    /// <summary>
    /// The context <paramref name="pairs"/> with one change: 0 adds a pair under a new key (while fewer than
    /// <paramref name="maxPairs"/>), 1 removes one, 2 changes a value, 3 changes a value's case, 4 a key's case;
    /// null when the change cannot be made.
    /// </summary>
    public static EncryptionContext? Change((string Key, string Value)[] pairs, int change, int index, string extra, int maxPairs = int.MaxValue)
    {
        var list = pairs.ToList();
        switch (change)
        {
            case 0 when list.Count < maxPairs:
                var key = "new" + extra;
                if (list.Any(p => p.Key == key))
                {
                    return null;
                }

                list.Add((key, extra));
                break;
            case 1 when list.Count > 0:
                list.RemoveAt(index % list.Count);
                break;
            case 2 when list.Count > 0:
                var i = index % list.Count;
                list[i] = (list[i].Key, list[i].Value + extra);
                break;
            case 3 when list.Count > 0:
                var j = index % list.Count;
                list[j] = (list[j].Key, SwapCase(list[j].Value));
                break;
            case 4 when list.Count > 0:
                var k = index % list.Count;
                var swapped = SwapCase(list[k].Key);
                if (list.Any(p => p.Key == swapped))
                {
                    return null;
                }

                list[k] = (swapped, list[k].Value);
                break;
            default:
                return null;
        }

        return EncryptionContext.Of(list.ToArray());
    }

    public static string SwapCase(string text) =>
        new(text.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)).ToArray());
}
