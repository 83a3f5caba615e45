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
    [InlineData("ap-south-1")]
    [InlineData("US-EAST-1")]
    [InlineData("")]
    public void PartitionOf_UnknownRegion_IsUnrecognizedClient(string region)
    {
        Assert.False(Regions.IsKnown(region));
        var error = Assert.Throws<AwsServiceException>(() => Regions.PartitionOf(region));
        Assert.Equal(AwsErrorCodes.UnrecognizedClient, error.ErrorCode);
    }

    [Fact]
    public void All_ListsTheFiveSimulatedRegions()
    {
        Assert.Equal(
            new[] { Regions.UsEast1, Regions.UsWest2, Regions.EuWest1, Regions.UsGovWest1, Regions.UsGovEast1 },
            Regions.All);
        Assert.All(Regions.All, region => Assert.True(Regions.IsKnown(region)));
    }

    [Fact]
    public void SupportsDualLayerEncryption_OnlyInGovCloud()
    {
        Assert.Equal(
            new[] { Regions.UsGovWest1, Regions.UsGovEast1 },
            Regions.All.Where(Regions.SupportsDualLayerEncryption));
    }

    [Fact]
    public void EcrServicePrincipal_IsRegional()
    {
        Assert.Equal("ecr.us-east-1.amazonaws.com", Regions.EcrServicePrincipal(Regions.UsEast1));
        Assert.Equal("ecr.us-gov-west-1.amazonaws.com", Regions.EcrServicePrincipal(Regions.UsGovWest1));
    }

    [Theory]
    [InlineData("aws", true)]
    [InlineData("aws-us-gov", true)]
    [InlineData("aws-cn", false)]
    [InlineData("AWS", false)]
    public void Partition_IsKnown_OnlyForSimulatedPartitions(string partition, bool known)
    {
        Assert.Equal(known, Partition.IsKnown(partition));
    }
}
