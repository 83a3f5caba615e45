using System.Diagnostics;
using System.Diagnostics.Metrics;
using GrantSim.Audit;
using GrantSim.Ecr;

namespace GrantSim.Telemetry;

/// <summary>
/// GrantSim's instruments, one set per silo (made from the host's <see cref="IMeterFactory"/>, so
/// that several silos in one process each count their own). Every value is tagged with the tenant
/// (bounded by <see cref="TenantTags"/>) and the region. Up-down counters count changes made on this
/// silo: summed over the silos of a cluster they are the cluster's totals.
/// </summary>
public sealed class GrantSimMetrics
{
    private readonly TenantTags _tenants;
    private readonly Counter<long> _auditEvents;
    private readonly Counter<long> _kmsRequests;
    private readonly Counter<long> _ecrRequests;
    private readonly UpDownCounter<long> _grants;
    private readonly Counter<long> _leftoverGrants;
    private readonly UpDownCounter<long> _repositories;
    private readonly Counter<long> _bytesPushed;
    private readonly Counter<long> _bytesPulled;
    private readonly Histogram<double> _ecrDuration;
    private readonly Histogram<double> _kmsDuration;

    public GrantSimMetrics(IMeterFactory meters, int tenantLimit = DefaultTenantLimit)
    {
        _tenants = new TenantTags(tenantLimit);
        var meter = meters.Create(GrantSimTelemetry.Name);
        _auditEvents = meter.CreateCounter<long>(Names.AuditEvents, "{event}", "Events appended to the audit trails, by trail (tenant, region), source, event name and outcome.");
        _kmsRequests = meter.CreateCounter<long>(Names.KmsRequests, "{request}", "KMS requests as the audit trail of the key's account records them, by operation and outcome (OK or the exception name).");
        _ecrRequests = meter.CreateCounter<long>(Names.EcrRequests, "{request}", "Audited ECR requests (CreateRepository, DeleteRepository), by operation and outcome.");
        _grants = meter.CreateUpDownCounter<long>(Names.Grants, "{grant}", "KMS grants by state: active goes up at CreateGrant and down at RetireGrant/RevokeGrant; retired and revoked only go up.");
        _leftoverGrants = meter.CreateCounter<long>(Names.LeftoverGrants, "{grant}", "Grants a repository delete could not retire and reported as left over (they stay active until retired by hand).");
        _repositories = meter.CreateUpDownCounter<long>(Names.Repositories, "{repository}", "Repositories that exist, by encryption type.");
        _bytesPushed = meter.CreateCounter<long>(Names.BytesPushed, "By", "Bytes of layers, configs and manifests accepted by pushes.");
        _bytesPulled = meter.CreateCounter<long>(Names.BytesPulled, "By", "Bytes of layers, configs and manifests served to pulls.");
        var buckets = new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] };
        _ecrDuration = meter.CreateHistogram<double>(Names.EcrDuration, "s", "Duration of ECR requests inside the repository grain, by operation (create, push, pull, delete steps) and outcome.", advice: buckets);
        _kmsDuration = meter.CreateHistogram<double>(Names.KmsDuration, "s", "Duration of KMS calls inside the key's grain, by operation and outcome.", advice: buckets);
    }

    public const int DefaultTenantLimit = 100;

    /// <summary>The instrument names: the one place they are spelled (docs/observability.md lists them).</summary>
    public static class Names
    {
        public const string AuditEvents = "grantsim.audit.events";
        public const string KmsRequests = "grantsim.kms.requests";
        public const string EcrRequests = "grantsim.ecr.requests";
        public const string Grants = "grantsim.kms.grants";
        public const string LeftoverGrants = "grantsim.ecr.leftover_grants";
        public const string Repositories = "grantsim.ecr.repositories";
        public const string BytesPushed = "grantsim.ecr.pushed";
        public const string BytesPulled = "grantsim.ecr.pulled";
        public const string EcrDuration = "grantsim.ecr.request.duration";
        public const string KmsDuration = "grantsim.kms.request.duration";
    }

    public static class GrantStates
    {
        public const string Active = "active";
        public const string Retired = "retired";
        public const string Revoked = "revoked";
    }

    /// <summary>
    /// Counts events as the trail of <paramref name="account"/> appends them: the same call that
    /// stores them, so the metrics cannot drift from the trail. A request lands in its recipient's
    /// trail and, when the caller is of another account, in the caller's too; the request counters
    /// count it once, in the recipient's.
    /// </summary>
    public void AuditEventsAppended(string account, string region, IReadOnlyList<AuditEvent> events)
    {
        var tenant = _tenants.For(account);
        foreach (var e in events)
        {
            var outcome = e.ErrorCode ?? AuditCounts.Ok;
            _auditEvents.Add(1, new TagList
            {
                { TelemetryTags.Tenant, tenant }, { TelemetryTags.Region, region },
                { TelemetryTags.EventSource, e.EventSource }, { TelemetryTags.Operation, e.EventName }, { TelemetryTags.Outcome, outcome },
            });
            if (e.RecipientAccountId != account)
            {
                continue;
            }

            var requests = e.EventSource == AuditEvent.KmsEventSource ? _kmsRequests : _ecrRequests;
            requests.Add(1, Tags(tenant, region, TelemetryTags.Operation, e.EventName, TelemetryTags.Outcome, outcome));
        }
    }

    public void GrantCreated(string account, string region) =>
        _grants.Add(1, Tags(_tenants.For(account), region, TelemetryTags.GrantState, GrantStates.Active));

    /// <summary>An active grant ended: <paramref name="state"/> is <see cref="GrantStates.Retired"/> or <see cref="GrantStates.Revoked"/>.</summary>
    public void GrantEnded(string account, string region, string state)
    {
        var tenant = _tenants.For(account);
        _grants.Add(-1, Tags(tenant, region, TelemetryTags.GrantState, GrantStates.Active));
        _grants.Add(1, Tags(tenant, region, TelemetryTags.GrantState, state));
    }

    public void GrantLeftOver(string account, string region) =>
        _leftoverGrants.Add(1, Tags(_tenants.For(account), region));

    public void RepositoryCreated(string account, string region, EncryptionType type) =>
        _repositories.Add(1, Tags(_tenants.For(account), region, TelemetryTags.EncryptionType, type.ToWire()));

    public void RepositoryDeleted(string account, string region, EncryptionType type) =>
        _repositories.Add(-1, Tags(_tenants.For(account), region, TelemetryTags.EncryptionType, type.ToWire()));

    public void Pushed(string account, string region, long bytes) =>
        _bytesPushed.Add(bytes, Tags(_tenants.For(account), region));

    public void Pulled(string account, string region, long bytes) =>
        _bytesPulled.Add(bytes, Tags(_tenants.For(account), region));

    /// <summary>One AWS request's time inside its grain: <paramref name="service"/> is <see cref="GrantSimTelemetry.EcrService"/> or <see cref="GrantSimTelemetry.KmsService"/>.</summary>
    public void RequestTook(string service, string account, string region, string operation, string outcome, TimeSpan duration) =>
        (service == GrantSimTelemetry.KmsService ? _kmsDuration : _ecrDuration).Record(duration.TotalSeconds, Tags(_tenants.For(account), region, TelemetryTags.Operation, operation, TelemetryTags.Outcome, outcome));

    private static TagList Tags(string tenant, string region) =>
        new() { { TelemetryTags.Tenant, tenant }, { TelemetryTags.Region, region } };

    private static TagList Tags(string tenant, string region, string name, string value) =>
        new() { { TelemetryTags.Tenant, tenant }, { TelemetryTags.Region, region }, { name, value } };

    private static TagList Tags(string tenant, string region, string name1, string value1, string name2, string value2) =>
        new() { { TelemetryTags.Tenant, tenant }, { TelemetryTags.Region, region }, { name1, value1 }, { name2, value2 } };
}
