using System.Diagnostics;
using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Client.Hosting;
using GrantSim.Client.Images;
using GrantSim.Client.Simulation;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Kms;
using GrantSim.Telemetry;

namespace GrantSim.Client.Tests.Telemetry;

public sealed class TracingTests
{
    private const string Region = "eu-west-1";

    [Fact]
    public async Task Push_IsOneTrace_WithAGenerateDataKeySpanForEveryStoredObject()
    {
        using var capture = TelemetryCapture.Start();
        await using var cluster = await EmbeddedCluster.StartAsync();
        var (account, key) = await TenantWithKeyAsync(cluster, "530000000001");
        await CreateKmsRepositoryAsync(cluster, account, key, "traced/push");

        await new ImageClient(cluster.Client).PushAsync(World.Principal(account, Region, Roles.Ci), Region, "traced/push", "v1", [[1, 2, 3], [4, 5, 6, 7]], "{}"u8.ToArray());
        capture.Flush();

        var trace = TraceOf(capture, ImageClient.PushImage, account);
        var generates = trace.Where(s => s.DisplayName == $"{GrantSimTelemetry.KmsService}/{KmsOperations.GenerateDataKey}").ToArray();
        Assert.Equal(4, generates.Length); // two layers, the config and the manifest: one data key each
        Assert.All(generates, span =>
        {
            Assert.Equal(["aws:ecr:arn", "aws:s3:arn"], (string[])span.GetTagItem(TelemetryTags.EncryptionContextKeys)!);
            Assert.False(string.IsNullOrEmpty((string?)span.GetTagItem(TelemetryTags.GrantId)), "a GenerateDataKey span names the grant it used");
            Assert.Equal(key, span.GetTagItem(TelemetryTags.KeyArn));
            Assert.NotEqual(ActivityStatusCode.Error, span.Status);
        });
        Assert.Equal(3, trace.Count(s => s.DisplayName == $"{GrantSimTelemetry.EcrService}/{EcrOperations.CompleteLayerUpload}"));
        Assert.Single(trace, s => s.DisplayName == $"{GrantSimTelemetry.EcrService}/{EcrOperations.PutImage}");
        // Every grain hop is a span of Orleans' own, client and server side, in the same trace.
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.Kind == ActivityKind.Server);
        Assert.All(generates, span => Assert.Contains(trace, s => s.SpanId == span.ParentSpanId));
    }

    [Fact]
    public async Task PullAfterRevoke_EndsInAnErrorSpan_NamingTheKmsException()
    {
        using var capture = TelemetryCapture.Start();
        await using var cluster = await EmbeddedCluster.StartAsync();
        var (account, key) = await TenantWithKeyAsync(cluster, "530000000002");
        await CreateKmsRepositoryAsync(cluster, account, key, "traced/revoked");
        var images = new ImageClient(cluster.Client);
        var image = await images.PushAsync(World.Principal(account, Region, Roles.Ci), Region, "traced/revoked", "v1", [[9, 9, 9]], "{}"u8.ToArray());
        var admin = World.Principal(account, Region, Roles.Admin);
        var snapshot = await cluster.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(account, Region, "traced/revoked")).Inspect();
        foreach (var grant in snapshot.Grants)
        {
            await cluster.Client.GetGrain<IKmsServiceGrain>(Region).RevokeGrant(admin, key, grant.GrantId!);
        }

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => images.PullAndCompareAsync(World.Principal(account, Region, Roles.Reader), Region, "traced/revoked", image));
        capture.Flush();

        Assert.Equal(AwsErrorCodes.Kms, error.ErrorCode);
        var trace = TraceOf(capture, ImageClient.PullImage, account);
        var decrypt = Assert.Single(trace, s => s.DisplayName == $"{GrantSimTelemetry.KmsService}/{KmsOperations.Decrypt}");
        Assert.Equal(ActivityStatusCode.Error, decrypt.Status);
        Assert.Equal(error.KmsError, decrypt.GetTagItem(TelemetryTags.ErrorType));
        var failedDecrypts = await cluster.Client.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(account, Region)).Query(new AuditQuery(EventName: KmsOperations.Decrypt, ErrorsOnly: true));
        Assert.Equal(failedDecrypts.Single().ErrorCode, decrypt.GetTagItem(TelemetryTags.ErrorType));

        var getImage = Assert.Single(trace, s => s.DisplayName == $"{GrantSimTelemetry.EcrService}/{EcrOperations.BatchGetImage}");
        Assert.Equal(ActivityStatusCode.Error, getImage.Status);
        Assert.Equal(AwsErrorCodes.Kms, getImage.GetTagItem(TelemetryTags.ErrorType));
        Assert.Equal(error.KmsError, getImage.GetTagItem(TelemetryTags.KmsError));
    }

    private static async Task<(string Account, string Key)> TenantWithKeyAsync(EmbeddedCluster cluster, string account)
    {
        var world = await World.CreateAsync(cluster.Client, [account], [Region]);
        return (account, world.CustomerKeys(account, Region)[0]);
    }

    private static Task CreateKmsRepositoryAsync(EmbeddedCluster cluster, string account, string key, string name) =>
        cluster.Client.GetGrain<IEcrServiceGrain>(Region).CreateRepository(
            World.Principal(account, Region, Roles.Ci), new CreateRepositoryRequest(name, new EncryptionConfiguration(EncryptionType.Kms, key)));

    /// <summary>Every span of the one trace that a client operation of this tenant started.</summary>
    private static Activity[] TraceOf(TelemetryCapture capture, string operation, string account)
    {
        var spans = capture.Spans;
        var root = Assert.Single(spans, s => s.DisplayName == $"{GrantSimTelemetry.Name}/{operation}" && (string?)s.GetTagItem(TelemetryTags.Tenant) == account);
        Assert.Equal(default, root.ParentSpanId);
        return spans.Where(s => s.TraceId == root.TraceId).ToArray();
    }
}
