using GrantSim.Ecr;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class RepositoryStateTests
{
    [Fact]
    public void AnAbsentRepository_HasNoneOfWhatACreatedOneHolds_AndSaysSo()
    {
        var absent = RepositoryState.Absent;

        Assert.Equal("A repository that is Absent has no encryption configuration: its stored state breaks the lifecycle's invariant.",
            Assert.Throws<InvalidOperationException>(() => absent.EncryptionConfiguration).Message);
        Assert.Throws<InvalidOperationException>(() => absent.KmsKeyArn);
        Assert.Throws<InvalidOperationException>(() => absent.CreatorPrincipal);
        Assert.Throws<InvalidOperationException>(() => absent.DeletionProgress);
    }

    [Fact]
    public void ACreatedAes256Repository_HasItsConfigurationAndCreator_ButNoKmsKey()
    {
        var created = RepositoryLifecycle.CreateAes256(Guid.NewGuid(), Samples.T0, "arn:aws:iam::111122223333:root");

        Assert.Equal(EncryptionType.Aes256, created.EncryptionConfiguration.EncryptionType);
        Assert.Equal("arn:aws:iam::111122223333:root", created.CreatorPrincipal);
        Assert.Throws<InvalidOperationException>(() => created.KmsKeyArn);
    }

    [Fact]
    public void AKmsRepositoryBeingCreated_NamesItsKey() =>
        Assert.Equal(Samples.KeyArn, RepositoryLifecycle.BeginKmsCreate(EncryptionType.Kms, Samples.KeyArn, Guid.NewGuid(), Samples.T0, "arn:aws:iam::111122223333:root").KmsKeyArn);
}
