using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Kms;
using GrantSim.Telemetry;

namespace GrantSim.Client.Tests.Telemetry;

public sealed class SimulationTelemetryTests(SimulationTelemetryFixture run) : IClassFixture<SimulationTelemetryFixture>
{
    [Fact]
    public async Task MetricCounts_AfterASeededSimulation_EqualTheAuditTrails()
    {
        var checkedEvents = 0L;
        foreach (var (account, region) in run.World.TenantRegions)
        {
            var trail = run.Cluster.Client.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(account, region));
            var counts = await trail.Count();
            var expected = counts.ByEventAndOutcome.SelectMany(e => e.Value.Select(o => $"{e.Key}/{o.Key}={o.Value}")).Order(StringComparer.Ordinal);
            Assert.Equal(expected, Sums(GrantSimMetrics.Names.AuditEvents, account, region));
            checkedEvents += counts.Total;

            // Requests are counted once, in the trail of the account they were made to.
            var events = await trail.Query(new AuditQuery());
            Assert.Equal(Requests(events, account, AuditEvent.KmsEventSource), Sums(GrantSimMetrics.Names.KmsRequests, account, region));
            Assert.Equal(Requests(events, account, AuditEvent.EcrEventSource), Sums(GrantSimMetrics.Names.EcrRequests, account, region));
        }

