namespace GrantSim.Ecr;

/// <summary>A delete under way: who deletes (the grants are retired as that principal) and, once the retires are done, the leftover report if any.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.DeletionProgress")]
public sealed record DeletionProgress(
    [property: Id(0)] string Deleter,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2)] bool ObjectsDeleted,
    [property: Id(3)] bool GrantsSettled,
    [property: Id(4)] LeftoverGrantReport? Leftover);
