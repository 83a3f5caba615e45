namespace GrantSim.Client.Simulation;

/// <summary>What the simulation does, one name per kind of step.</summary>
public static class OperationKinds
{
    public const string CreateRepository = "CreateRepository";
    public const string PushImage = "PushImage";
    public const string PullImage = "PullImage";
    public const string DeleteRepository = "DeleteRepository";
    public const string RevokeGrants = "RevokeGrants";
    public const string DisableKey = "DisableKey";
    public const string EnableKey = "EnableKey";
    public const string ScheduleKeyDeletion = "ScheduleKeyDeletion";
    public const string CancelKeyDeletion = "CancelKeyDeletion";
    public const string AdvanceClock = "AdvanceClock";
    public const string RetireLeftoverGrants = "RetireLeftoverGrants";
    public const string ConcurrentCreate = "ConcurrentCreate";
    public const string ConcurrentDeleteAndPush = "ConcurrentDeleteAndPush";

    // ECR features that touch keys, grants or images (docs/chaos.md, "Feature operations").
    public const string PutTagMutability = "PutTagMutability";
    public const string PushReusedTag = "PushReusedTag";
    public const string ShareRepository = "ShareRepository";
    public const string CrossAccountPull = "CrossAccountPull";
    public const string PutReplicationConfiguration = "PutReplicationConfiguration";
    public const string DeleteReplicaRepository = "DeleteReplicaRepository";
    public const string PutLifecyclePolicy = "PutLifecyclePolicy";

    /// <summary>Not chosen from the mix: the delivery of an acknowledged push to a replication destination, recorded once per push that replicates.</summary>
    public const string Replicate = "Replicate";

    public const string Ok = "OK";

    /// <summary>The prefix of an outcome that is a refusal the run expected (a push moving an immutable tag): a correct outcome, not an error.</summary>
    public const string RefusedAsExpected = "RefusedAsExpected";

    public static string ExpectedRefusal(string errorCode) => $"{RefusedAsExpected}({errorCode})";

    /// <summary>Whether an outcome is what the operation should have done: OK, or a refusal it expected.</summary>
    public static bool IsCorrect(string outcome) => outcome == Ok || outcome.StartsWith(RefusedAsExpected, StringComparison.Ordinal);
}