        Assert.True(checkedEvents > 500, $"only {checkedEvents} audit events were compared");
    }

    [Fact]
    public async Task RequestDurations_FromTheGrainCallFilter_CountEachAuditedCallOnce()
    {
        var compared = 0L;
        foreach (var (account, region) in run.World.TenantRegions)
        {
            var events = await run.Cluster.Client.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(account, region)).Query(new AuditQuery());
            long Audited(string source, string operation) =>
                events.LongCount(e => e.EventSource == source && e.EventName == operation && e.Succeeded && e.RecipientAccountId == account);
            long Timed(string instrument, string operation) =>
                run.Capture.Points(instrument, account, region)
                    .Where(p => p.Tags[TelemetryTags.Operation] == operation && p.Tags[TelemetryTags.Outcome] == AuditCounts.Ok)
                    .Sum(p => p.Point.GetHistogramCount());

            // Every successful GenerateDataKey and Decrypt is served by the key's grain, every CreateRepository by the repository's.
            foreach (var operation in new[] { KmsOperations.GenerateDataKey, KmsOperations.Decrypt, KmsOperations.CreateGrant })
            {
                Assert.Equal(Audited(AuditEvent.KmsEventSource, operation), Timed(GrantSimMetrics.Names.KmsDuration, operation));
                compared += Audited(AuditEvent.KmsEventSource, operation);
            }

            // A repository replication makes is audited as CreateRepository invoked by ECR, inside the replica's delivery: no CreateRepository call times it.
            var created = events.LongCount(e => e.EventSource == AuditEvent.EcrEventSource && e.EventName == EcrOperations.CreateRepository && e.Succeeded
                && e.RecipientAccountId == account && e.UserIdentity.InvokedBy is null);
            Assert.Equal(created, Timed(GrantSimMetrics.Names.EcrDuration, EcrOperations.CreateRepository));
        }

        Assert.True(compared > 100, $"only {compared} timed KMS calls were compared");
    }

    [Fact]
    public async Task GrantAndRepositoryGauges_AfterASeededSimulation_MatchTheKeysAndRepositories()
    {
        foreach (var (account, region) in run.World.TenantRegions)
        {
            var trail = run.Cluster.Client.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(account, region));
            var keys = (await trail.Query(new AuditQuery(EventName: KmsOperations.CreateKey)))
                .Where(e => e.Succeeded && e.RecipientAccountId == account).Select(e => e.ResponseKeyId!).Distinct();
            var grants = new List<GrantRecord>();
            foreach (var key in keys)
            {
                grants.AddRange(await run.Cluster.Client.GetGrain<IKeyGrain>(GrainKeys.Key(Arn.Parse(key))).GetGrantHistory());
            }

            var grantStates = grants.GroupBy(g => g.Status.ToString().ToLowerInvariant()).Select(g => $"{g.Key}={g.Count()}");
            Assert.Equal(grantStates.Order(StringComparer.Ordinal), Values(GrantSimMetrics.Names.Grants, account, region, TelemetryTags.GrantState));

            var admin = Client.Simulation.World.Principal(account, region, Client.Simulation.Roles.Admin);
            var repositories = await run.Cluster.Client.GetGrain<IEcrServiceGrain>(region).DescribeRepositories(admin);
            var byType = repositories.GroupBy(r => r.EncryptionConfiguration.EncryptionType.ToWire()).Select(g => $"{g.Key}={g.Count()}");
            Assert.Equal(byType.Order(StringComparer.Ordinal), Values(GrantSimMetrics.Names.Repositories, account, region, TelemetryTags.EncryptionType));
        }
    }

    [Fact]
    public void Telemetry_OfASimulation_HoldsNoDataKeyGrantTokenOrSecret()
    {
        var corpus = Corpus();
        Assert.NotEmpty(run.DataKeys);
        Assert.NotEmpty(run.GrantTokens);
        // The scan reads the calls that handled the secrets: their grant ids are there, their secrets are not.
        Assert.All(run.GrantIds, id => Assert.Contains(id, corpus, StringComparison.Ordinal));

        var forms = run.DataKeys.SelectMany(Encodings).Concat(run.GrantTokens).ToArray();
        var leaks = forms.Where(form => corpus.Contains(form, StringComparison.Ordinal)).ToArray();
        Assert.True(leaks.Length == 0, $"secrets in telemetry: {string.Join(", ", leaks.Select(l => l[..Math.Min(12, l.Length)] + "…"))}");
    }

    [Fact]
    public void LogLines_OfKmsCallsAndEcrRequests_CarryTheTraceIdAndStructuredFields()
    {
        var lines = run.Logs.Lines.Where(l => l.EventId is 100 or 200).ToArray();
        Assert.Contains(lines, l => l.EventId == 100);
        Assert.Contains(lines, l => l.EventId == 200);
        Assert.All(lines, line =>
        {
            Assert.Matches("^[0-9a-f]{32}$", line.Fields.GetValueOrDefault("TraceId") ?? "");
            Assert.True(line.Fields.ContainsKey("Tenant") && line.Fields.ContainsKey("Region") && line.Fields.ContainsKey("Operation"), line.ToString());
        });
        Assert.All(lines.Where(l => l.EventId == 200), line => Assert.True(line.Fields.ContainsKey("Repository"), line.ToString()));
        Assert.All(lines.Where(l => l.EventId == 100), line => Assert.True(line.Fields.ContainsKey("KeyArn") && line.Fields.ContainsKey("GrantId"), line.ToString()));
    }

    private static IEnumerable<string> Requests(IEnumerable<AuditEvent> events, string account, string source) =>
        events.Where(e => e.EventSource == source && e.RecipientAccountId == account)
            .GroupBy(e => $"{e.EventName}/{e.ErrorCode ?? AuditCounts.Ok}")
            .Select(g => $"{g.Key}={g.Count()}")
            .Order(StringComparer.Ordinal);

    /// <summary>A counter's sums by operation/outcome, as "operation/outcome=count", zeros left out.</summary>
    private IEnumerable<string> Sums(string instrument, string account, string region) =>
        run.Capture.Points(instrument, account, region)
            .Select(p => (Key: $"{p.Tags[TelemetryTags.Operation]}/{p.Tags[TelemetryTags.Outcome]}", Value: p.Point.GetSumLong()))
            .Where(p => p.Value != 0)
            .Select(p => $"{p.Key}={p.Value}")
            .Order(StringComparer.Ordinal);

    /// <summary>An up-down counter's values by one tag, as "value=count", zeros left out.</summary>
    private IEnumerable<string> Values(string instrument, string account, string region, string tag) =>
        run.Capture.Points(instrument, account, region)
            .GroupBy(p => p.Tags[tag])
            .Select(g => (g.Key, Sum: g.Sum(p => p.Point.GetSumLong())))
            .Where(g => g.Sum != 0)
            .Select(g => $"{g.Key}={g.Sum}")
            .Order(StringComparer.Ordinal);

    /// <summary>Everything exported: span names, tags, events, links and statuses; metric names, descriptions and tags; log lines with every field.</summary>
    private string Corpus()
    {
        Assert.True(run.Capture.Spans.Count > 1000 && run.Logs.Lines.Count > 500, $"{run.Capture.Spans.Count} spans, {run.Logs.Lines.Count} log lines");
        return run.Capture.Text(run.Logs);
    }

    internal static IEnumerable<string> Encodings(byte[] secret)
    {
        var base64 = Convert.ToBase64String(secret);
        yield return base64;
        yield return base64.TrimEnd('=').Replace('+', '-').Replace('/', '_');
        yield return Convert.ToHexString(secret);
        yield return Convert.ToHexStringLower(secret);
    }
}
