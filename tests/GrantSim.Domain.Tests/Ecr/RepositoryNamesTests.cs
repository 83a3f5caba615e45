using GrantSim.Aws;
using GrantSim.Ecr;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class RepositoryNamesTests
{
    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool IsValid_NamesOfTheDocumentedGrammar_AreValid(Generators.ValidRepositoryName name) =>
        RepositoryNames.IsValid(name.Value) && RepositoryNames.Require(name.Value) == name.Value;

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool IsValid_ValidNameBroken_IsInvalid(Generators.InvalidRepositoryName name) =>
        !RepositoryNames.IsValid(name.Value);

    [Theory]
    [InlineData("ab")]
    [InlineData("app")]
    [InlineData("team/app")]
    [InlineData("team-a/app_1.2/x-y")]
    [InlineData("0/1")]
    public void IsValid_Examples_AreValid(string name)
    {
        Assert.True(RepositoryNames.IsValid(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("App")]
    [InlineData("team/App")]
    [InlineData("-app")]
    [InlineData(".app")]
    [InlineData("/app")]
    [InlineData("app-")]
    [InlineData("app/")]
    [InlineData("a--b")]
    [InlineData("a__b")]
    [InlineData("a._b")]
    [InlineData("a//b")]
    [InlineData("a/-b")]
    [InlineData("my app")]
    [InlineData("app:latest")]
    [InlineData("app@sha")]
    [InlineData("äpp")]
    public void IsValid_Examples_AreInvalid(string? name)
    {
        Assert.False(RepositoryNames.IsValid(name));
    }

    [Fact]
    public void IsValid_Length256_IsValid_And257_IsNot()
    {
        var name256 = string.Join('/', Enumerable.Repeat(new string('a', 63), 4)) + "a";
        Assert.Equal(256, name256.Length);
        Assert.True(RepositoryNames.IsValid(name256));
        Assert.False(RepositoryNames.IsValid(name256 + "a"));
        Assert.False(RepositoryNames.IsValid(new string('a', 257)));
    }

    [Fact]
    public void Require_InvalidName_IsInvalidParameterNamingThePattern()
    {
        var error = Assert.Throws<AwsServiceException>(() => RepositoryNames.Require("Bad"));

        Assert.Equal(AwsErrorCodes.InvalidParameter, error.ErrorCode);
        Assert.Contains(RepositoryNames.Pattern, error.Message, StringComparison.Ordinal);
        Assert.Contains("'Bad'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app\n")]
    [InlineData("team/app\n")]
    public void IsValid_NameEndingInANewline_IsInvalid(string name)
    {
        Assert.False(RepositoryNames.IsValid(name));
    }
}
