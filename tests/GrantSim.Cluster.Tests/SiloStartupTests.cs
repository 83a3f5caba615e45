using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Ecr;
using GrantSim.Kms;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace GrantSim.Cluster.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SiloStartupTests(ClusterFixture fixture)
{
    [Fact]
    public void Cluster_StartsWithTwoSilos()
    {
        Assert.Equal(2, fixture.Cluster.GetActiveSilos().Count());
    }

    public static TheoryData<object> WireValues => new()
    {
        EncryptionContext.Of(("a", "1"), ("b", "2")),
        new GrantConstraints(EncryptionContext.Of(("k", "v"))),
        new KeyMetadata("id", "arn:aws:kms:us-east-1:111122223333:key/id", "111122223333", "us-east-1", KeyManager.Aws, KeyState.PendingDeletion, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 7, "d"),
        new EncryptionConfiguration(EncryptionType.KmsDsse, "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/x"),
        new LeftoverGrantReport("r", "arn", "key", ["g1", "g2"], "message", "AccessDeniedException", DateTimeOffset.UnixEpoch),
        new AuditRequestParameters { KeyId = "k", EncryptionContext = EncryptionContext.Of(("x", "y")), Operations = ["Decrypt"] },
    };

    [Theory]
    [MemberData(nameof(WireValues))]
    public void WireTypes_RoundTripThroughTheOrleansSerializer(object value)
    {
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        var copy = serializer.Deserialize<object>(serializer.SerializeToArray(value))!;
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(value), System.Text.Json.JsonSerializer.Serialize(copy));
        Assert.Equal(value.GetType(), copy.GetType());
    }

    [Fact]
    public void AwsServiceException_KeepsItsNameKmsErrorAndMessage()
    {
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        var copy = serializer.Deserialize<AwsServiceException>(serializer.SerializeToArray<object>(new AwsServiceException(AwsErrorCodes.Kms, "the message", AwsErrorCodes.Disabled)))!;
        Assert.Equal((AwsErrorCodes.Kms, "the message", AwsErrorCodes.Disabled), (copy.ErrorCode, copy.Message, copy.KmsError));
    }
}
