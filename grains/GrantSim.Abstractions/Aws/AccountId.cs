namespace GrantSim.Aws;

/// <summary>A tenant is an AWS account: exactly twelve decimal digits.</summary>
public static class AccountId
{
    public static bool IsValid(string? account) =>
        account is { Length: 12 } && account.All(char.IsAsciiDigit);

    public static string Require(string? account) =>
        IsValid(account)
            ? account!
            : throw new AwsServiceException(AwsErrorCodes.Validation, $"'{account}' is not an AWS account id: it must be 12 digits.");
}
