namespace GrantSim.Aws;

/// <summary>
/// Every failure GrantSim reports: the AWS exception name (<see cref="ErrorCode"/>, the
/// <c>__type</c> of the JSON error) and its message. ECR's KmsException also carries the KMS error
/// that caused it in <see cref="KmsError"/>. One type rather than one per name keeps the wire
/// contract small; callers switch on <see cref="ErrorCode"/> using <see cref="AwsErrorCodes"/>.
/// </summary>
[GenerateSerializer, Alias("GrantSim.AwsServiceException")]
public sealed class AwsServiceException : Exception
{
    public AwsServiceException(string errorCode, string message, string? kmsError = null)
        : base(message)
    {
        ErrorCode = errorCode;
        KmsError = kmsError;
    }

    public AwsServiceException() : this(AwsErrorCodes.Server, "An unknown error occurred.")
    {
    }

    public AwsServiceException(string message) : this(AwsErrorCodes.Server, message)
    {
    }

    public AwsServiceException(string message, Exception innerException) : base(message, innerException)
    {
        ErrorCode = AwsErrorCodes.Server;
    }

    [Id(0)] public string ErrorCode { get; init; }

    [Id(1)] public string? KmsError { get; init; }

    public bool IsTransient => AwsErrorCodes.IsTransient(KmsError ?? ErrorCode);

    public override string ToString() =>
        KmsError is null ? $"{ErrorCode}: {Message}" : $"{ErrorCode} ({KmsError}): {Message}";
}
