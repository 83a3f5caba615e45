using System.Reflection;
using System.Text;
using GrantSim.Aws;
using GrantSim.Identity;
using GrantSim.Silo.Aws;
using GrantSim.Silo.Tests.Aws.Fuzzing;

namespace GrantSim.Silo.Tests.Aws;

/// <summary>
/// The wire side of account settings, managed signing, referrers and storage classes: what the reader refuses before any
/// grain is called (no grain exists here: a request that got past the reader would fail differently).
/// </summary>
public sealed class EcrNewOperationsInputTests
{
    private static readonly AuthenticatedCaller Caller = new(CallerIdentity.Root("aws", "123456789012"), "123456789012", Regions.UsEast1, "ecr", "AKIDNEWOPS");

    private static readonly EcrApi Ecr = new(DispatchProxy.Create<IGrainFactory, RequestFuzzer.NoGrains>(),
        new UploadSessions(new UploadLimits(), TimeProvider.System), new RegistryToken("a new-operations secret of 32 bytes"u8.ToArray(), TimeProvider.System));

    [Theory]
    [InlineData("UpdateImageStorageClass", """{"repositoryName":"app","imageId":{"imageTag":"v1"},"targetStorageClass":"GLACIER"}""", "ValidationException", "targetStorageClass")]
    [InlineData("UpdateImageStorageClass", """{"repositoryName":"app","imageId":{},"targetStorageClass":"ARCHIVE"}""", "InvalidParameterException", "imageId")]
    [InlineData("ListImageReferrers", """{"repositoryName":"app","subjectId":{"imageDigest":"sha256:00"},"maxResults":51}""", "ValidationException", "maxResults")]
    [InlineData("ListImageReferrers", """{"repositoryName":"app"}""", "ValidationException", "subjectId")]
    [InlineData("DescribeImages", """{"repositoryName":"app","filter":{"imageStatus":"GONE"}}""", "ValidationException", "filter.imageStatus")]
    [InlineData("PutSigningConfiguration", """{"signingConfiguration":{"rules":[{"signingProfileArn":"arn:aws:signer:us-east-1:123456789012:/signing-profiles/p1","repositoryFilters":[]}]}}""", "ValidationException", "repositoryFilters")]
    [InlineData("PutSigningConfiguration", """{}""", "ValidationException", "signingConfiguration")]
    [InlineData("GetAccountSetting", """{"name":""}""", "ValidationException", "'name'")]
    [InlineData("DescribeImageSigningStatus", """{"repositoryName":"app"}""", "ValidationException", "imageId")]
    public void BadInput_IsRefusedByTheReader_WithTheModelsError(string operation, string body, string error, string names)
    {
        var refused = Assert.Throws<AwsServiceException>(() => Ecr.Prepare(operation, JsonInput.Parse(Encoding.UTF8.GetBytes(body)), Caller, "127.0.0.1"));
        Assert.Equal(error, refused.ErrorCode);
        Assert.Contains(names, refused.Message, StringComparison.Ordinal);
    }
}
