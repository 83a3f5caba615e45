namespace GrantSim.Ecr;

/// <summary>
/// The life of a repository name. Creating and Deleting are the resumable multi-step phases;
/// RollingBack undoes a create that failed part way (a grant created, the next step failed).
/// </summary>
public enum RepositoryStatus
{
    Absent,
    Creating,
    Active,
    Deleting,
    RollingBack,
}
