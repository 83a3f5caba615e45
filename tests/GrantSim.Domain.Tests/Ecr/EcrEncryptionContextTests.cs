using GrantSim.Ecr;
using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class EcrEncryptionContextTests
{
    private const string ObjectArn = "arn:aws:s3:::us-east-1-grantsim-layer-bucket/x/sha256:abc";

    [Fact]
    public void For_NamesTheObjectAndTheRepository()
    {
        var context = EcrEncryptionContext.For(ObjectArn, RepositoryArn());

        Assert.Equal(2, context.Count);
        Assert.Equal(ObjectArn, context["aws:s3:arn"]);
        Assert.Equal(RepositoryArn(), context["aws:ecr:arn"]);
    }

    [Fact]
    public void GrantConstraint_IsASubsetNamingTheRepository()
    {
        var constraint = EcrEncryptionContext.GrantConstraint(RepositoryArn());

        Assert.Null(constraint.EncryptionContextEquals);
        Assert.Equal(EncryptionContext.Of(("aws:ecr:arn", RepositoryArn())), constraint.EncryptionContextSubset);
    }

    [Theory]
    [InlineData(KmsOperations.GenerateDataKey)]
    [InlineData(KmsOperations.Decrypt)]
    public void GrantConstraint_AllowsObjectsOfItsRepositoryOnly(string operation)
    {
        var constraint = EcrEncryptionContext.GrantConstraint(RepositoryArn("app"));

        Assert.True(GrantLifecycle.ConstraintsAllow(constraint, operation, EcrEncryptionContext.For(ObjectArn, RepositoryArn("app"))));
        Assert.False(GrantLifecycle.ConstraintsAllow(constraint, operation, EcrEncryptionContext.For(ObjectArn, RepositoryArn("app2"))));
        Assert.False(GrantLifecycle.ConstraintsAllow(constraint, operation, EcrEncryptionContext.For(ObjectArn, RepositoryArn("ap"))));
    }
}
