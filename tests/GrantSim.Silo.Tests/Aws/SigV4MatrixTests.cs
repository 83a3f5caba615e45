using GrantSim.Aws;
using GrantSim.Silo.Aws;
using Microsoft.Extensions.Time.Testing;

namespace GrantSim.Silo.Tests.Aws;

/// <summary>
/// Every combination of how a request may be signed: the payload-hash modes (the body's hash, with or
/// without x-amz-content-sha256, UNSIGNED-PAYLOAD, each STREAMING-* mode, a hash that is not the body's),
/// clock skew both ways, the headers signed (extra ones, one dropped on the way, a decisive one left
/// unsigned), the body changed on the way, and the right or a wrong secret. A wrong secret is refused in
/// every one; with the right one, exactly the combinations a faithful signer produces are accepted.
/// (A shortcut for one mode — a payload hash taken from the header unchecked, a skew checked one way —
/// fails here by name.)
/// </summary>
public sealed class SigV4MatrixTests
{
    private const string AccessKey = "AKIDMATRIX";
    private const string Secret = "the-right-secret";
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 3, 0, 0, TimeSpan.Zero);

    private static readonly AwsTenants Tenants = AwsTenants.From(new TenantsFile(
        [new TenantConfig("123456789012", [], [new AccessKeyConfig(AccessKey, Secret)])]));

    private static readonly string[] AuthenticationErrors =
        [SigV4Authenticator.InvalidSignature, SigV4Authenticator.IncompleteSignature, SigV4Authenticator.MissingAuthenticationToken, AwsErrorCodes.UnrecognizedClient];

    /// <summary>The x-amz-content-sha256 a signer sends (null: none), and whether the server should accept it.</summary>
    private static readonly (string Name, string? Header, bool Valid, bool CoversBody)[] PayloadModes =
    [
        ("body hash, no header", null, true, true),
        ("body hash declared", "<body hash>", true, true),
        ("UNSIGNED-PAYLOAD", SigV4.UnsignedPayload, true, false),
        ("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", false, false),
        ("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", false, false),
        ("STREAMING-UNSIGNED-PAYLOAD-TRAILER", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", false, false),
        ("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", false, false),
        ("another body's hash declared", SigV4.PayloadHash("{}"u8.ToArray()), false, true),
    ];

    private static readonly (TimeSpan Skew, bool Valid)[] Skews =
    [
        (TimeSpan.FromMinutes(-60), false), (TimeSpan.FromMinutes(-16), false), (TimeSpan.FromMinutes(-14), true), (TimeSpan.Zero, true),
        (TimeSpan.FromMinutes(14), true), (TimeSpan.FromMinutes(16), false), (TimeSpan.FromHours(25), false),
    ];

    private enum HeaderCase { AsUsual, ExtraHeaderSigned, ExtraHeaderUnsigned, SignedHeaderDroppedOnTheWay, TargetUnsigned, ContentHashUnsigned, HostUnsigned }

    [Fact]
    public void EveryWayOfSigning_WithAWrongSecretIsRefused_AndWithTheRightOneAcceptedExactlyWhenFaithful()
    {
        var body = """{"KeyId":"alias/matrix"}"""u8.ToArray();
        var wrong = new List<string>();
        var cases = 0;
        foreach (var mode in PayloadModes)
        {
            foreach (var (skew, skewValid) in Skews)
            {
                foreach (var headers in Enum.GetValues<HeaderCase>())
                {
                    foreach (var bodyChanged in new[] { false, true })
                    {
                        foreach (var rightSecret in new[] { true, false })
                        {
                            cases++;
                            var request = Build(mode.Header, Now + skew, headers, rightSecret ? Secret : "a-wrong-secret", body);
                            if (bodyChanged)
                            {
                                request = request with { Body = """{"KeyId":"alias/other"}"""u8.ToArray() };
                            }

                            var headersValid = headers is HeaderCase.AsUsual or HeaderCase.ExtraHeaderSigned or HeaderCase.ExtraHeaderUnsigned
                                // Without the header there is nothing to leave unsigned.
                                || (headers == HeaderCase.ContentHashUnsigned && mode.Header is null);
                            var expected = rightSecret && mode.Valid && skewValid && headersValid && !(bodyChanged && mode.CoversBody);
                            var outcome = Outcome(request);
                            var what = $"{mode.Name}, skew {skew}, {headers}, body {(bodyChanged ? "changed" : "as signed")}, {(rightSecret ? "right" : "wrong")} secret";
                            if (outcome is null != expected)
                            {
                                wrong.Add($"{what}: expected {(expected ? "accepted" : "refused")}, was {outcome ?? "accepted"}");
                            }
                            else if (outcome is not null && !AuthenticationErrors.Contains(outcome))
                            {
                                wrong.Add($"{what}: refused with {outcome}, not an authentication error");
                            }
                        }
                    }
                }
            }
        }

        Assert.Equal(PayloadModes.Length * Skews.Length * Enum.GetValues<HeaderCase>().Length * 4, cases);
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cases} combinations judged wrongly:\n{string.Join('\n', wrong.Take(40))}");
    }

    [Fact]
    public void AStreamingMode_IsRefusedByName()
    {
        var request = Build("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", Now, HeaderCase.AsUsual, Secret, "{}"u8.ToArray());

        var error = Assert.Throws<AwsServiceException>(() => Authenticator().Authenticate(request, "kms"));

        Assert.Equal(SigV4Authenticator.InvalidSignature, error.ErrorCode);
        Assert.Contains("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", error.Message, StringComparison.Ordinal);
    }

    private static SigV4Authenticator Authenticator() => new(Tenants, new FakeTimeProvider(Now));

    private static string? Outcome(SignedRequest request)
    {
        try
        {
            Authenticator().Authenticate(request, "kms");
            return null;
        }
        catch (AwsServiceException error)
        {
            return error.ErrorCode;
        }
    }

    private static SignedRequest Build(string? contentHeader, DateTimeOffset at, HeaderCase headers, string secret, byte[] body)
    {
        var contentSha256 = contentHeader == "<body hash>" ? SigV4.PayloadHash(body) : contentHeader;
        List<KeyValuePair<string, string>> extra = headers switch
        {
            HeaderCase.ExtraHeaderSigned or HeaderCase.ExtraHeaderUnsigned or HeaderCase.SignedHeaderDroppedOnTheWay => [KeyValuePair.Create("X-Amz-User-Agent", "matrix/1.0")],
            HeaderCase.TargetUnsigned => [KeyValuePair.Create("X-Amz-Target", "TrentService.DescribeKey")],
            _ => [],
        };
        var all = new[] { "content-type", "host", "x-amz-date" }
            .Concat(contentSha256 is null ? [] : ["x-amz-content-sha256"])
            .Concat(extra.Select(h => h.Key.ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var signed = headers switch
        {
            HeaderCase.ExtraHeaderUnsigned => all.Where(h => h != "x-amz-user-agent").ToArray(),
            HeaderCase.TargetUnsigned => all.Where(h => h != "x-amz-target").ToArray(),
            HeaderCase.ContentHashUnsigned => all.Where(h => h != "x-amz-content-sha256").ToArray(),
            HeaderCase.HostUnsigned => all.Where(h => h != "host").ToArray(),
            _ => all,
        };
        var request = TestSigner.Sign(AccessKey, secret, "us-east-1", "kms", at, body, signed, contentSha256: contentSha256, extraHeaders: extra);
        return headers == HeaderCase.SignedHeaderDroppedOnTheWay
            ? request with { Headers = request.Headers.Where(h => !string.Equals(h.Key, "X-Amz-User-Agent", StringComparison.OrdinalIgnoreCase)).ToArray() }
            : request;
    }
}
