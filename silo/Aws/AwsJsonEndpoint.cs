using System.Text.Json.Nodes;
using GrantSim.Aws;
using GrantSim.Silo.Aws.Models;

namespace GrantSim.Silo.Aws;

/// <summary>The answer to one AWS JSON 1.1 request: an HTTP status and a JSON body.</summary>
public sealed record AwsJsonResponse(int StatusCode, JsonObject Body)
{
    public static AwsJsonResponse Error(AwsServiceException error) => new(StatusFor(error.ErrorCode), ErrorBody(error));

    public static JsonObject ErrorBody(AwsServiceException error) => JsonOutput.Object(
        ("__type", error.ErrorCode),
        ("message", error.Message),
        ("kmsError", error.KmsError));

    /// <summary>Failures on AWS's side are 5xx (and SDKs retry them); everything the caller did wrong is 400.</summary>
    public static int StatusFor(string errorCode) => errorCode switch
    {
        AwsErrorCodes.KmsInternal or AwsErrorCodes.Server or "InternalFailure" => 500,
        AwsErrorCodes.DependencyTimeout => 503,
        _ => 400,
    };
}

/// <summary>
/// The AWS JSON 1.1 protocol on <c>POST /</c>: the service and operation come from
/// <c>X-Amz-Target</c>, the caller from the SigV4 signature. Checks the signature, reads the
/// whole request, then calls the grains; every failure becomes an AWS-shaped error.
/// </summary>
public sealed class AwsJsonEndpoint(SigV4Authenticator authenticator, KmsApi kms, EcrApi ecr, ILogger<AwsJsonEndpoint> logger)
{
    public const string ContentType = "application/x-amz-json-1.1";
    public const string UnknownOperation = "UnknownOperationException";

    public async Task<AwsJsonResponse> HandleAsync(SignedRequest request)
    {
        try
        {
            var target = request.Header("X-Amz-Target") ?? "";
            var (service, operation) = target switch
            {
                _ when target.StartsWith(KmsApi.TargetPrefix, StringComparison.Ordinal) => ("kms", target[KmsApi.TargetPrefix.Length..]),
                _ when target.StartsWith(EcrApi.TargetPrefix, StringComparison.Ordinal) => ("ecr", target[EcrApi.TargetPrefix.Length..]),
                _ => ("", ""),
            };
            if (service.Length == 0)
            {
                // Without a known target there is no service to sign for: AWS answers this before checking a signature.
                throw new AwsServiceException(UnknownOperation, $"'{target}' is not an operation GrantSim serves: X-Amz-Target must be TrentService.<Operation> or {EcrApi.TargetPrefix}<Operation>.");
            }

            var caller = authenticator.Authenticate(request, service);
            var model = service == "kms" ? ServiceModel.Kms : ServiceModel.Ecr;
            var modelled = model.Operation(operation)
                ?? throw new AwsServiceException(UnknownOperation, $"'{target}' is not an operation of {(service == "kms" ? "AWS KMS" : "Amazon ECR")}.");
            var input = JsonInput.Parse(request.Body);
            RequestValidator.Validate(modelled, input.Root);
            var call = service == "kms"
                ? kms.Prepare(operation, input, caller.Caller, caller.Region)
                : ecr.Prepare(operation, input, caller, request.Header("Host") ?? "127.0.0.1");
            if (call is null)
            {
                throw new AwsServiceException(UnknownOperation, $"{operation} is an operation of {(service == "kms" ? "AWS KMS" : "Amazon ECR")} that GrantSim does not serve; docs/aws-endpoints.md lists those it does.");
            }

            return new AwsJsonResponse(200, await call());
        }
        catch (AwsServiceException error)
        {
            return AwsJsonResponse.Error(error);
        }
        catch (ArgumentException error)
        {
            // Domain types refuse malformed values with ArgumentException; to the caller that is bad input.
            return AwsJsonResponse.Error(new AwsServiceException(AwsErrorCodes.Validation, error.Message));
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            EndpointLog.AwsRequestFailed(logger, error, request.Header("X-Amz-Target"));
            return AwsJsonResponse.Error(new AwsServiceException("InternalFailure", "The request processing has failed because of an unknown error."));
        }
    }
}

