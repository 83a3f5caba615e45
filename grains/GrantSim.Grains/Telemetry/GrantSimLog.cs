using Microsoft.Extensions.Logging;

namespace GrantSim.Telemetry;

/// <summary>
/// GrantSim's log lines, generated at compile time (no boxing, no parsing of templates at run
/// time) and structured: tenant, region, repository, key, grant id and operation are fields of
/// their own in the JSON console format. Grant tokens, data keys and key material are never
/// arguments here.
/// </summary>
public static partial class GrantSimLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug,
        Message = "KMS {Operation} on {KeyArn} (tenant {Tenant}, {Region}): {Outcome}, grant {GrantId}")]
    public static partial void KmsCall(ILogger logger, string operation, string keyArn, string tenant, string region, string outcome, string? grantId);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
        Message = "Appending the audit record of {Operation} on grant {GrantId} of {Key}, which a failure kept from the trail")]
    public static partial void PendingAuditAppended(ILogger logger, string operation, string? grantId, string key);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning,
        Message = "Could not clear recorded grant changes from the grant pages' outbox of {Key} on deactivation; the next activation finds them in the trail")]
    public static partial void OutboxNotCleared(ILogger logger, string key, Exception error);

    [LoggerMessage(EventId = 200, Level = LogLevel.Debug,
        Message = "ECR {Operation} on {Repository} (tenant {Tenant}, {Region}): {Outcome} in {ElapsedMilliseconds:F2} ms")]
    public static partial void EcrRequest(ILogger logger, string operation, string repository, string tenant, string region, string outcome, double elapsedMilliseconds);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning,
        Message = "Rolling back {Repository}: retiring grant {GrantId} failed with {Outcome}; the reminder will retry")]
    public static partial void RollbackRetireFailed(ILogger logger, string repository, string? grantId, string outcome);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information,
        Message = "Retiring {GrantId} for {Repository}: {Outcome}, attempt {Attempt}")]
    public static partial void RetireRetry(ILogger logger, string? grantId, string repository, string outcome, int attempt);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning,
        Message = "Deleting {Repository}: grant {GrantId} could not be retired ({Outcome}) and is reported as left over")]
    public static partial void GrantLeftOver(ILogger logger, string repository, string? grantId, string outcome);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information,
        Message = "Resumed work on {Repository} ended with {Outcome}")]
    public static partial void ResumedWorkEnded(ILogger logger, string repository, string outcome);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning,
        Message = "The reminder service is unavailable for {Repository} ({Failure}): a change that needs a reminder was refused, or a finished one's reminder left to clear itself")]
    public static partial void ReminderUnavailable(ILogger logger, string repository, string failure);
}
