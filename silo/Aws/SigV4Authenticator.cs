using GrantSim.Aws;
using GrantSim.Identity;

namespace GrantSim.Silo.Aws;

/// <summary>An authenticated caller: the principal, and the region and service the signature was made for.</summary>
public sealed record AuthenticatedCaller(CallerIdentity Caller, string Account, string Region, string Service, string AccessKeyId);

/// <summary>What arrived, as SigV4 needs it.</summary>
public sealed record SignedRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Headers,
    byte[] Body)
{
    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).SelectMany(h => h.Value).FirstOrDefault();
}

/// <summary>
/// Checks a request's SigV4 signature against the tenants' access keys. Every failure is the
/// exception AWS answers with: no header or a broken one (MissingAuthenticationToken,
/// IncompleteSignature), an unknown key (UnrecognizedClient), a wrong signature or an old date
/// (InvalidSignature).
/// </summary>
public sealed class SigV4Authenticator(AwsTenants tenants, TimeProvider clock)
{
    public const string MissingAuthenticationToken = "MissingAuthenticationTokenException";
    public const string IncompleteSignature = "IncompleteSignatureException";
    public const string InvalidSignature = AwsErrorCodes.InvalidSignature;

    /// <summary>Headers that, when a request carries them, its signature must cover.</summary>
    public static readonly IReadOnlyList<string> SignedWhenPresent = ["x-amz-target", "x-amz-date", "x-amz-content-sha256"];

    /// <summary>The x-amz-content-sha256 values of S3's chunked signing (STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, ...).</summary>
    public const string StreamingPayloadPrefix = "STREAMING-";

    /// <summary>AWS refuses a signature whose date is more than 15 minutes from its clock.</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);

    public AuthenticatedCaller Authenticate(SignedRequest request, string expectedService)
    {
        var header = request.Header("Authorization");
        if (string.IsNullOrEmpty(header))
        {
            throw new AwsServiceException(MissingAuthenticationToken, "Missing Authentication Token");
        }

        var authorization = SigV4Authorization.TryParse(header)
            ?? throw new AwsServiceException(IncompleteSignature, "The Authorization header is not a complete AWS4-HMAC-SHA256 signature (Credential, SignedHeaders, Signature).");
        if (!authorization.SignedHeaders.Contains("host"))
        {
            throw new AwsServiceException(IncompleteSignature, "The 'host' header must be signed.");
        }

        // SigV4 has the x-amz-* headers a request carries signed. GrantSim insists on those that decide what
        // happens: X-Amz-Target names the operation (unsigned, anyone on the path could turn a DescribeKey
        // into a ScheduleKeyDeletion), X-Amz-Date the moment the signature is good for, X-Amz-Content-Sha256 whether
        // the body is covered at all (unsigned, anyone on the path could declare UNSIGNED-PAYLOAD and swap the body).
        foreach (var decisive in SignedWhenPresent)
        {
            if (request.Header(decisive) is not null && !authorization.SignedHeaders.Contains(decisive))
            {
                throw new AwsServiceException(IncompleteSignature, $"The '{decisive}' header must be signed.");
            }
        }

        var owner = tenants.Find(authorization.AccessKeyId)
            ?? throw new AwsServiceException(AwsErrorCodes.UnrecognizedClient, "The security token included in the request is invalid.");

        var amzDate = request.Header("X-Amz-Date");
        if (!SigV4.TryParseAmzDate(amzDate, out var signedAt))
        {
            throw new AwsServiceException(IncompleteSignature, "The request must carry an X-Amz-Date header (yyyyMMddTHHmmssZ).");
        }

        if (!amzDate!.StartsWith(authorization.Date, StringComparison.Ordinal))
        {
            throw new AwsServiceException(InvalidSignature, $"Credential should be scoped to a valid date: '{authorization.Date}' is not the date of X-Amz-Date {amzDate}.");
        }

        if (authorization.Service != expectedService)
        {
            throw new AwsServiceException(InvalidSignature, $"Credential should be scoped to correct service: '{expectedService}'.");
        }

        if (!Regions.IsKnown(authorization.Region))
        {
            throw Regions.NotARegion(authorization.Region);
        }

        var now = clock.GetUtcNow();
        if ((now - signedAt).Duration() > AllowedSkew)
        {
            throw new AwsServiceException(InvalidSignature, $"Signature expired: {amzDate} is now earlier or later than {now:yyyyMMdd'T'HHmmss'Z'} by more than 15 minutes.");
        }

        // Signers that do not hash the body say so (S3-style x-amz-content-sha256); otherwise hash what arrived.
        // The STREAMING-* modes sign an aws-chunked body chunk by chunk: an Amazon S3 encoding, not one KMS's or
        // ECR's JSON protocol uses, so they are refused by name rather than read as a hash that does not match.
        var declaredHash = request.Header("X-Amz-Content-Sha256");
        if (declaredHash is not null && declaredHash.StartsWith(StreamingPayloadPrefix, StringComparison.Ordinal))
        {
            throw new AwsServiceException(InvalidSignature, $"The payload signing mode '{declaredHash}' (aws-chunked, for Amazon S3) is not accepted here: sign the whole body, or declare {SigV4.UnsignedPayload}.");
        }

        var payloadHash = declaredHash == SigV4.UnsignedPayload ? SigV4.UnsignedPayload : SigV4.PayloadHash(request.Body);
        if (declaredHash is not null && declaredHash != SigV4.UnsignedPayload && declaredHash != payloadHash)
        {
            throw new AwsServiceException(InvalidSignature, "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }

        var canonical = SigV4.CanonicalRequest(request.Method, request.Path, request.Query, request.Headers, authorization.SignedHeaders, payloadHash);
        var expected = SigV4.Signature(owner.SecretAccessKey, authorization, amzDate, canonical);
        if (!SigV4.SignatureMatches(expected, authorization.Signature))
        {
            throw new AwsServiceException(InvalidSignature, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
        }

        return new AuthenticatedCaller(owner.CallerIn(authorization.Region), owner.Account, authorization.Region, authorization.Service, authorization.AccessKeyId);
    }
}
