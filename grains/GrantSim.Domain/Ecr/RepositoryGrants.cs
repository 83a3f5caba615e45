using GrantSim.Aws;
using GrantSim.Kms;

namespace GrantSim.Ecr;

/// <summary>
/// The two grants ECR creates for a KMS repository. Names derive from the repository's
/// incarnation, so a create resumed after a crash makes the same CreateGrant calls and KMS's
/// name idempotency returns the same grants instead of new ones.
/// </summary>
public static class RepositoryGrants
{
    public static IReadOnlyList<string> Operations { get; } = [KmsOperations.Decrypt, KmsOperations.GenerateDataKey];

    public static string Name(Guid incarnation, RepositoryGrantRole role) =>
        $"ecr:{incarnation:N}:{role.ToString().ToLowerInvariant()}";

    public static CreateGrantRequest Request(string region, string keyArn, string repositoryArn, string grantName)
    {
        var ecr = Regions.EcrServicePrincipal(region);
        return new CreateGrantRequest(keyArn, ecr, Operations, ecr, EcrEncryptionContext.GrantConstraint(repositoryArn), grantName);
    }

    /// <summary>Which grant's path an object is on: manifests go through the registry grant, blobs (layers and configs) through the storage grant.</summary>
    public static RepositoryGrantRole RoleFor(StoredObjectKind kind) =>
        kind == StoredObjectKind.Manifest ? RepositoryGrantRole.Registry : RepositoryGrantRole.Storage;
}
