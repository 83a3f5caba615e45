using GrantSim.Aws;
using GrantSim.Ecr;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class EcrKmsRulesTests
{
    [Fact]
    public void CreatorWithoutRetireGrant_IsRefusedForACustomerKey_ButNotForTheManagedKey()
    {
        var customer = Samples.CustomerKey().ToMetadata();
        var managed = Samples.AwsManagedEcrKey().ToMetadata();

        var error = Assert.Throws<AwsServiceException>(() => EcrKmsRules.RequireCreatorMayRetire(customer, Samples.Ci, callerMayRetire: false));
        Assert.Equal((AwsErrorCodes.Kms, AwsErrorCodes.AccessDenied), (error.ErrorCode, error.KmsError));
        EcrKmsRules.RequireCreatorMayRetire(customer, Samples.Ci, callerMayRetire: true);
        EcrKmsRules.RequireCreatorMayRetire(managed, Samples.Ci, callerMayRetire: false);
    }

    [Theory]
    [InlineData(AwsErrorCodes.NotFound, 1, RetireFailure.AlreadyGone)]
    [InlineData(AwsErrorCodes.Throttling, 1, RetireFailure.Retry)]
    [InlineData(AwsErrorCodes.KmsInternal, 2, RetireFailure.Retry)]
    [InlineData(AwsErrorCodes.DependencyTimeout, EcrKmsRules.RetireAttempts, RetireFailure.LeftBehind)]
    [InlineData(AwsErrorCodes.AccessDenied, 1, RetireFailure.LeftBehind)]
    public void RetireFailures_AreRetriedWhileTransient_AndLeftBehindOtherwise(string errorCode, int attempt, RetireFailure expected)
    {
        Assert.Equal(expected, EcrKmsRules.ClassifyRetireFailure(new AwsServiceException(errorCode, "x"), attempt));
    }

    [Fact]
    public void KmsErrors_ReachEcrCallersAsKmsException_WithTheKmsName()
    {
        var wrapped = EcrKmsRules.KmsException(EcrOperations.PutImage, new AwsServiceException(AwsErrorCodes.Disabled, "k is disabled."));
        Assert.Equal((AwsErrorCodes.Kms, AwsErrorCodes.Disabled), (wrapped.ErrorCode, wrapped.KmsError));
        Assert.Contains("k is disabled.", wrapped.Message, StringComparison.Ordinal);

        Assert.Same(wrapped, EcrKmsRules.KmsException(EcrOperations.PutImage, wrapped));
        var gone = EcrKmsRules.KmsException(EcrOperations.BatchGetImage, new AwsServiceException(AwsErrorCodes.NotFound, "no key"));
        Assert.Contains("unrecoverable", gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreatorWithoutRetireGrant_IsToldWhoLacksWhichPermissionOnWhichKey()
    {
        var customer = Samples.CustomerKey().ToMetadata();

        var error = Assert.Throws<AwsServiceException>(() => EcrKmsRules.RequireCreatorMayRetire(customer, Samples.Ci, callerMayRetire: false));

        Assert.Contains(Samples.Ci.Principal, error.Message, StringComparison.Ordinal);
        Assert.Contains("kms:RetireGrant", error.Message, StringComparison.Ordinal);
        Assert.Contains(customer.Arn, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EcrOperations.BatchGetImage)]
    [InlineData(EcrOperations.GetDownloadUrlForLayer)]
    public void KmsException_KeyNotFoundWhilePulling_SaysTheDataIsUnrecoverable(string operation)
    {
        var error = EcrKmsRules.KmsException(operation, new AwsServiceException(AwsErrorCodes.NotFound, "no key"));

        Assert.Equal((AwsErrorCodes.Kms, AwsErrorCodes.NotFound), (error.ErrorCode, error.KmsError));
        Assert.Contains("unrecoverable", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EcrOperations.BatchGetImage, AwsErrorCodes.Disabled)]
    [InlineData(EcrOperations.GetDownloadUrlForLayer, AwsErrorCodes.KmsInvalidState)]
    [InlineData(EcrOperations.PutImage, AwsErrorCodes.NotFound)]
    [InlineData(EcrOperations.CreateRepository, AwsErrorCodes.NotFound)]
    public void KmsException_AnyOtherErrorOrOperation_NamesTheKmsErrorWithoutClaimingDataLoss(string operation, string kmsError)
    {
        var error = EcrKmsRules.KmsException(operation, new AwsServiceException(kmsError, "why"));

        Assert.Equal((AwsErrorCodes.Kms, kmsError), (error.ErrorCode, error.KmsError));
        Assert.StartsWith(operation, error.Message, StringComparison.Ordinal);
        Assert.Contains(kmsError, error.Message, StringComparison.Ordinal);
        Assert.Contains("why", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unrecoverable", error.Message, StringComparison.Ordinal);
    }
}
