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

    private const string Sig = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=" + Sig + ", Signature=" + Sig)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/kms/aws4_request, SignedHeaders, Signature=" + Sig)]
    [InlineData("AWS4-HMAC-SHA256 =AKID/20150830/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=" + Sig)]
    [InlineData("AWS4-HMAC-SHA256 Credential=20150830/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=" + Sig)]
    [InlineData("AWS4-HMAC-SHA256 Credential=A/B/20150830/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=" + Sig)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/kms/aws5_request, SignedHeaders=host, Signature=" + Sig)]
    [InlineData("AWS4-HMAC-SHA256 Credential=/20150830/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=" + Sig)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/201508300/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=" + Sig)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/2015083a/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=" + Sig)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=5FA00FA31553B73EBF1942676E86291E8372FF2A2260956D9B8AAE1D763FBF31")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=" + Sig + "0")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf3g")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/kms/aws4_request, SignedHeaders=, Signature=" + Sig)]
    [InlineData("AWS4-HMAC-SHA256 SignedHeaders=host, Signature=" + Sig)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=" + Sig + ", =junk")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/kms/aws4_request, Signature=" + Sig)]
    [InlineData("AWS4-HMAC-SHA256Credential=AKID/20150830/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=" + Sig)]
    [InlineData("AWS4-HMAC-SHA1 Credential=AKID/20150830/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=" + Sig)]
    public void Authorization_WithAnyPartWrong_DoesNotParse(string header) => Assert.Null(SigV4Authorization.TryParse(header));

    [Fact]
    public void Authorization_WellFormed_IsReadPartByPart_WhateverTheSpacingAndOrder()
    {
        var parsed = SigV4Authorization.TryParse("AWS4-HMAC-SHA256 Signature=" + Sig + " ,SignedHeaders=host;x-amz-date;x-amz-target,  Credential=AKID/20150830/eu-west-1/ecr/aws4_request,");

        Assert.NotNull(parsed);
        Assert.Equal(("AKID", "20150830", "eu-west-1", "ecr", Sig), (parsed.AccessKeyId, parsed.Date, parsed.Region, parsed.Service, parsed.Signature));
        Assert.Equal(["host", "x-amz-date", "x-amz-target"], parsed.SignedHeaders);
        Assert.Equal("20150830/eu-west-1/ecr/aws4_request", parsed.CredentialScope);
    }

    [Theory]
    [InlineData("b=2&a=1", "a=1&b=2")]
    [InlineData("a=2&a=1&a=10", "a=1&a=10&a=2")]
    [InlineData("flag&b=", "b=&flag=")]
    [InlineData("a=x+y&c=%7e&d=%2F", "a=x%20y&c=~&d=%2F")]
    [InlineData("&&a=1&", "a=1")]
    [InlineData("k=v=w", "k=v%3Dw")]
    [InlineData("=v&a=1", "=v&a=1")]
    [InlineData("Z=1&a=1", "Z=1&a=1")]
    public void CanonicalQuery_IsDecodedOnceEncodedOnceAndSortedByNameThenValue(string query, string expected)
    {
        var canonical = SigV4.CanonicalRequest("GET", "/", query, SuiteHeaders(), ["host"], EmptyHash);

        Assert.Equal(expected, canonical.Split('\n')[2]);
    }

    [Theory]
    [InlineData("", "/")]
    [InlineData("/a/b/", "/a/b/")]
    [InlineData("/..", "/")]
    [InlineData("/../a", "/a")]
    [InlineData("/a/..", "/")]
    [InlineData("/a/../", "/")]
    [InlineData("a b", "/a%20b")]
    public void CanonicalUri_KeepsATrailingSlash_AndNeverClimbsAboveTheRoot(string path, string expected)
    {
        var canonical = SigV4.CanonicalRequest("GET", path, "", SuiteHeaders(), ["host"], EmptyHash);

        Assert.Equal(expected, canonical.Split('\n')[1]);
    }

    [Fact]
    public void Headers_OfOneNameInAnyCase_AreJoinedWithCommas_AndAMissingSignedHeaderIsEmpty()
    {
        IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> headers =
        [
            KeyValuePair.Create("X-Multi", (IReadOnlyList<string>)["one", " two "]),
            KeyValuePair.Create("x-multi", (IReadOnlyList<string>)["three"]),
        ];

        var canonical = SigV4.CanonicalRequest("PUT", "/", "", headers, ["x-absent", "x-multi"], "hash");

        Assert.Equal("PUT\n/\n\nx-absent:\nx-multi:one,two,three\n\nx-absent;x-multi\nhash", canonical);
    }

    [Theory]
    [InlineData("AZaz09-_.~", "AZaz09-_.~")]
    [InlineData(" /:+=&", "%20%2F%3A%2B%3D%26")]
    [InlineData("\u00e9", "%C3%A9")]
    [InlineData("\u0001\u007f", "%01%7F")]
    public void UriEncode_KeepsOnlyTheUnreservedCharacters(string text, string expected) => Assert.Equal(expected, SigV4.UriEncode(text));

    [Theory]
    [InlineData("20261129T030000Z", true)]
    [InlineData("20261129T030000", false)]
    [InlineData("2026-11-29T03:00:00Z", false)]
    [InlineData("20261329T030000Z", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void AmzDate_IsOnlyTheBasicIsoFormInUtc(string? value, bool valid)
    {
        Assert.Equal(valid, SigV4.TryParseAmzDate(value, out var instant));
        if (valid)
        {
            Assert.Equal(new DateTimeOffset(2026, 11, 29, 3, 0, 0, TimeSpan.Zero), instant);
            Assert.Equal(TimeSpan.Zero, instant.Offset);
        }
    }

    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "abd", false)]
    [InlineData("abc", "ab", false)]
    [InlineData("abc", "abcd", false)]
    public void SignatureMatches_OnlyTheSameText(string expected, string given, bool matches) => Assert.Equal(matches, SigV4.SignatureMatches(expected, given));

    [Fact]
    public void SigningKey_IsAwsDocumentedDerivation()
    {
        // AWS's documented example (Signature Version 4, "Examples of how to derive a signing key"):
        // secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam.
        Assert.Equal("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d",
            SigV4.Hex(SigV4.SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")));
    }

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
        { "unknown region", SigV4Authenticator.InvalidSignature },
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

    private static SignedRequest WithHeader(SignedRequest request, string name, string? value) => request with
    {
        Headers = [.. request.Headers.Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)),
            .. value is null ? Array.Empty<KeyValuePair<string, IReadOnlyList<string>>>() : [KeyValuePair.Create(name, (IReadOnlyList<string>)[value])]],
    };

    public static TheoryData<string, string> RefusalMessages => new()
    {
        { "no header", "Missing Authentication Token" },
        { "empty header", "Missing Authentication Token" },
        { "garbled header", "The Authorization header is not a complete AWS4-HMAC-SHA256 signature (Credential, SignedHeaders, Signature)." },
        { "host unsigned", "The 'host' header must be signed." },
        { "target unsigned", "The 'x-amz-target' header must be signed." },
        { "date unsigned", "The 'x-amz-date' header must be signed." },
        { "content hash unsigned", "The 'x-amz-content-sha256' header must be signed." },
        { "unknown key", "The security token included in the request is invalid." },
        { "no date", "The request must carry an X-Amz-Date header (yyyyMMddTHHmmssZ)." },
        { "date not in scope", "Credential should be scoped to a valid date: '20261129' is not the date of X-Amz-Date 20261130T030000Z." },
        { "other service", "Credential should be scoped to correct service: 'kms'." },
        { "16 minutes old", "Signature expired: 20261129T024400Z is now earlier or later than 20261129T030000Z by more than 15 minutes." },
        { "16 minutes ahead", "Signature expired: 20261129T031600Z is now earlier or later than 20261129T030000Z by more than 15 minutes." },
        { "streaming", "The payload signing mode 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' (aws-chunked, for Amazon S3) is not accepted here: sign the whole body, or declare UNSIGNED-PAYLOAD." },
        { "declared hash of another body", "The provided 'x-amz-content-sha256' header does not match what was computed." },
        { "wrong secret", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method." },
    };

    /// <summary>Each refusal says what AWS says (or, where GrantSim is stricter than AWS, exactly what it wants instead).</summary>
    [Theory]
    [MemberData(nameof(RefusalMessages))]
    public void Authenticate_Refuses_SayingWhy(string what, string message)
    {
        var body = "{\"KeyId\":\"x\"}"u8.ToArray();
        SignedRequest Signed() => TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now, body);
        var request = what switch
        {
            "no header" => WithHeader(Signed(), "Authorization", null),
            "empty header" => WithHeader(Signed(), "Authorization", ""),
            "garbled header" => WithHeader(Signed(), "Authorization", "AWS4-HMAC-SHA256 Credential=AKIDROOT"),
            "host unsigned" => TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now, body, signedHeaders: ["x-amz-date"]),
            "target unsigned" => TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now, body, signedHeaders: ["host", "x-amz-date"],
                extraHeaders: [KeyValuePair.Create("X-Amz-Target", "TrentService.DescribeKey")]),
            "date unsigned" => TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now, body, signedHeaders: ["host"]),
            "content hash unsigned" => TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now, body, signedHeaders: ["host", "x-amz-date"], unsignedPayload: true),
            "unknown key" => TestSigner.Sign("AKIDNOBODY", "root-secret", "us-east-1", "kms", Now, body),
            "no date" => TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now, body, signedHeaders: ["host"]) is var undated
                ? WithHeader(undated, "X-Amz-Date", null) : null!,
            "date not in scope" => WithHeader(Signed(), "X-Amz-Date", "20261130T030000Z"),
            "other service" => TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "ecr", Now, body),
            "16 minutes old" => TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now.AddMinutes(-16), body),
            "16 minutes ahead" => TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now.AddMinutes(16), body),
            "streaming" => TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now, body, contentSha256: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
            "declared hash of another body" => TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now, body, contentSha256: SigV4.PayloadHash("{}"u8.ToArray())),
            "wrong secret" => TestSigner.Sign("AKIDROOT", "not-the-secret", "us-east-1", "kms", Now, body),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        Assert.Equal(message, Assert.Throws<AwsServiceException>(() => Authenticator().Authenticate(request, "kms")).Message);
    }

    [Fact]
    public void Authenticate_ACredentialScopedToNoRegion_IsRefusedAsAwsRefusesIt()
    {
        var request = TestSigner.Sign("AKIDROOT", "root-secret", "mars-north-1", "kms", Now, []);

        var error = Assert.Throws<AwsServiceException>(() => Authenticator().Authenticate(request, "kms"));

        Assert.Equal(SigV4Authenticator.InvalidSignature, error.ErrorCode);
        Assert.Equal("Credential should be scoped to a valid region, not 'mars-north-1'.", error.Message);
    }

    [Theory]
    [InlineData("eu-central-1")]
    [InlineData("ap-northeast-1")]
    [InlineData("cn-north-1")]
    [InlineData("us-gov-east-1")]
    public void Authenticate_ARequestSignedForAnyRegionOfThePartitions_IsAccepted(string region)
    {
        var request = TestSigner.Sign("AKIDROOT", "root-secret", region, "kms", Now, []);

        Assert.Equal(region, Authenticator().Authenticate(request, "kms").Region);
    }

    [Theory]
    [InlineData(-15 * 60)]
    [InlineData(15 * 60)]
    public void Authenticate_AtExactlyFifteenMinutesOfSkew_EitherWay_Accepts(int seconds)
    {
        var request = TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now.AddSeconds(seconds), []);

        Assert.Equal("123456789012", Authenticator().Authenticate(request, "kms").Account);
    }

    [Theory]
    [InlineData(-15 * 60 - 1)]
    [InlineData(15 * 60 + 1)]
    public void Authenticate_ASecondPastFifteenMinutesOfSkew_EitherWay_Refuses(int seconds)
    {
        var request = TestSigner.Sign("AKIDROOT", "root-secret", "us-east-1", "kms", Now.AddSeconds(seconds), []);

        Assert.Equal(SigV4Authenticator.InvalidSignature, Assert.Throws<AwsServiceException>(() => Authenticator().Authenticate(request, "kms")).ErrorCode);
    }

    [Fact]
    public void Authenticate_ABodyHashDeclaredAndSigned_IsAccepted_AndTheCallerKnowsItsService()
    {
        var body = "{\"KeyId\":\"x\"}"u8.ToArray();
        var request = TestSigner.Sign("AKIDDEV", "dev-secret", "us-west-2", "kms", Now, body, contentSha256: SigV4.PayloadHash(body));

        var caller = Authenticator().Authenticate(request, "kms");

        Assert.Equal(("kms", "us-west-2", "AKIDDEV"), (caller.Service, caller.Region, caller.AccessKeyId));
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
