using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Identity;
using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Audit;

public sealed class AuditFilterTests
{
    private static readonly string GrantA = GrantIds.New();
    private static readonly string GrantB = GrantIds.New();
    private static readonly string ObjectArn = "arn:aws:s3:::us-east-1-grantsim-layer-bucket/x/sha256:abc";

    private static readonly AuditEvent[] Trail =
    [
        Event(0, KmsOperations.CreateKey, new AuditRequestParameters { Description = "k" }),
        Event(1, KmsOperations.CreateGrant,
            new AuditRequestParameters
            {
                KeyId = KeyArn, GranteePrincipal = EcrPrincipal,
                Constraints = new GrantConstraints(EncryptionContextSubset: EncryptionContext.Of(("aws:ecr:arn", RepositoryArn("app")))),
            },
            grantId: GrantA),
        Event(2, KmsOperations.GenerateDataKey,
            new AuditRequestParameters { KeyId = KeyArn, EncryptionContext = EncryptionContext.Of(("aws:ecr:arn", RepositoryArn("app")), ("aws:s3:arn", ObjectArn)) },
            grantId: GrantA),
        Event(3, KmsOperations.Decrypt,
            new AuditRequestParameters { EncryptionContext = EncryptionContext.Of(("aws:ecr:arn", RepositoryArn("other"))) },
            error: new AwsServiceException(AwsErrorCodes.AccessDenied, "denied")),
        Event(4, KmsOperations.RetireGrant, new AuditRequestParameters { KeyId = KeyId, GrantId = GrantA }, grantId: GrantA),
        Event(5, KmsOperations.CreateGrant,
            new AuditRequestParameters
            {
                KeyId = KeyArn,
                Constraints = new GrantConstraints(EncryptionContextEquals: EncryptionContext.Of(("aws:ecr:arn", RepositoryArn("eq")))),
            },
            grantId: GrantB, error: new AwsServiceException(AwsErrorCodes.LimitExceeded, "too many")),
        Event(6, KmsOperations.Decrypt, new AuditRequestParameters { KeyId = KeyArn }, error: new AwsServiceException(AwsErrorCodes.AccessDenied, "denied")),
    ];

    [Fact]
    public void Matches_EmptyQuery_MatchesEverything()
    {
        Assert.Equal(Trail.Length, Query(new AuditQuery()).Length);
    }

    [Fact]
    public void Matches_ByEventName_IsExactAndCaseSensitive()
    {
        Assert.Equal(new long[] { 1, 5 }, Query(new AuditQuery(EventName: KmsOperations.CreateGrant)));
        Assert.Empty(Query(new AuditQuery(EventName: "creategrant")));
    }

    [Fact]
    public void Matches_ErrorsOnly_KeepsFailedCalls()
    {
        Assert.Equal(new long[] { 3, 5, 6 }, Query(new AuditQuery(ErrorsOnly: true)));
        Assert.Equal(new long[] { 3, 6 }, Query(new AuditQuery(EventName: KmsOperations.Decrypt, ErrorsOnly: true)));
    }

    [Fact]
    public void Matches_ByGrantId_KeepsCallsAboutOrThroughTheGrant()
    {
        Assert.Equal(new long[] { 1, 2, 4 }, Query(new AuditQuery(GrantId: GrantA)));
        Assert.Equal(new long[] { 5 }, Query(new AuditQuery(GrantId: GrantB)));
    }

    [Fact]
    public void Matches_ByRepositoryArn_FindsItInEncryptionContextsAndConstraints()
    {
        Assert.Equal(new long[] { 1, 2 }, Query(new AuditQuery(Resource: RepositoryArn("app"))));
        Assert.Equal(new long[] { 3 }, Query(new AuditQuery(Resource: RepositoryArn("other"))));
        Assert.Equal(new long[] { 5 }, Query(new AuditQuery(Resource: RepositoryArn("eq"))));
        Assert.Equal(new long[] { 2 }, Query(new AuditQuery(Resource: ObjectArn)));
        Assert.Empty(Query(new AuditQuery(Resource: RepositoryArn("ap"))));
    }

    [Fact]
    public void Matches_ByKey_FindsItInResourcesOrKeyId()
    {
        Assert.Equal(new long[] { 1, 2, 3, 5, 6 }, Query(new AuditQuery(Resource: KeyArn)));
        Assert.Equal(new long[] { 4 }, Query(new AuditQuery(Resource: KeyId)));
    }

    [Fact]
    public void Matches_AfterSequence_KeepsOnlyLaterEvents()
    {
        Assert.Equal(new long[] { 5, 6 }, Query(new AuditQuery(AfterSequence: 4)));
        Assert.Empty(Query(new AuditQuery(AfterSequence: 6)));
        Assert.Equal(Trail.Length, Query(new AuditQuery(AfterSequence: -1)).Length);
    }

    [Fact]
    public void Matches_FiltersCombine()
    {
        Assert.Equal(new long[] { 5 }, Query(new AuditQuery(EventName: KmsOperations.CreateGrant, ErrorsOnly: true, Resource: KeyArn, AfterSequence: 2)));
    }

    [Fact]
    public void Matches_IgnoresLimit_WhichTheTrailAppliesWhileReading()
    {
        Assert.Equal(Trail.Length, Query(new AuditQuery(Limit: 1)).Length);
    }

    [Fact]
    public void Count_GroupsByEventAndOutcome()
    {
        var counts = AuditFilter.Count(Trail);

        Assert.Equal(Trail.Length, counts.Total);
        Assert.Equal(1, counts.Count(KmsOperations.CreateGrant));
        Assert.Equal(1, counts.Count(KmsOperations.CreateGrant, AwsErrorCodes.LimitExceeded));
        Assert.Equal(0, counts.Count(KmsOperations.Decrypt));
        Assert.Equal(2, counts.Count(KmsOperations.Decrypt, AwsErrorCodes.AccessDenied));
        Assert.Equal(0, counts.Count(KmsOperations.RevokeGrant));
        Assert.Equal(Trail.Length, counts.ByEventAndOutcome.Values.Sum(byOutcome => byOutcome.Values.Sum()));
    }

    [Fact]
    public void Count_OfNothing_IsZero()
    {
        var counts = AuditFilter.Count([]);

        Assert.Equal(0, counts.Total);
        Assert.Empty(counts.ByEventAndOutcome);
    }

    [Property]
    public bool Count_TotalsEqualTheNumberOfEvents(byte[] picks)
    {
        var events = picks.Select(p => Trail[p % Trail.Length]).ToArray();
        var counts = AuditFilter.Count(events);
        return counts.Total == events.Length
            && Trail.Select(e => e.EventName).Distinct().All(name =>
                counts.Count(name) == events.Count(e => e.EventName == name && e.Succeeded));
    }

    private static long[] Query(AuditQuery query) => Trail.Where(e => AuditFilter.Matches(e, query)).Select(e => e.Sequence).ToArray();

    private static AuditEvent Event(long sequence, string name, AuditRequestParameters parameters, string? grantId = null, AwsServiceException? error = null)
    {
        var keyArn = name == KmsOperations.CreateKey || parameters.KeyId == KeyId ? null : KeyArn;
        return AuditEvents.Kms(name, Region, Account, new CallerIdentity(EcrPrincipal), T0.AddSeconds(sequence), parameters, keyArn, grantId, error: error)
            with { Sequence = sequence };
    }
}
