using GrantSim.Aws;
using GrantSim.Identity;

namespace GrantSim.Audit;

/// <summary>Builds trail records. The sequence is assigned when the trail appends.</summary>
public static class AuditEvents
{
    public static AuditEvent Kms(
        string eventName, string region, string recipientAccount, CallerIdentity caller, DateTimeOffset time,
        AuditRequestParameters parameters, string? keyArn, string? grantId = null, string? responseKeyId = null, AwsServiceException? error = null) =>
        Create(AuditEvent.KmsEventSource, eventName, region, recipientAccount, caller, time, parameters, keyArn, grantId, responseKeyId, error);

    public static AuditEvent Ecr(
        string eventName, string region, string recipientAccount, CallerIdentity caller, DateTimeOffset time,
        AuditRequestParameters parameters, string? repositoryArn, AwsServiceException? error = null) =>
        Create(AuditEvent.EcrEventSource, eventName, region, recipientAccount, caller, time, parameters, repositoryArn, null, null, error);

    public static AuditUserIdentity Identity(CallerIdentity caller) => caller.Kind switch
    {
        PrincipalKind.AwsService => new AuditUserIdentity("AWSService", caller.Principal, null, caller.Principal),
        PrincipalKind.AccountRoot => new AuditUserIdentity("Root", caller.Principal, caller.Account, caller.ViaService),
        PrincipalKind.IamRole => new AuditUserIdentity("AssumedRole", caller.Principal, caller.Account, caller.ViaService),
        _ => new AuditUserIdentity("IAMUser", caller.Principal, caller.Account, caller.ViaService),
    };

    private static AuditEvent Create(
        string source, string eventName, string region, string recipientAccount, CallerIdentity caller, DateTimeOffset time,
        AuditRequestParameters parameters, string? resourceArn, string? grantId, string? responseKeyId, AwsServiceException? error) =>
        new()
        {
            Sequence = 0,
            EventId = Guid.NewGuid().ToString(),
            EventTime = time,
            EventSource = source,
            EventName = eventName,
            AwsRegion = region,
            UserIdentity = Identity(caller),
            RequestParameters = parameters,
            ResponseKeyId = responseKeyId,
            GrantId = grantId,
            Resources = resourceArn is null ? [] : [resourceArn],
            ErrorCode = error?.ErrorCode,
            ErrorMessage = error?.Message,
            RecipientAccountId = recipientAccount,
        };
}
