namespace GrantSim.Client.Histories;

/// <summary>The operations histories record, one name each, and how partitions are named.</summary>
public static class HistoryOperations
{
    public const string CreateRepository = "CreateRepository";
    public const string DeleteRepository = "DeleteRepository";
    public const string PushImage = "PushImage";
    public const string PullImage = "PullImage";

    public const string DisableKey = "DisableKey";
    public const string EnableKey = "EnableKey";
    public const string ScheduleKeyDeletion = "ScheduleKeyDeletion";
    public const string CancelKeyDeletion = "CancelKeyDeletion";

    /// <summary>The state read at the end, after pending work was finished: a last operation every explanation must agree with.</summary>
    public const string Observe = "Observe";

    /// <summary>
    /// A lifecycle policy expired the image (the trail's PolicyExecutionEvent). No client invoked it: the checker adds one per
    /// event, with no answer, so that it may have taken effect at any point of the history (its timing is invariant 11's).
    /// </summary>
    public const string ExpireImage = "ExpireImage";

    /// <summary>A delete that deleted the repository but could not retire its grants (KmsException with the documented message).</summary>
    public const string DeletedLeavingGrants = "DeletedLeavingGrants";

    /// <summary>DeleteRepository's argument: whether images may be deleted with it.</summary>
    public const string Force = "force";

    public const string KeepImages = "no-force";

    public const string RepositoryPrefix = "repository ";

    public const string KeyPrefix = "key ";

    public static string RepositoryPartition(string account, string region, string name) => $"{RepositoryPrefix}{account}/{region}/{name}";

    public static string KeyPartition(string keyArn) => KeyPrefix + keyArn;
}
