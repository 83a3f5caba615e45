using GrantSim.Ecr;
using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class RepositoryGrantsTests
{
    private static readonly Guid Incarnation = Guid.Parse("0badc0de-0000-4000-8000-000000000001");

    [Fact]
    public void Name_DerivesFromIncarnationAndRole()
    {
        Assert.Equal("ecr:0badc0de000040008000000000000001:registry", RepositoryGrants.Name(Incarnation, RepositoryGrantRole.Registry));
        Assert.Equal("ecr:0badc0de000040008000000000000001:storage", RepositoryGrants.Name(Incarnation, RepositoryGrantRole.Storage));
    }

    [Fact]
    public void Request_IsTheDocumentedEcrGrant_AndPassesValidation()
    {
        var name = RepositoryGrants.Name(Incarnation, RepositoryGrantRole.Storage);

        var request = GrantLifecycle.Validate(RepositoryGrants.Request(Region, KeyArn, RepositoryArn(), name));

        Assert.Equal(KeyArn, request.KeyId);
        Assert.Equal("ecr.us-east-1.amazonaws.com", request.GranteePrincipal);
        Assert.Equal("ecr.us-east-1.amazonaws.com", request.RetiringPrincipal);
        Assert.Equal(new[] { KmsOperations.Decrypt, KmsOperations.GenerateDataKey }, request.Operations);
        Assert.Equal(EcrEncryptionContext.GrantConstraint(RepositoryArn()), request.Constraints);
        Assert.Equal(name, request.Name);
    }

    [Fact]
    public void Request_Twice_IsIdempotentByName()
    {
        var request = RepositoryGrants.Request(Region, KeyArn, RepositoryArn(), RepositoryGrants.Name(Incarnation, RepositoryGrantRole.Registry));
        var (book, first) = AddGrant(GrantBook.Empty, request);

        var retry = GrantLifecycle.Create(book, CustomerKey(), GrantLifecycle.Validate(request), Account, T0, GrantIds.New());

        Assert.False(retry.IsNew);
        Assert.Equal(first.GrantId, retry.Grant.GrantId);
    }

    [Fact]
    public void RoleFor_ManifestsUseTheRegistryGrant_BlobsTheStorageGrant()
    {
        Assert.Equal(RepositoryGrantRole.Registry, RepositoryGrants.RoleFor(StoredObjectKind.Manifest));
        Assert.Equal(RepositoryGrantRole.Storage, RepositoryGrants.RoleFor(StoredObjectKind.Blob));
    }
}
