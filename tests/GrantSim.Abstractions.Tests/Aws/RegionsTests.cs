using GrantSim.Aws;

namespace GrantSim.Abstractions.Tests.Aws;

public sealed class RegionsTests
{
    [Theory]
    [InlineData(Regions.UsEast1, Partition.Aws)]
    [InlineData(Regions.UsWest2, Partition.Aws)]
    [InlineData(Regions.EuWest1, Partition.Aws)]
    [InlineData(Regions.UsGovWest1, Partition.AwsUsGov)]
    [InlineData(Regions.UsGovEast1, Partition.AwsUsGov)]
    public void PartitionOf_KnownRegion_IsItsPartition(string region, string partition)
    {
        Assert.True(Regions.IsKnown(region));
        Assert.Equal(partition, Regions.PartitionOf(region));
        Assert.True(Partition.IsKnown(partition));
    }

    [Theory]
    [InlineData("ap-south-1", Partition.Aws)]
    [InlineData("eu-central-1", Partition.Aws)]
    [InlineData("us-east-2", Partition.Aws)]
    [InlineData("ap-northeast-1", Partition.Aws)]
    [InlineData("cn-north-1", Partition.AwsCn)]
    [InlineData("cn-northwest-1", Partition.AwsCn)]
    public void EveryRegionOfThePartitionsData_IsSimulated(string region, string partition) =>
        Assert.Equal(partition, Regions.PartitionOf(region));

    [Theory]
    [InlineData("US-EAST-1")]
    [InlineData("")]
    [InlineData("aws-global")]
    [InlineData("us-iso-east-1")]
    [InlineData("mars-north-1")]
    public void PartitionOf_NoRegionOfTheThreePartitions_IsACredentialScopedToNoRegion(string region)
    {
        Assert.False(Regions.IsKnown(region));
        var error = Assert.Throws<AwsServiceException>(() => Regions.PartitionOf(region));
        Assert.Equal(AwsErrorCodes.InvalidSignature, error.ErrorCode);
        Assert.Equal($"Credential should be scoped to a valid region, not '{region}'.", error.Message);
    }

    [Fact]
    public void All_ListsEveryRegionOfTheAwsChinaAndGovCloudPartitions_FromThePartitionsData()
    {
        Assert.Equal(38, Regions.All.Count);
        Assert.Equal(34, Regions.All.Count(r => Regions.PartitionOf(r) == Partition.Aws));
        Assert.Equal([Regions.CnNorth1, "cn-northwest-1"], Regions.All.Where(r => Regions.PartitionOf(r) == Partition.AwsCn));
        Assert.Equal([Regions.UsGovEast1, Regions.UsGovWest1], Regions.All.Where(r => Regions.PartitionOf(r) == Partition.AwsUsGov));
        Assert.Equal(Regions.All.Count, Regions.All.Distinct().Count());
        Assert.StartsWith("botocore ", Regions.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void SupportsDualLayerEncryption_OnlyInGovCloud()
    {
        Assert.Equal(
            new[] { Regions.UsGovEast1, Regions.UsGovWest1 },
            Regions.All.Where(Regions.SupportsDualLayerEncryption));
    }

    [Fact]
    public void EcrServicePrincipal_IsRegional_WithItsPartitionsDnsSuffix()
    {
        Assert.Equal("ecr.us-east-1.amazonaws.com", Regions.EcrServicePrincipal(Regions.UsEast1));
        Assert.Equal("ecr.us-gov-west-1.amazonaws.com", Regions.EcrServicePrincipal(Regions.UsGovWest1));
        Assert.Equal("ecr.cn-north-1.amazonaws.com.cn", Regions.EcrServicePrincipal(Regions.CnNorth1));
    }

    [Theory]
    [InlineData("aws", true)]
    [InlineData("aws-us-gov", true)]
    [InlineData("aws-cn", true)]
    [InlineData("aws-iso", false)]
    [InlineData("AWS", false)]
    public void Partition_IsKnown_OnlyForSimulatedPartitions(string partition, bool known)
    {
        Assert.Equal(known, Partition.IsKnown(partition));
    }
}
