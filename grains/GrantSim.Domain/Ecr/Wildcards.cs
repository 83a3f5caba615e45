namespace GrantSim.Ecr;

/// <summary>
/// ECR's WILDCARD filters (tag mutability exclusions, scanning repository filters): a pattern matches a
/// whole value; <c>*</c> matches any run of characters, the empty run included; every other character
/// matches itself, case-sensitively. Pure.
/// </summary>
public static class Wildcards
{
    public const char Any = '*';

    public static bool Matches(string pattern, string value)
    {
        // The classic two-pointer glob match: on a mismatch, go back to the last '*' and let it take one more character.
        var p = 0;
        var v = 0;
        var star = -1;
        var starValue = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == Any)
            {
                star = p++;
                starValue = v;
            }
            else if (p < pattern.Length && pattern[p] == value[v])
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++starValue;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == Any)
        {
            p++;
        }

        return p == pattern.Length;
    }
}
