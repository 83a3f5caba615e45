namespace GrantSim.Audit;

/// <summary>Filters for reading a trail. <see cref="Resource"/> matches a key ARN in resources, or a repository ARN anywhere in the request (encryption context or constraint).</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Audit.AuditQuery")]
public sealed record AuditQuery(
    [property: Id(0)] string? EventName = null,
    [property: Id(1)] string? Resource = null,
    [property: Id(2)] string? GrantId = null,
    [property: Id(3)] bool ErrorsOnly = false,
    [property: Id(4)] long AfterSequence = -1,
    [property: Id(5)] int Limit = int.MaxValue);
