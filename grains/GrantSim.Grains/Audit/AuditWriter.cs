using GrantSim.Audit;
using GrantSim.Grains;

namespace GrantSim.Audit;

/// <summary>Appends an event to the trail of its recipient account, and to the caller's own account's trail when the caller is from another account.</summary>
public static class AuditWriter
{
    public static Task Record(IGrainFactory grains, AuditEvent e)
    {
        // Like CloudTrail, a request whose credentials are not recognized belongs to no account's trail.
        if (e.ErrorCode == Aws.AwsErrorCodes.UnrecognizedClient)
        {
            return Task.CompletedTask;
        }

        var recipient = grains.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(e.RecipientAccountId, e.AwsRegion)).Append([e]);
        if (e.UserIdentity.AccountId is { } callerAccount && callerAccount != e.RecipientAccountId)
        {
            var callers = grains.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(callerAccount, e.AwsRegion)).Append([e]);
            return Task.WhenAll(recipient, callers);
        }

        return recipient;
    }
}
