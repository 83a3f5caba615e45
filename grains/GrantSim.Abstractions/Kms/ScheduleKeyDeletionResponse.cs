namespace GrantSim.Kms;

[GenerateSerializer, Immutable, Alias("GrantSim.Kms.ScheduleKeyDeletionResponse")]
public sealed record ScheduleKeyDeletionResponse(
    [property: Id(0)] string KeyId,
    [property: Id(1)] DateTimeOffset DeletionDate,
    [property: Id(2)] KeyState KeyState,
    [property: Id(3)] int PendingWindowInDays);
