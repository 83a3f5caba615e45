using GrantSim.Grains;

namespace GrantSim.Audit;

/// <summary>
/// Appends an event to the trail of its recipient account, and to the caller's own account's trail when the
/// caller is from another account (a silo service, injected into the grains that record).
/// </summary>
public sealed class AuditWriter(IGrainFactory grains)
{
    public Task Record(AuditEvent e) => Record([e]);

    /// <summary>Several events, one append per trail they belong to.</summary>
    public Task Record(IReadOnlyList<AuditEvent> events)
    {
        var appends = TrailsOf(events)
            .GroupBy(entry => entry.Trail, entry => entry.Event, StringComparer.Ordinal)
            .Select(trail => grains.GetGrain<IAuditTrailGrain>(trail.Key).Append(trail.ToArray()))
            .ToArray();
        return appends.Length switch
        {
            0 => Task.CompletedTask,
            1 => appends[0],
            _ => Task.WhenAll(appends),
        };
    }

    private static IEnumerable<(string Trail, AuditEvent Event)> TrailsOf(IReadOnlyList<AuditEvent> events)
    {
        foreach (var e in events)
        {
            // Like CloudTrail, a request whose credentials are not recognized belongs to no account's trail.
            if (e.ErrorCode == Aws.AwsErrorCodes.UnrecognizedClient)
            {
                continue;
            }

            yield return (GrainKeys.TenantRegion(e.RecipientAccountId, e.AwsRegion), e);
            if (e.UserIdentity.AccountId is { } callerAccount && callerAccount != e.RecipientAccountId)
            {
                yield return (GrainKeys.TenantRegion(callerAccount, e.AwsRegion), e);
            }
        }
    }
}
