namespace GrantSim.Ecr;

/// <summary>ECR messages that the source documentation gives word for word.</summary>
public static class EcrMessages
{
    public static string GrantsNotRetired(string repositoryName, string kmsKey) =>
        $"The repository [{repositoryName}] has been deleted successfully but the grants created by the kmsKey [{kmsKey}] failed to be retired";
}
