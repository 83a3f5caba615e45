namespace GrantSim.Ecr;

/// <summary>ECR messages that the source documentation gives word for word.</summary>
public static class EcrMessages
{
    /// <summary>The words of <see cref="GrantsNotRetired"/> that say the repository is gone, for clients that must tell this KmsException from the others.</summary>
    public const string DeletedButGrantsNotRetiredMarker = "has been deleted successfully";

    public static string GrantsNotRetired(string repositoryName, string kmsKey) =>
        $"The repository [{repositoryName}] has been deleted successfully but the grants created by the kmsKey [{kmsKey}] failed to be retired";
}
