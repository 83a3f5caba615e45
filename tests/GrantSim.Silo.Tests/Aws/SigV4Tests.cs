using System.Text;
using GrantSim.Aws;
using GrantSim.Silo.Aws;
using Microsoft.Extensions.Time.Testing;

namespace GrantSim.Silo.Tests.Aws;

/// <summary>SigV4 against AWS's published Signature Version 4 test suite (get-vanilla, get-vanilla-query-order-key-case, post-vanilla), and the server's refusals.</summary>
public sealed class SigV4Tests
{
    private const string SuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string SuiteDate = "20150830T123600Z";
    private const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static readonly SigV4Authorization SuiteScope = new("AKIDEXAMPLE", "20150830", "us-east-1", "service", ["host", "x-amz-date"], new string('0', 64));

    private static IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> SuiteHeaders() =>
    [
        KeyValuePair.Create("Host", (IReadOnlyList<string>)["example.amazonaws.com"]),
        KeyValuePair.Create("X-Amz-Date", (IReadOnlyList<string>)[SuiteDate]),
    ];

    [Theory]
    [InlineData("GET", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("GET", "Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    [InlineData("POST", "", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    public void Signature_MatchesTheAwsTestSuite(string method, string query, string expected)
    {
        var canonical = SigV4.CanonicalRequest(method, "/", query, SuiteHeaders(), ["host", "x-amz-date"], EmptyHash);

        Assert.Equal(expected, SigV4.Signature(SuiteSecret, SuiteScope, SuiteDate, canonical));
    }

    [Fact]
    public void StringToSign_OfGetVanilla_HashesTheCanonicalRequestAsTheSuiteDoes()
    {
        var canonical = SigV4.CanonicalRequest("GET", "/", "", SuiteHeaders(), ["host", "x-amz-date"], EmptyHash);

        Assert.Equal("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EmptyHash, canonical);
        Assert.Equal("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            SigV4.StringToSign(SuiteDate, SuiteScope.CredentialScope, canonical));
    }

    [Theory]
    [InlineData("/", "/")]
    [InlineData("/a//b/./c/../d", "/a/b/d")]
    [InlineData("/v2/app/blobs/sha256:ab", "/v2/app/blobs/sha256%3Aab")]
    [InlineData("/%E1%88%B4", "/%25E1%2588%25B4")]
    public void CanonicalUri_NormalizesAndEncodesThePathOnceMore(string path, string expected)
    {
        var canonical = SigV4.CanonicalRequest("GET", path, "", SuiteHeaders(), ["host"], EmptyHash);

        Assert.Equal(expected, canonical.Split('\n')[1]);
    }

    [Fact]
    public void HeaderValues_AreTrimmedAndTheirInnerSpacesFolded()
    {
        IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> headers = [KeyValuePair.Create("My-Header1", (IReadOnlyList<string>)["  value1   two  "])];

        var canonical = SigV4.CanonicalRequest("GET", "/", "", headers, ["my-header1"], EmptyHash);

        Assert.Contains("my-header1:value1 two\n", canonical, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("AWS4-HMAC-SHA256")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/kms/aws4_request, SignedHeaders=host")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/2015083/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=XYZ")]
    [InlineData("Basic dGVzdDp0ZXN0")]
    public void Authorization_WhenIncomplete_DoesNotParse(string? header) => Assert.Null(SigV4Authorization.TryParse(header));

    private static readonly DateTimeOffset Now = new(2026, 11, 29, 3, 0, 0, TimeSpan.Zero);

    private static readonly AwsTenants Tenants = AwsTenants.From(new TenantsFile(
    [
        new TenantConfig("123456789012", [new PrincipalConfig("user/dev", [])],
            [new AccessKeyConfig("AKIDROOT", "root-secret"), new AccessKeyConfig("AKIDDEV", "dev-secret", "user/dev")]),
    ]));

    private static SigV4Authenticator Authenticator(DateTimeOffset? now = null) => new(Tenants, new FakeTimeProvider(now ?? Now));

    [Fact]
    public void Authenticate_ASignedRequest_NamesTheKeysPrincipalInTheSignedRegion()
    {
        var request = TestSigner.Sign("AKIDDEV", "dev-secret", "eu-west-1", "kms", Now, "{}"u8.ToArray());

        var caller = Authenticator().Authenticate(request, "kms");

        Assert.Equal("arn:aws:iam::123456789012:user/dev", caller.Caller.Principal);
        Assert.Equal(("123456789012", "eu-west-1", "AKIDDEV"), (caller.Account, caller.Region, caller.AccessKeyId));
    }

    [Fact]
    public void Authenticate_TheRootKeyInGovCloud_IsTheRootOfTheGovCloudPartition()
    {
        var request = TestSigner.Sign("AKIDROOT", "root-secret", "us-gov-west-1", "ecr", Now, []);

        Assert.Equal("arn:aws-us-gov:iam::123456789012:root", Authenticator().Authenticate(request, "ecr").Caller.Principal);
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "wrong secret", SigV4Authenticator.InvalidSignature },
        { "unknown key", AwsErrorCodes.UnrecognizedClient },
        { "no header", SigV4Authenticator.MissingAuthenticationToken },
        { "tampered body", SigV4Authenticator.InvalidSignature },
        { "other service", SigV4Authenticator.InvalidSignature },
        { "16 minutes old", SigV4Authenticator.InvalidSignature },
        { "unknown region", AwsErrorCodes.UnrecognizedClient },
        { "garbled header", SigV4Authenticator.IncompleteSignature },
        { "host unsigned", SigV4Authenticator.IncompleteSignature },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Authenticate_Refuses(string what, string errorCode)
    {
        var body = "{\"KeyId\":\"x\"}"u8.ToArray();
        var request = what switch
        {
            "wrong secret" => TestSigner.Sign("AKIDROOT", "not-the-secret", "us-east-1", "kms", Now, body),
            "unknown key" => TestSigner.Sign("AKIDNOBODY", "root-secret", "us-east-1", "kms", Now, body),
            "no header" => TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now, body) is var signed
                ? signed with { Headers = signed.Headers.Where(h => h.Key != "Authorization").ToArray() } : null!,
            "tampered body" => TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now, body) with { Body = "{\"KeyId\":\"y\"}"u8.ToArray() },
            "other service" => TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "ecr", Now, body),
            "16 minutes old" => TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now.AddMinutes(-16), body),
            "unknown region" => TestSigner.Sign("AKIDROOT", "root-secret", "mars-north-1", "kms", Now, body),
            "garbled header" => TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now, body) is var s
                ? s with { Headers = [.. s.Headers.Where(h => h.Key != "Authorization"), KeyValuePair.Create("Authorization", (IReadOnlyList<string>)["AWS4-HMAC-SHA256 Credential=AKIDROOT"])] } : null!,
            "host unsigned" => TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now, body, signedHeaders: ["x-amz-date"]),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        var error = Assert.Throws<AwsServiceException>(() => Authenticator().Authenticate(request, "kms"));

        Assert.Equal(errorCode, error.ErrorCode);
    }

