using GrantSim.Aws;
using GrantSim.Iam;
using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Kms;

public sealed class KeyTagsTests
{
    [Fact]
    public void Tag_AddsAndReplaces_AndUntagIgnoresAbsentKeys()
    {
        var key = KeyTags.Tag(CustomerKey(), [new KeyTag("b", "1"), new KeyTag("a", "2")]);
        key = KeyTags.Tag(key, [new KeyTag("b", "3")]);
        key = KeyTags.Untag(key, ["a", "zzz"]);

        Assert.Equal([KeyValuePair.Create("b", "3")], key.TagSet);
    }

    [Fact]
    public void TagKeys_AreCaseSensitive()
    {
        var key = KeyTags.Tag(CustomerKey(), [new KeyTag("Team", "1"), new KeyTag("team", "2")]);
        Assert.Equal(2, key.TagSet.Count);
    }

    [Theory]
    [InlineData("aws:x", "v", AwsErrorCodes.Tag)]
    [InlineData("AWS:x", "v", AwsErrorCodes.Tag)]
    [InlineData("", "v", AwsErrorCodes.Tag)]
    public void BadTags_AreRefused(string tagKey, string value, string errorCode)
    {
        Assert.Equal(errorCode, Assert.Throws<AwsServiceException>(() => KeyTags.Tag(CustomerKey(), [new KeyTag(tagKey, value)])).ErrorCode);
    }

    [Fact]
    public void MoreThanFiftyTags_IsLimitExceeded_CountingThoseTheKeyHas()
    {
        var key = KeyTags.Tag(CustomerKey(), Enumerable.Range(0, 49).Select(i => new KeyTag($"k{i}", "")).ToArray());
        key = KeyTags.Tag(key, [new KeyTag("k0", "replaced"), new KeyTag("last", "")]);

        Assert.Equal(50, key.TagSet.Count);
        Assert.Equal(AwsErrorCodes.LimitExceeded, Assert.Throws<AwsServiceException>(() => KeyTags.Tag(key, [new KeyTag("one-more", "")])).ErrorCode);
    }

    [Fact]
    public void TaggingAKeyPendingDeletion_IsInvalidState_ButListingIsNot()
    {
        var key = KeyLifecycle.ScheduleDeletion(CustomerKey(), 7, T0);
        Assert.Equal(AwsErrorCodes.KmsInvalidState, Assert.Throws<AwsServiceException>(() => KeyTags.Tag(key, [new KeyTag("a", "")])).ErrorCode);
        KeyLifecycle.Require(key, KmsOperations.ListResourceTags);
    }

    [Fact]
    public void ResourceTags_AreConditionKeys_ForTheKeyPolicyAndIam()
    {
        var policy = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"kms:Decrypt","Resource":"*",
              "Condition":{"StringEquals":{"aws:ResourceTag/Project":"alpha"}}}]}
            """;
        var key = CustomerKey(policy: policy);
        var call = new KmsCall(Alice, KmsOperations.Decrypt);

        Assert.Equal(AwsErrorCodes.AccessDenied, Assert.Throws<AwsServiceException>(() =>
            KmsAuthorizer.Authorize(key, GrantBook.Empty, call, [], T0, TimeSpan.Zero)).ErrorCode);
        var tagged = KeyTags.Tag(key, [new KeyTag("Project", "alpha")]);
        Assert.Equal(KmsAuthorization.ByPolicy, KmsAuthorizer.Authorize(tagged, GrantBook.Empty, call, [], T0, TimeSpan.Zero));
        Assert.Equal("alpha", KmsAuthorizer.ConditionContext(call, tagged)[ConditionKeys.AwsResourceTagPrefix + "project"]);
    }
}
