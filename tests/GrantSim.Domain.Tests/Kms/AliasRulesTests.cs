using GrantSim.Aws;
using GrantSim.Kms;

namespace GrantSim.Domain.Tests.Kms;

public sealed class AliasRulesTests
{
    private const string Account = "111122223333";
    private const string Region = "us-east-1";

    [Theory]
    [InlineData("alias/app")]
    [InlineData("alias/team/app_1-x")]
    public void AWellFormedName_IsAccepted(string name) => AliasRules.ValidateName(name);

    [Theory]
    [InlineData("alias/", AwsErrorCodes.Validation)]
    [InlineData("app", AwsErrorCodes.Validation)]
    [InlineData("alias/has space", AwsErrorCodes.Validation)]
    [InlineData("alias/aws/mine", AwsErrorCodes.InvalidAliasName)]
    public void ABadOrReservedName_IsRefused(string name, string errorCode) =>
        Assert.Equal(errorCode, Assert.Throws<AwsServiceException>(() => AliasRules.ValidateName(name)).ErrorCode);

    [Fact]
    public void ANameOfMoreThan256Characters_IsRefused() =>
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => AliasRules.ValidateName("alias/" + new string('a', 251))).ErrorCode);

    [Theory]
    [InlineData("444455556666", Region)]
    [InlineData(Account, "eu-west-1")]
    public void AKeyOfAnotherAccountOrRegion_IsNotFound(string account, string region) =>
        Assert.Equal(AwsErrorCodes.NotFound, Assert.Throws<AwsServiceException>(() =>
            AliasRules.RequireTargetBeside(Arn.KmsKey(region, account, Guid.NewGuid().ToString("D")), Account, Region)).ErrorCode);

    [Fact]
    public void AnAwsManagedKey_OrATakenName_IsRefused()
    {
        var customer = Samples.CustomerKey().ToMetadata();
        AliasRules.RequireAllowed(customer, nameTaken: false, "alias/app", Account, Region);

        Assert.Equal(AwsErrorCodes.AccessDenied, Assert.Throws<AwsServiceException>(() =>
            AliasRules.RequireAllowed(Samples.AwsManagedEcrKey().ToMetadata(), nameTaken: false, "alias/app", Account, Region)).ErrorCode);
        var taken = Assert.Throws<AwsServiceException>(() => AliasRules.RequireAllowed(customer, nameTaken: true, "alias/app", Account, Region));
        Assert.Equal(AwsErrorCodes.AlreadyExists, taken.ErrorCode);
        Assert.Equal($"An alias with the name arn:aws:kms:{Region}:{Account}:alias/app already exists", taken.Message);
    }
}