    [Fact]
    public void Authenticate_WithinFifteenMinutesOfSkew_Accepts()
    {
        var request = TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now.AddMinutes(14), []);

        Assert.Equal("123456789012", Authenticator().Authenticate(request, "kms").Account);
    }

    [Fact]
    public void Authenticate_AnUnsignedPayloadDeclaredAsSuch_IsAccepted()
    {
        var request = TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "ecr", Now, Encoding.UTF8.GetBytes("anything"), unsignedPayload: true);

        Assert.Equal("123456789012", Authenticator().Authenticate(request with { Body = "else"u8.ToArray() }, "ecr").Account);
    }
}

/// <summary>A client-side signer for the tests: what botocore does for a JSON 1.1 POST.</summary>
internal static class TestSigner
{
    /// <param name="contentSha256">The x-amz-content-sha256 header's value (none when null); UNSIGNED-PAYLOAD and STREAMING-* are signed as themselves, anything else as the body's hash.</param>
    /// <param name="extraHeaders">More headers, signed when <paramref name="signedHeaders"/> is left to the default.</param>
    public static SignedRequest Sign(string accessKeyId, string secret, string region, string service, DateTimeOffset at, byte[] body,
        IReadOnlyList<string>? signedHeaders = null, bool unsignedPayload = false, string? contentSha256 = null,
        IReadOnlyList<KeyValuePair<string, string>>? extraHeaders = null)
    {
        contentSha256 ??= unsignedPayload ? SigV4.UnsignedPayload : null;
        var amzDate = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var headers = new List<KeyValuePair<string, IReadOnlyList<string>>>
        {
            KeyValuePair.Create("Host", (IReadOnlyList<string>)["127.0.0.1:4566"]),
            KeyValuePair.Create("X-Amz-Date", (IReadOnlyList<string>)[amzDate]),
            KeyValuePair.Create("Content-Type", (IReadOnlyList<string>)["application/x-amz-json-1.1"]),
        };
        if (contentSha256 is not null)
        {
            headers.Add(KeyValuePair.Create("X-Amz-Content-Sha256", (IReadOnlyList<string>)[contentSha256]));
        }

        foreach (var (name, value) in extraHeaders ?? [])
        {
            headers.Add(KeyValuePair.Create(name, (IReadOnlyList<string>)[value]));
        }

        var names = signedHeaders ?? headers.Select(h => h.Key.ToLowerInvariant()).Order(StringComparer.Ordinal).ToArray();
        var payloadHash = contentSha256 is not null && (contentSha256 == SigV4.UnsignedPayload || contentSha256.StartsWith("STREAMING-", StringComparison.Ordinal))
            ? contentSha256
            : SigV4.PayloadHash(body);
        var scope = new SigV4Authorization(accessKeyId, amzDate[..8], region, service, names, new string('0', 64));
        var canonical = SigV4.CanonicalRequest("POST", "/", "", headers, names, payloadHash);
        var signature = SigV4.Signature(secret, scope, amzDate, canonical);
        headers.Add(KeyValuePair.Create("Authorization", (IReadOnlyList<string>)[
            $"AWS4-HMAC-SHA256 Credential={accessKeyId}/{scope.CredentialScope}, SignedHeaders={string.Join(';', names)}, Signature={signature}"]));
        return new SignedRequest("POST", "/", "", headers, body);
    }
}
