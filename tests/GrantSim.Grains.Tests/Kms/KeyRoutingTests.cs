using System.Security.Cryptography;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Identity;
using GrantSim.Kms;

namespace GrantSim.Grains.Tests.Kms;

/// <summary>
/// A request goes to its key's grain directly only when the Region's service grain could not have
/// refused it nor resolved anything: then both routes give the same answer and the same record.
/// </summary>
public sealed class KeyRoutingTests
{
    private const string Account = "731000000001";
    private const string Region = "eu-west-1";
    private static readonly string KeyId = Guid.NewGuid().ToString("D");
    private static readonly string KeyArn = $"arn:aws:kms:{Region}:{Account}:key/{KeyId}";
    private static readonly CallerIdentity Root = CallerIdentity.Root(Partition.Aws, Account);
    private static readonly string GrantId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void TryDirect_TakesAKeyArnOfTheRegion()
    {
        Assert.True(KeyRouting.TryDirect(Root, Region, KeyArn, out var keyArn));
        Assert.Equal(KeyArn, keyArn);
        Assert.True(KeyRouting.TryDirect(Root, Region, $"arn:aws:kms:{Region}:{Account}:key/mrk-{new string('a', 32)}", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("alias/app")]
    [InlineData("arn:aws:kms:eu-west-1:731000000001:alias/app")]
    [InlineData("arn:aws:kms:us-east-1:731000000001:key/0b2bd5d5-6a4c-4d8c-a1a9-5c86b8c9a0f1")]
    [InlineData("arn:aws-cn:kms:eu-west-1:731000000001:key/0b2bd5d5-6a4c-4d8c-a1a9-5c86b8c9a0f1")]
    [InlineData("arn:aws:kms:eu-west-1:731000000001:key/not-a-key-id")]
    [InlineData("arn:aws:kms:eu-west-1:73100:key/0b2bd5d5-6a4c-4d8c-a1a9-5c86b8c9a0f1")]
    [InlineData("arn:aws:ecr:eu-west-1:731000000001:repository/app")]
    public void TryDirect_LeavesEverythingToResolveOrRefuseToTheServiceGrain(string? reference)
    {
        // A bare key id is an ARN after resolution, but resolving it is the service grain's work (and KeyId order is AWS's).
        Assert.False(KeyRouting.TryDirect(Root, Region, reference, out _));
        Assert.False(KeyRouting.TryDirect(Root, Region, KeyId, out _));
    }

    [Fact]
    public void TryDirect_LeavesACallerOfAnotherPartitionToTheServiceGrain_WhichRecordsTheRefusal()
    {
        var chinaRoot = CallerIdentity.Root(Partition.AwsCn, Account);

        Assert.False(KeyRouting.TryDirect(chinaRoot, Region, KeyArn, out _));
    }

    [Fact]
    public void TryDirectFromCiphertext_TakesTheHeadersKey_WhenTheCallerNamedNoneOrTheSame()
    {
        var blob = KmsCiphertext.Encrypt(RandomNumberGenerator.GetBytes(32), KeyArn, "data"u8, EncryptionContext.Empty);

        Assert.True(KeyRouting.TryDirectFromCiphertext(Root, Region, blob, null, out var keyArn));
        Assert.Equal(KeyArn, keyArn);
        Assert.True(KeyRouting.TryDirectFromCiphertext(Root, Region, blob, KeyArn, out _));
        // Another name for the key, or another key: resolving and comparing (IncorrectKeyException) is the service grain's.
        Assert.False(KeyRouting.TryDirectFromCiphertext(Root, Region, blob, KeyId, out _));
        Assert.False(KeyRouting.TryDirectFromCiphertext(Root, Region, blob, "alias/app", out _));
        Assert.False(KeyRouting.TryDirectFromCiphertext(Root, "us-east-1", blob, null, out _));
        Assert.False(KeyRouting.TryDirectFromCiphertext(Root, Region, "not a ciphertext"u8.ToArray(), null, out _));
        Assert.False(KeyRouting.TryDirectFromCiphertext(Root, Region, null, KeyArn, out _));
    }

    [Fact]
    public void TryDirectFromToken_TakesTheTokensKeyAndGrant_InItsRegionOnly()
    {
        var token = GrantTokens.Issue(RandomNumberGenerator.GetBytes(32), KeyArn, GrantId);

        Assert.True(KeyRouting.TryDirectFromToken(Region, token, out var keyArn, out var grantId));
        Assert.Equal((KeyArn, GrantId), (keyArn, grantId));
        Assert.False(KeyRouting.TryDirectFromToken("us-east-1", token, out _, out _));
        Assert.False(KeyRouting.TryDirectFromToken(Region, "not-a-token", out _, out _));
        Assert.False(KeyRouting.TryDirectFromToken(Region, null, out _, out _));
    }
}
