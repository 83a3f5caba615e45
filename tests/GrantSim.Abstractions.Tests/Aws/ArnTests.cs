using GrantSim.Aws;

namespace GrantSim.Abstractions.Tests;

public sealed class ArnTests
{
    [Fact]
    public void KmsKey_InGovCloud_UsesTheGovCloudPartition()
    {
        var arn = Arn.KmsKey(Regions.UsGovWest1, "111122223333", "1234abcd-12ab-34cd-56ef-1234567890ab");
        Assert.Equal("arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", arn.ToString());
    }

    [Property]
    public bool Parse_OfFormatted_RoundTrips(NonEmptyString resource, PositiveInt account) =>
        Arn.Parse(new Arn("aws", "kms", "us-east-1", account.Get.ToString("D12"), resource.Get).ToString()) ==
        new Arn("aws", "kms", "us-east-1", account.Get.ToString("D12"), resource.Get);
}
