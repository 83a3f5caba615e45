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

    public const string Ok = "OK";
}
