using System.Text.RegularExpressions;
using GrantSim.Iam;

namespace GrantSim.Domain.Tests.Iam;

public sealed class WildcardPatternTests
{
    [Property]
    public bool IsMatch_PatternWithoutWildcardsEqualToText_Matches(NonNull<string> text, bool ignoreCase)
    {
        var plain = text.Get.Replace("*", "", StringComparison.Ordinal).Replace("?", "", StringComparison.Ordinal);
        return WildcardPattern.IsMatch(plain, plain, ignoreCase);
    }

    [Property]
    public bool IsMatch_Star_MatchesEverything(NonNull<string> text, bool ignoreCase) =>
        WildcardPattern.IsMatch("*", text.Get, ignoreCase);

    [Property(Arbitrary = new[] { typeof(Generators) }, MaxTest = 1000)]
    public bool IsMatch_AgreesWithARegexReference(Generators.GlobCase c, bool ignoreCase) =>
        WildcardPattern.IsMatch(c.Pattern, c.Text, ignoreCase) == Reference(c.Pattern, c.Text, ignoreCase);

    [Theory]
    [InlineData("kms:*", "kms:Decrypt", true)]
    [InlineData("kms:Re*", "kms:ReEncryptFrom", true)]
    [InlineData("kms:GenerateDataKey*", "kms:GenerateDataKey", true)]
    [InlineData("kms:GenerateDataKey*", "kms:GenerateDataKeyWithoutPlaintext", true)]
    [InlineData("kms:Describe?ey", "kms:DescribeKey", true)]
    [InlineData("kms:Describe?ey", "kms:Describeey", false)]
    [InlineData("kms:*Grant", "kms:CreateGrant", true)]
    [InlineData("kms:*Grant", "kms:CreateGrants", false)]
    [InlineData("arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:us-east-1:111122223333:key/abc", true)]
    [InlineData("arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:us-east-1:444455556666:key/abc", false)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "aXcYb", false)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("**", "", true)]
    public void IsMatch_Examples(string pattern, string text, bool matches)
    {
        Assert.Equal(matches, WildcardPattern.IsMatch(pattern, text, ignoreCase: false));
    }

    [Fact]
    public void IsMatch_CaseMattersUnlessIgnored()
    {
        Assert.False(WildcardPattern.IsMatch("kms:decrypt", "kms:Decrypt", ignoreCase: false));
        Assert.True(WildcardPattern.IsMatch("kms:decrypt", "kms:Decrypt", ignoreCase: true));
        Assert.False(WildcardPattern.IsMatch("KMS:*crypt", "kms:Decrypt", ignoreCase: false));
        Assert.True(WildcardPattern.IsMatch("KMS:*CRYPT", "kms:Decrypt", ignoreCase: true));
    }

    private static bool Reference(string pattern, string text, bool ignoreCase)
    {
        var regex = "^" + string.Concat(pattern.Select(c => c switch
        {
            '*' => ".*",
            '?' => ".",
            _ => Regex.Escape(c.ToString()),
        })) + @"\z";
        var options = RegexOptions.Singleline | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        return Regex.IsMatch(text, regex, options);
    }
}
