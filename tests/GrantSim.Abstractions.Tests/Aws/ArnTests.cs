using GrantSim.Aws;

namespace GrantSim.Abstractions.Tests.Aws;

public sealed class ArnTests
{
    private const string Account = "111122223333";
    private const string KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";

    [Fact]
    public void KmsKey_InGovCloud_UsesTheGovCloudPartition()
    {
        var arn = Arn.KmsKey(Regions.UsGovWest1, Account, KeyId);
        Assert.Equal("arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", arn.ToString());
    }

    [Property]
    public bool Parse_OfFormatted_RoundTrips(NonEmptyString resource, PositiveInt account) =>
        Arn.Parse(new Arn("aws", "kms", "us-east-1", account.Get.ToString("D12"), resource.Get).ToString()) ==
        new Arn("aws", "kms", "us-east-1", account.Get.ToString("D12"), resource.Get);

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool TryParse_OfAnyFormattedArn_GivesBackEveryField(
        Generators.ArnField partition, Generators.ArnField service, Generators.ArnField region, Generators.ArnField account, NonEmptyString resource)
    {
        var arn = new Arn(partition.Value, service.Value, region.Value, account.Value, resource.Get);
        return Arn.TryParse(arn.ToString(), out var parsed) && parsed == arn;
    }

    [Fact]
    public void KmsKey_InCommercialRegion_UsesTheAwsPartition()
    {
        var arn = Arn.KmsKey(Regions.EuWest1, Account, KeyId);

        Assert.Equal($"arn:aws:kms:eu-west-1:{Account}:key/{KeyId}", arn.ToString());
        Assert.True(arn.IsKmsKey);
        Assert.False(arn.IsKmsAlias);
        Assert.Equal(KeyId, arn.KeyId);
    }

    [Fact]
    public void KmsAlias_IsAnAliasArnAndNotAKeyArn()
    {
        var arn = Arn.KmsAlias(Regions.UsEast1, Account, "alias/aws/ecr");

        Assert.Equal($"arn:aws:kms:us-east-1:{Account}:alias/aws/ecr", arn.ToString());
        Assert.True(arn.IsKmsAlias);
        Assert.False(arn.IsKmsKey);
    }

    [Fact]
    public void KeyId_OfANonKeyArn_Throws()
    {
        var alias = Arn.KmsAlias(Regions.UsEast1, Account, "alias/team");

        Assert.Throws<InvalidOperationException>(() => alias.KeyId);
    }

    [Fact]
    public void IsKmsKey_ForAnotherServiceWithAKeyResource_IsFalse()
    {
        Assert.False(new Arn("aws", "s3", "", "", "key/abc").IsKmsKey);
    }

    [Fact]
    public void EcrRepository_HoldsRegionAccountAndName()
    {
        Assert.Equal($"arn:aws:ecr:us-west-2:{Account}:repository/team/app", Arn.EcrRepository(Regions.UsWest2, Account, "team/app").ToString());
        Assert.Equal($"arn:aws-us-gov:ecr:us-gov-east-1:{Account}:repository/app", Arn.EcrRepository(Regions.UsGovEast1, Account, "app").ToString());
    }

    [Fact]
    public void AccountRootAndIamPrincipal_HaveNoRegion()
    {
        Assert.Equal($"arn:aws:iam::{Account}:root", Arn.AccountRoot("aws", Account).ToString());
        Assert.Equal($"arn:aws-us-gov:iam::{Account}:role/ci", Arn.IamPrincipal("aws-us-gov", Account, "role/ci").ToString());
    }

    [Fact]
    public void S3Object_HasNoRegionNorAccount_AndKeepsColonsOfTheKey()
    {
        var arn = Arn.S3Object("aws", "bucket", "repo/sha256:abc");

        Assert.Equal("arn:aws:s3:::bucket/repo/sha256:abc", arn.ToString());
        Assert.Equal(arn, Arn.Parse(arn.ToString()));
        Assert.Equal("bucket/repo/sha256:abc", Arn.Parse(arn.ToString()).Resource);
    }

    [Fact]
    public void TryParse_KeepsColonsInTheResource()
    {
        Assert.True(Arn.TryParse("arn:aws:logs:us-east-1:111122223333:log-group:my:group", out var arn));
        Assert.Equal("log-group:my:group", arn.Resource);
        Assert.Equal("111122223333", arn.Account);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("aws:kms:us-east-1:111122223333:key/x")]
    [InlineData("ARN:aws:kms:us-east-1:111122223333:key/x")]
    [InlineData("arn:aws:kms:us-east-1:111122223333")]
    [InlineData("arn::kms:us-east-1:111122223333:key/x")]
    [InlineData("arn:aws::us-east-1:111122223333:key/x")]
    [InlineData("arn:aws:kms:us-east-1:111122223333:")]
    [InlineData("1234abcd-12ab-34cd-56ef-1234567890ab")]
    public void TryParse_OfNotAnArn_IsFalse(string? text)
    {
        Assert.False(Arn.TryParse(text, out _));
    }

    [Fact]
    public void Parse_OfNotAnArn_IsInvalidArnException()
    {
        var error = Assert.Throws<AwsServiceException>(() => Arn.Parse("alias/aws/ecr"));

        Assert.Equal(AwsErrorCodes.InvalidArn, error.ErrorCode);
        Assert.Contains("alias/aws/ecr", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KmsKey_InAnUnknownRegion_IsACredentialScopedToNoRegion()
    {
        var error = Assert.Throws<AwsServiceException>(() => Arn.KmsKey("mars-north-1", Account, KeyId));

        Assert.Equal(AwsErrorCodes.InvalidSignature, error.ErrorCode);
    }
}
