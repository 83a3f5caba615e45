using GrantSim.Silo.Aws;

namespace GrantSim.Silo.Tests.Aws;

public sealed class RegistryHostTests
{
    [Theory]
    [InlineData("111122223333.dkr.ecr.us-east-1.amazonaws.com", "111122223333", "us-east-1")]
    [InlineData("111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn", "111122223333", "cn-north-1")]
    [InlineData("740000000018.dkr.ecr.eu-west-1.localhost:4566", "740000000018", "eu-west-1")]
    public void Parse_ARegistryHostName_NamesItsAccountAndRegion(string host, string account, string region) =>
        Assert.Equal((account, region), RegistryHost.Parse(host));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("127.0.0.1:4566")]
    [InlineData("localhost")]
    [InlineData("11112222333.dkr.ecr.us-east-1.amazonaws.com")]
    [InlineData("111122223333.dkr.ecr.mars-north-1.amazonaws.com")]
    [InlineData("111122223333.dkr.ecr.us-east-1")]
    [InlineData("x111122223333.dkr.ecr.us-east-1.amazonaws.com")]
    [InlineData("111122223333.api.ecr.us-east-1.amazonaws.com")]
    public void Parse_AnythingElse_NamesNoRegistry(string? host) => Assert.Null(RegistryHost.Parse(host));
}
