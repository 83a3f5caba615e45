using System.Text.RegularExpressions;
using GrantSim.Aws;

namespace GrantSim.Kms;

/// <summary>What CreateAlias allows, decided from facts alone (the registry grain loads them and stores the result).</summary>
public static partial class AliasRules
{
    [GeneratedRegex(@"\Aalias/[a-zA-Z0-9/_-]+\z")]
    private static partial Regex AliasPattern();

    /// <summary>The name's shape (the model's pattern), and not AWS's reserved prefix.</summary>
    public static void ValidateName(string aliasName)
    {
        if (aliasName is not { Length: > 6 and <= 256 } || !AliasPattern().IsMatch(aliasName))
        {
            throw new AwsServiceException(AwsErrorCodes.Validation, $"1 validation error detected: Value '{aliasName}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$");
        }

        if (aliasName.StartsWith(KmsAliases.AwsReservedPrefix, StringComparison.Ordinal))
        {
            throw new AwsServiceException(AwsErrorCodes.InvalidAliasName, $"Alias {aliasName} cannot begin with alias/aws/: that prefix is reserved for AWS managed keys.");
        }
    }

    /// <summary>An alias and its key share an account and region.</summary>
    public static void RequireTargetBeside(Arn target, string account, string region)
    {
        if (target.Account != account || target.Region != region)
        {
            throw new AwsServiceException(AwsErrorCodes.NotFound, $"Key '{target}' does not exist in account {account} and {region}: an alias and its key share an account and region.");
        }
    }

    /// <summary>Aliases point at customer managed keys only, and a name is taken once.</summary>
    public static void RequireAllowed(KeyMetadata target, bool nameTaken, string aliasName, string account, string region)
    {
        if (target.KeyManager == KeyManager.Aws)
        {
            throw new AwsServiceException(AwsErrorCodes.AccessDenied, $"{target.Arn} is an AWS managed key; aliases can only point at customer managed keys.");
        }

        if (nameTaken)
        {
            throw new AwsServiceException(AwsErrorCodes.AlreadyExists, $"An alias with the name {Arn.KmsAlias(region, account, aliasName)} already exists");
        }
    }

    /// <summary>UpdateAlias and DeleteAlias name an alias that must exist.</summary>
    public static AwsServiceException NotFound(string aliasName, string account, string region) =>
        new(AwsErrorCodes.NotFound, $"Alias {Arn.KmsAlias(region, account, aliasName)} is not found.");

    /// <summary>An alias cannot be moved to a key whose deletion is pending.</summary>
    public static void RequireNotPendingDeletion(KeyMetadata target)
    {
        if (target.KeyState == KeyState.PendingDeletion)
        {
            throw new AwsServiceException(AwsErrorCodes.KmsInvalidState, $"{target.Arn} is pending deletion.");
        }
    }
}
