using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Client.Demo;
using GrantSim.Client.Hosting;
using GrantSim.Ecr;
using GrantSim.Kms;

namespace GrantSim.Client.Tests.Demo;

/// <summary>Every lesson runs on an embedded silo and shows what the guide says ECR asks of KMS, call by call.</summary>
public sealed class DemoTests : IAsyncLifetime
{
    private EmbeddedCluster _cluster = null!;
    private IReadOnlyList<StepRecord> _records = [];

    public async Task InitializeAsync()
    {
        _cluster = await EmbeddedCluster.StartAsync();
        var session = await DemoSession.StartAsync(_cluster.Client, new ClusterClock(_cluster.Client));
        var runner = new DemoRunner(session);
        var records = new List<StepRecord>();
        foreach (var lesson in Lessons.All)
        {
            session.BeginLesson();
            for (var step = 1; step <= lesson.Steps.Count; step++)
            {
                records.Add(await runner.RunStepAsync(lesson, step));
            }
        }

        _records = records;
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public void EveryStepOfEveryLesson_GoesAsTheLessonSays()
    {
        Assert.Equal(7, _records.Select(r => r.Lesson.Number).Distinct().Count());
        Assert.All(_records, r => Assert.True(r.AsTaught, $"{r.Lesson.Number}.{r.Number} {r.Step.Title}: {(r.Refused ? "refused" : "succeeded")}: {r.Result}"));
    }

    [Fact]
    public void Lesson1_CreateMakesDescribeKeyAndTwoGrantsForEcr_ConstrainedToTheRepository()
    {
        var create = Step(1, 1);
        var repositoryArn = Arn.EcrRepository(Regions.UsWest2, DemoSession.DefaultAccount, "demo/app").ToString();
        var ecr = Regions.EcrServicePrincipal(Regions.UsWest2);

        Assert.Equal([KmsOperations.DescribeKey, KmsOperations.CreateGrant, KmsOperations.CreateGrant], Kms(create).Select(e => e.EventName));
        Assert.All(Kms(create), e => Assert.Equal(ecr, e.UserIdentity.InvokedBy));
        Assert.All(Kms(create).Where(e => e.EventName == KmsOperations.CreateGrant), e =>
        {
            Assert.Equal(ecr, e.RequestParameters.GranteePrincipal);
            Assert.Equal(ecr, e.RequestParameters.RetiringPrincipal);
            Assert.Contains(KmsOperations.Decrypt, e.RequestParameters.Operations!);
            Assert.Contains(KmsOperations.GenerateDataKey, e.RequestParameters.Operations!);
            Assert.Equal(repositoryArn, e.RequestParameters.Constraints!.EncryptionContextSubset![EcrEncryptionContext.EcrArnKey]);
        });
        Assert.Equal(2, create.Grants.Count(g => g.Status == GrantStatus.Active));
    }

    [Fact]
    public void Lesson1_PushMakesADataKeyPerObject_AndPullDecryptsEachWithTheSameContext()
    {
        var push = Kms(Step(1, 2));
        var pull = Kms(Step(1, 4));

        Assert.Equal(3, push.Count(e => e.EventName == KmsOperations.GenerateDataKey));
        Assert.All(push, e => Assert.Equal([EcrEncryptionContext.EcrArnKey, "aws:s3:arn"], e.RequestParameters.EncryptionContext!.Keys.Order(StringComparer.Ordinal)));
        Assert.Equal(3, pull.Count(e => e.EventName == KmsOperations.Decrypt && e.Succeeded));
        Assert.Equal(push.Select(e => e.RequestParameters.EncryptionContext).ToHashSet(), pull.Select(e => e.RequestParameters.EncryptionContext).ToHashSet());
        Assert.Empty(Kms(Step(1, 3)));
        Assert.Contains("AES-256-GCM ciphertext", Step(1, 3).Result, StringComparison.Ordinal);
    }

    [Fact]
    public void Lesson1_DeleteRetiresBothGrants()
    {
        var delete = Step(1, 5);

        Assert.Equal([KmsOperations.RetireGrant, KmsOperations.RetireGrant], Kms(delete).Select(e => e.EventName));
        Assert.All(Kms(delete), e => Assert.True(e.Succeeded));
        Assert.All(delete.Grants, g => Assert.Equal(GrantStatus.Retired, g.Status));
    }

    [Fact]
    public void Lesson2_TheManagedKeyIsMadeOnce_Aes256CallsNoKms_AndTheRefusalsAreTheDocumentedOnes()
    {
        Assert.Contains(Kms(Step(2, 1)), e => e.EventName == KmsOperations.CreateKey);
        Assert.DoesNotContain(Kms(Step(2, 2)), e => e.EventName == KmsOperations.CreateKey);
        Assert.Empty(Kms(Step(2, 3)));
        Assert.Contains("KMS_DSSE", Step(2, 4).Result, StringComparison.Ordinal);
        Assert.StartsWith(AwsErrorCodes.RepositoryAlreadyExists, Step(2, 7).Result, StringComparison.Ordinal);
        Assert.Empty(Kms(Step(2, 5)));
        Assert.StartsWith(AwsErrorCodes.InvalidParameter, Step(2, 5).Result, StringComparison.Ordinal);
        Assert.Contains("KMS_DSSE is only available in the AWS GovCloud (US) Regions", Step(2, 5).Result, StringComparison.Ordinal);
        Assert.StartsWith(AwsErrorCodes.InvalidParameter, Step(2, 6).Result, StringComparison.Ordinal);
        Assert.Contains("it must be in the repository's region us-west-2", Step(2, 6).Result, StringComparison.Ordinal);
    }

    [Fact]
    public void Lessons3To6_ShowRevocationLeftoversContextAndKeyStates()
    {
        Assert.Equal(2, Kms(Step(3, 2)).Count(e => e.EventName == KmsOperations.RevokeGrant && e.Succeeded));
        Assert.Contains(AwsErrorCodes.AccessDenied, Step(3, 3).Result, StringComparison.Ordinal);
        Assert.Contains("The repository [demo/leftover] has been deleted successfully but the grants created by the kmsKey [arn:aws:kms:us-west-2:111122223333:key/", Step(4, 2).Result, StringComparison.Ordinal);
        Assert.StartsWith("2 grants still name", Step(4, 3).Result, StringComparison.Ordinal);
        Assert.Equal(2, Kms(Step(4, 4)).Count(e => e.EventName == KmsOperations.RetireGrant && e.Succeeded));
        Assert.Contains(AwsErrorCodes.InvalidCiphertext, Step(5, 3).Result, StringComparison.Ordinal);
        Assert.Contains(AwsErrorCodes.Disabled, Step(6, 2).Result, StringComparison.Ordinal);
        Assert.Equal("the key is Disabled", Step(6, 5).Result);
        Assert.Contains("unrecoverable", Step(6, 6).Result, StringComparison.Ordinal);
    }

    [Fact]
    public void Walkthrough_HasASequenceDiagramPerLesson_AndEveryStep()
    {
        var markdown = WalkthroughWriter.Write(_records, "an embedded silo");

        Assert.Equal(7, CountOf(markdown, "```mermaid\nsequenceDiagram"));
        Assert.Equal(7, CountOf(markdown, "    participant Storage"));
        Assert.All(_records, r => Assert.Contains($"### {r.Lesson.Number}.{r.Number} {r.Step.Title}", markdown, StringComparison.Ordinal));
        Assert.Contains("    ECR->>KMS: CreateGrant", markdown, StringComparison.Ordinal);
        Assert.Contains("    KMS-->>ECR: AccessDeniedException", markdown, StringComparison.Ordinal);
        Assert.Equal(_records.Count, CountOf(markdown, "**Why it matters:**"));
    }

    [Fact]
    public void Lesson7_AnotherAccountPulls_OnlyThroughTheRepositoryPolicy_AndEcrsGrantOnTheOwnersKey()
    {
        var ecr = Regions.EcrServicePrincipal(Regions.UsWest2);
        var repositoryArn = Arn.EcrRepository(Regions.UsWest2, DemoSession.DefaultAccount, "demo/shared").ToString();

        // Refused by ECR before any KMS call: no repository policy names the other account.
        Assert.Contains(AwsErrorCodes.AccessDenied, Step(7, 2).Result, StringComparison.Ordinal);
        Assert.Contains("because no resource-based policy allows the ecr:BatchGetImage action", Step(7, 2).Result, StringComparison.Ordinal);
        Assert.Empty(Kms(Step(7, 2)));

        // Allowed: every Decrypt is ECR's, through one of the repository's grants, with the repository in the context, in the owner's trail.
        var pull = Step(7, 4);
        var grants = Step(7, 1).Grants.Select(g => g.Grant.GrantId).ToArray();
        var decrypts = Kms(pull).Where(e => e.EventName == KmsOperations.Decrypt).ToArray();
        Assert.Equal(3, decrypts.Length);
        Assert.All(decrypts, e =>
        {
            Assert.True(e.Succeeded);
            Assert.Equal(ecr, e.UserIdentity.Principal);
            Assert.Contains(e.GrantId, grants);
            Assert.Equal(repositoryArn, e.RequestParameters.EncryptionContext![EcrEncryptionContext.EcrArnKey]);
            Assert.Equal(DemoSession.DefaultAccount, e.RecipientAccountId);
        });
        Assert.DoesNotContain(Kms(pull), e => e.UserIdentity.AccountId == DemoSession.PartnerAccount);

        // The other account may not use the key itself; once the grants are revoked its pull fails.
        Assert.Contains(AwsErrorCodes.AccessDenied, Step(7, 5).Result, StringComparison.Ordinal);
        Assert.Contains(AwsErrorCodes.Kms, Step(7, 7).Result, StringComparison.Ordinal);
    }

    private StepRecord Step(int lesson, int step) => _records.Single(r => r.Lesson.Number == lesson && r.Number == step);

    private static AuditEvent[] Kms(StepRecord record) => record.Events.Where(e => e.EventSource == AuditEvent.KmsEventSource).ToArray();

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
