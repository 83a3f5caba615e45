namespace GrantSim.Ecr;

/// <summary>
/// The two grants ECR creates per KMS repository (GrantSim's choice, see docs/decisions.md): one
/// for the registry path (manifests) and one for the storage path (layers and configs). They carry
/// the same grantee, operations and constraint, so either authorizes ECR's calls; ECR presents the
/// token of the grant of the path it is on.
/// </summary>
public enum RepositoryGrantRole
{
    Registry,
    Storage,
}
