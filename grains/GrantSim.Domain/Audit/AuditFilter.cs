namespace GrantSim.Audit;

/// <summary>Applies an <see cref="AuditQuery"/> to events, and counts them.</summary>
public static class AuditFilter
{
    public static bool Matches(AuditEvent e, AuditQuery query)
    {
        if (e.Sequence <= query.AfterSequence)
        {
            return false;
        }

        if (query.EventName is not null && !string.Equals(e.EventName, query.EventName, StringComparison.Ordinal))
        {
            return false;
        }

        if (query.ErrorsOnly && e.Succeeded)
        {
            return false;
        }

        if (query.GrantId is not null && !string.Equals(e.GrantId, query.GrantId, StringComparison.Ordinal))
        {
            return false;
        }

        return query.Resource is null || MentionsResource(e, query.Resource);
    }

    /// <summary>A resource is mentioned when it is the event's resource, its key id, or a value of its encryption context or grant constraint (how a repository ARN appears in KMS events).</summary>
    public static bool MentionsResource(AuditEvent e, string resource)
    {
        if (e.Resources.Contains(resource, StringComparer.Ordinal) || e.RequestParameters.KeyId == resource)
        {
            return true;
        }

        var p = e.RequestParameters;
        return (p.EncryptionContext?.Values.Contains(resource, StringComparer.Ordinal) ?? false)
            || (p.Constraints?.EncryptionContextSubset?.Values.Contains(resource, StringComparer.Ordinal) ?? false)
            || (p.Constraints?.EncryptionContextEquals?.Values.Contains(resource, StringComparer.Ordinal) ?? false);
    }

    public static AuditCounts Count(IEnumerable<AuditEvent> events)
    {
        var counts = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        long total = 0;
        foreach (var e in events)
        {
            total++;
            if (!counts.TryGetValue(e.EventName, out var byOutcome))
            {
                counts[e.EventName] = byOutcome = new Dictionary<string, long>(StringComparer.Ordinal);
            }

            var outcome = e.ErrorCode ?? AuditCounts.Ok;
            byOutcome[outcome] = byOutcome.GetValueOrDefault(outcome) + 1;
        }

        return new AuditCounts(total, counts.ToDictionary(
            pair => pair.Key,
            pair => (IReadOnlyDictionary<string, long>)pair.Value, StringComparer.Ordinal));
    }
}
