namespace GrantSim.Audit;

/// <summary>
/// One CloudTrail-like record. <see cref="GrantId"/> holds the grant a call was about
/// (responseElements.grantId for CreateGrant, additionalEventData.grantId for RetireGrant and
/// RevokeGrant) or the grant that authorized it (GenerateDataKey, Decrypt...).
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Audit.AuditEvent")]
public sealed record AuditEvent
{
    [Id(0)] public required long Sequence { get; init; }
    [Id(1)] public required string EventId { get; init; }
    [Id(2)] public required DateTimeOffset EventTime { get; init; }
    [Id(3)] public required string EventSource { get; init; }
    [Id(4)] public required string EventName { get; init; }
    [Id(5)] public required string AwsRegion { get; init; }
    [Id(6)] public required AuditUserIdentity UserIdentity { get; init; }
    [Id(7)] public required AuditRequestParameters RequestParameters { get; init; }
    [Id(8)] public string? ResponseKeyId { get; init; }
    [Id(9)] public string? GrantId { get; init; }
    [Id(10)] public IReadOnlyList<string> Resources { get; init; } = [];
    [Id(11)] public string? ErrorCode { get; init; }
    [Id(12)] public string? ErrorMessage { get; init; }
    [Id(13)] public required string RecipientAccountId { get; init; }

    public bool Succeeded => ErrorCode is null;

    public const string KmsEventSource = "kms.amazonaws.com";
    public const string EcrEventSource = "ecr.amazonaws.com";
}
