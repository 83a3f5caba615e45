using GrantSim.Aws;
using GrantSim.Ecr;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class RepositoryResourceTagsTests
{
    private const string Account = "111122223333";
    private const string Principal = "arn:aws:iam::111122223333:role/ci";

    public sealed record TagRequest(IReadOnlyList<RepositoryTag> Existing, IReadOnlyList<RepositoryTag> Added)
    {
        public override string ToString() => $"{Existing.Count} existing, adding [{string.Join(", ", Added.Select(t => t.Key))}]";
    }

    public static class Arbitraries
    {
        public static Arbitrary<TagRequest> TagRequests() =>
            (from existing in Gen.Choose(0, 50).SelectMany(n => Tags(n))
             from added in Gen.Choose(1, 8).SelectMany(n => Tags(n))
             select new TagRequest(existing, added)).ToArbitrary();

        private static Gen<RepositoryTag[]> Tags(int count) =>
            from pairs in Gen.ArrayOf(Gen.Zip(Generators.StringOf("abcAB1:/_", 1, 4), Generators.StringOf("xyz 9@+=", 0, 6)), count)
            select pairs.DistinctBy(p => p.Item1, StringComparer.Ordinal).Select(p => new RepositoryTag(p.Item1, p.Item2)).ToArray();
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) })]
    public void Apply_AddsOrReplaces_UpToFiftyTags_AndRefusesTheWholeRequestPastThat(TagRequest request)
    {
        var existing = RepositoryResourceTags.Apply(RepositoryResourceTags.Empty, request.Existing.Take(RepositoryResourceTags.MaxTagsPerRepository).ToArray());
        var wouldHave = existing.Keys.Union(request.Added.Select(t => t.Key), StringComparer.Ordinal).Count();

        var error = Record.Exception(() => RepositoryResourceTags.Apply(existing, request.Added));
        if (wouldHave > RepositoryResourceTags.MaxTagsPerRepository)
        {
            Assert.Equal(AwsErrorCodes.TooManyTags, Assert.IsType<AwsServiceException>(error).ErrorCode);
            return;
        }

        var result = RepositoryResourceTags.Apply(existing, request.Added);
        Assert.Equal(wouldHave, result.Count);
        Assert.All(request.Added, t => Assert.Equal(t.Value, result[t.Key]));
        Assert.All(existing.Where(e => request.Added.All(a => a.Key != e.Key)), e => Assert.Equal(e.Value, result[e.Key]));
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) })]
    public bool Remove_RemovesTheNamedKeys_AndIgnoresUnknownOnes(TagRequest request)
    {
        var existing = RepositoryResourceTags.Apply(RepositoryResourceTags.Empty, request.Existing.ToArray());
        var keys = request.Added.Select(t => t.Key).ToArray();
        var result = RepositoryResourceTags.Remove(existing, keys);
        return result.Keys.SequenceEqual(existing.Keys.Except(keys, StringComparer.Ordinal)) && RepositoryResourceTags.Remove(result, keys).Count == result.Count;
    }

    [Theory]
    [InlineData("aws:team", "x")]
    [InlineData("AWS:team", "x")]
    [InlineData("", "x")]
    [InlineData("tab\tkey", "x")]
    [InlineData("key", "semi;colon")]
    public void Apply_InvalidTags_AreInvalidTagParameter(string key, string value)
    {
        var error = Assert.Throws<AwsServiceException>(() => RepositoryResourceTags.Apply(RepositoryResourceTags.Empty, [new RepositoryTag(key, value)]));
        Assert.Equal(AwsErrorCodes.InvalidTagParameter, error.ErrorCode);
    }

    [Fact]
    public void Apply_Lengths_AreThoseOfTheApiReference()
    {
        RepositoryResourceTags.Apply(RepositoryResourceTags.Empty, [new RepositoryTag(new string('k', 128), new string('v', 256)), new RepositoryTag("empty", "")]);
        Assert.Throws<AwsServiceException>(() => RepositoryResourceTags.Apply(RepositoryResourceTags.Empty, [new RepositoryTag(new string('k', 129), "v")]));
        Assert.Throws<AwsServiceException>(() => RepositoryResourceTags.Apply(RepositoryResourceTags.Empty, [new RepositoryTag("k", new string('v', 257))]));
    }

    [Fact]
    public void Apply_AKeyTwiceInOneRequest_IsRefused_AndKeysAreCaseSensitive()
    {
        Assert.Throws<AwsServiceException>(() => RepositoryResourceTags.Apply(RepositoryResourceTags.Empty, [new RepositoryTag("team", "a"), new RepositoryTag("team", "b")]));
        Assert.Equal(2, RepositoryResourceTags.Apply(RepositoryResourceTags.Empty, [new RepositoryTag("team", "a"), new RepositoryTag("Team", "b")]).Count);
    }

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool RepositoryName_OfTheRepositoryArn_IsTheName(Generators.ValidRepositoryName name) =>
        RepositoryResourceTags.RepositoryName(Arn.EcrRepository(Regions.UsEast1, Account, name.Value).ToString(), Account, Regions.UsEast1, Principal, EcrOperations.TagResource) == name.Value;

    [Theory]
    [InlineData("not-an-arn", AwsErrorCodes.InvalidParameter)]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/1234", AwsErrorCodes.InvalidParameter)]
    [InlineData("arn:aws:ecr:us-east-1:111122223333:registry/app", AwsErrorCodes.InvalidParameter)]
    [InlineData("arn:aws:ecr:us-east-1:111122223333:repository/App", AwsErrorCodes.InvalidParameter)]
    [InlineData("arn:aws:ecr:us-east-1:1111:repository/app", AwsErrorCodes.InvalidParameter)]
    [InlineData("arn:aws:ecr:eu-west-1:111122223333:repository/app", AwsErrorCodes.InvalidParameter)]
    [InlineData("arn:aws-cn:ecr:us-east-1:111122223333:repository/app", AwsErrorCodes.InvalidParameter)]
    [InlineData("arn:aws:ecr:us-east-1:444455556666:repository/app", AwsErrorCodes.AccessDenied)]
    public void RepositoryName_AnythingButARepositoryOfTheCallersRegistry_IsRefused(string arn, string errorCode)
    {
        var error = Assert.Throws<AwsServiceException>(() => RepositoryResourceTags.RepositoryName(arn, Account, Regions.UsEast1, Principal, EcrOperations.TagResource));
        Assert.Equal(errorCode, error.ErrorCode);
    }
}
