using GrantSim.Aws;
using GrantSim.Identity;
using GrantSim.Kms;

namespace GrantSim.Ecr;

/// <summary>How ECR treats KMS: who may create with which key, what a failed retire means, and how KMS errors reach ECR's callers.</summary>
public static class EcrKmsRules
{
    /// <summary>How many times a delete tries to retire a grant when KMS answers with a transient error.</summary>
    public const int RetireAttempts = 3;

    /// <summary>
    /// With a customer managed key the creator must hold kms:RetireGrant in IAM (the guide's note),
    /// so that the grants can be retired later; with the AWS managed key anyone who may create
    /// repositories may use it.
    /// </summary>
    public static void RequireCreatorMayRetire(KeyMetadata key, CallerIdentity caller, bool callerMayRetire)
    {
        if (key.KeyManager == KeyManager.Customer && !callerMayRetire)
        {
            throw KmsException(EcrOperations.CreateRepository, new AwsServiceException(AwsErrorCodes.AccessDenied,
                $"User: {caller.Principal} is not authorized to perform: kms:RetireGrant on resource: {key.Arn}: creating a repository with a customer managed key needs kms:RetireGrant in the caller's IAM policy."));
        }
    }

    /// <summary>What a failed RetireGrant during a delete means.</summary>
    public static RetireFailure ClassifyRetireFailure(AwsServiceException error, int attempt) =>
        error.ErrorCode == AwsErrorCodes.NotFound
            // Already gone: revoked by an administrator, retired by hand, or its key deleted. Nothing is left behind.
            ? RetireFailure.AlreadyGone
            : error.IsTransient && attempt < RetireAttempts
                ? RetireFailure.Retry
                : RetireFailure.LeftBehind;

    /// <summary>A KMS error as ECR reports it: KmsException, with the KMS exception name in kmsError.</summary>
    public static AwsServiceException KmsException(string operation, AwsServiceException kmsError) =>
        kmsError.ErrorCode == AwsErrorCodes.Kms
            ? kmsError
            : new AwsServiceException(AwsErrorCodes.Kms,
                kmsError.ErrorCode == AwsErrorCodes.NotFound && operation is EcrOperations.BatchGetImage or EcrOperations.GetDownloadUrlForLayer
                    ? $"{operation} failed: the KMS key was not found. If it was deleted, the data encrypted under it is unrecoverable. ({kmsError.Message})"
                    : $"{operation} failed because of an error from AWS KMS: {kmsError.ErrorCode}: {kmsError.Message}",
                kmsError.ErrorCode);
}
