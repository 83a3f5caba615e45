using System.Collections.Immutable;
using GrantSim.Aws;
using GrantSim.Ecr;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class CreationTemplatesTests
{
    private const string Account = "111122223333";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static RepositoryCreationTemplate Template(string prefix, params string[] appliedFor) =>
        new(prefix, null, null, [], "MUTABLE", [], null, null, appliedFor.Length == 0 ? [RepositoryCreationTemplate.Replication] : appliedFor, null, Now, Now);

    private static RepositoryCreationTemplateUpdate Request(string prefix, EncryptionConfiguration? encryption = null, IReadOnlyList<string>? appliedFor = null, string? role = null) =>
        new(prefix, null, encryption, null, null, null, null, null, appliedFor ?? [RepositoryCreationTemplate.Replication], role);

    [Theory]
    [InlineData("prod", "prod/app", true)]
    [InlineData("prod/", "prod/app", true)]
    [InlineData("prod", "production/app", false)]
    [InlineData("prod", "prod", false)]
    [InlineData("prod/team", "prod/team/app", true)]
    [InlineData("prod/team", "prod/other", false)]
    [InlineData("ROOT", "anything", true)]
    public void APrefixCoversTheNamesInItsNamespace(string prefix, string repository, bool covered) =>
        Assert.Equal(covered, CreationTemplates.Covers(prefix, repository));

    [Fact]
    public void Match_TakesTheLongestPrefix_ThenRoot_AndOnlyTemplatesForThatKindOfCreation()
    {
        RepositoryCreationTemplate[] templates =
        [
            Template("ROOT"),
            Template("prod"),
            Template("prod/team"),
            Template("prod/team/app", RepositoryCreationTemplate.PullThroughCache),
        ];

        Assert.Equal("prod/team", CreationTemplates.Match(templates, "prod/team/app/x", RepositoryCreationTemplate.Replication)?.Prefix);
        Assert.Equal("prod", CreationTemplates.Match(templates, "prod/web", RepositoryCreationTemplate.Replication)?.Prefix);
        Assert.Equal("ROOT", CreationTemplates.Match(templates, "dev/web", RepositoryCreationTemplate.Replication)?.Prefix);
        Assert.Equal("prod/team/app", CreationTemplates.Match(templates, "prod/team/app/x", RepositoryCreationTemplate.PullThroughCache)?.Prefix);
        Assert.Null(CreationTemplates.Match(templates, "dev/web", RepositoryCreationTemplate.CreateOnPush));
    }

    [Property]
    public bool Match_IsTheLongestCoveringPrefix(bool[] present, int nameChoice)
    {
        string[] prefixes = ["ROOT", "a", "a/b", "a/b/c", "b", "ab"];
        string[] names = ["a/b/c/d", "a/b/x", "a/x", "ab/x", "b/x", "c", "a"];
        var templates = prefixes.Where((_, i) => i < present.Length && present[i]).Select(p => Template(p)).ToArray();
        var name = names[Math.Abs(nameChoice % names.Length)];
        var covering = templates.Where(t => t.Prefix == "ROOT" || name.StartsWith(t.Prefix + "/", StringComparison.Ordinal)).ToArray();
        var expected = covering.Where(t => t.Prefix != "ROOT").MaxBy(t => t.Prefix.Length) ?? covering.FirstOrDefault();
        return CreationTemplates.Match(templates, name, RepositoryCreationTemplate.Replication)?.Prefix == expected?.Prefix;
    }

    [Fact]
    public void Create_RefusesASecondTemplateOfTheSamePrefix_TrailingSlashOrNot()
    {
        var first = CreationTemplates.Create([], Request("prod"), Account, Regions.UsEast1, Now);
        var error = Assert.Throws<AwsServiceException>(() => CreationTemplates.Create([first], Request("prod/"), Account, Regions.UsEast1, Now));
        Assert.Equal(AwsErrorCodes.TemplateAlreadyExists, error.ErrorCode);
    }

    [Fact]
    public void Create_StopsAtTheLimit()
    {
        var templates = Enumerable.Range(0, CreationTemplates.MaxTemplates).Select(i => Template($"p{i}")).ToImmutableArray();
        Assert.Equal(AwsErrorCodes.LimitExceeded, Assert.Throws<AwsServiceException>(() => CreationTemplates.Create(templates, Request("more"), Account, Regions.UsEast1, Now)).ErrorCode);
    }

    [Theory]
    [InlineData("AES256", "arn:aws:kms:us-east-1:111122223333:key/k", "kmsKey")]
    [InlineData("KMS", "arn:aws:kms:us-west-2:111122223333:key/k", "Region us-east-1")]
    [InlineData("KMS_DSSE", null, "GovCloud")]
    public void ATemplatesEncryption_FollowsTheRepositorysRules(string type, string? key, string why)
    {
        EncryptionTypes.TryParse(type, out var parsed);
        var error = Assert.Throws<AwsServiceException>(() =>
            CreationTemplates.Create([], Request("prod", new EncryptionConfiguration(parsed, key)), Account, Regions.UsEast1, Now));
        Assert.Equal(AwsErrorCodes.InvalidParameter, error.ErrorCode);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyKmsKey_MeansTheDefaultKey()
    {
        var template = CreationTemplates.Create([], Request("prod", new EncryptionConfiguration(EncryptionType.Kms, "")), Account, Regions.UsEast1, Now);
        Assert.Null(template.EncryptionConfiguration!.KmsKey);
    }

    [Theory]
    [InlineData("arn:aws:iam::444455556666:role/other-account")]
    [InlineData("arn:aws:iam::111122223333:user/not-a-role")]
    [InlineData("role/no-arn")]
    public void TheCustomRole_IsARoleOfThisAccount(string role) =>
        Assert.Equal(AwsErrorCodes.InvalidParameter,
            Assert.Throws<AwsServiceException>(() => CreationTemplates.Create([], Request("prod", role: role), Account, Regions.UsEast1, Now)).ErrorCode);

    [Fact]
    public void AppliedFor_NamesAtLeastOneKind()
    {
        Assert.Equal(AwsErrorCodes.InvalidParameter,
            Assert.Throws<AwsServiceException>(() => CreationTemplates.Create([], Request("prod", appliedFor: []), Account, Regions.UsEast1, Now)).ErrorCode);
    }

    [Fact]
    public void Update_ReplacesWhatItGives_KeepsTheRest_AndMovesUpdatedAt()
    {
        var created = CreationTemplates.Create([], Request("prod", new EncryptionConfiguration(EncryptionType.Kms)) with { Description = "first" }, Account, Regions.UsEast1, Now);
        var later = Now.AddHours(1);

        var updated = CreationTemplates.Update([created], new RepositoryCreationTemplateUpdate("prod/", "second", null, null, null, null, null, null, null, null), Account, Regions.UsEast1, later);

        Assert.Equal("second", updated.Description);
        Assert.Equal(EncryptionType.Kms, updated.EncryptionConfiguration!.EncryptionType);
        Assert.Equal(Now, updated.CreatedAt);
        Assert.Equal(later, updated.UpdatedAt);
        Assert.Equal(AwsErrorCodes.TemplateNotFound,
            Assert.Throws<AwsServiceException>(() => CreationTemplates.Update([created], Request("dev"), Account, Regions.UsEast1, later)).ErrorCode);
    }
}
