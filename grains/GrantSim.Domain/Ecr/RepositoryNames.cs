using System.Text.RegularExpressions;
using GrantSim.Aws;

namespace GrantSim.Ecr;

/// <summary>ECR repository name rules: 2 to 256 characters of the documented pattern.</summary>
public static partial class RepositoryNames
{
    public const int MinLength = 2;
    public const int MaxLength = 256;
    public const string Pattern = "(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*";

    [GeneratedRegex(@"\A" + Pattern + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();

    public static bool IsValid(string? name) =>
        name is { Length: >= MinLength and <= MaxLength } && NameRegex().IsMatch(name);

    public static string Require(string? name) =>
        IsValid(name)
            ? name!
            : throw new AwsServiceException(AwsErrorCodes.InvalidParameter,
                $"Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '{Pattern}' and have length between {MinLength} and {MaxLength}' (got '{name}')");
}
