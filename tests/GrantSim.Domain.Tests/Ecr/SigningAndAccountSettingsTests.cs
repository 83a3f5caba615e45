using GrantSim.Aws;
using GrantSim.Ecr;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class SigningAndAccountSettingsTests
{
    private const string Profile = "arn:aws:signer:us-east-1:111122223333:/signing-profiles/release_signer";
    private const string OtherProfile = "arn:aws:signer:us-east-1:111122223333:/signing-profiles/team_signer";

    [Fact]
    public void StatusesFor_NoRuleMatching_IsEmpty_AndAMatchingProfile_IsFailedBecauseNoSignerRan_NeverComplete()
    {
        var configuration = SigningConfigurations.Validate(new SigningConfiguration([
            new SigningRule(Profile, [new SigningRepositoryFilter("prod/*", SigningConfigurations.WildcardMatch)]),
            new SigningRule(OtherProfile, []),
            new SigningRule(Profile, [new SigningRepositoryFilter("prod/app", SigningConfigurations.WildcardMatch)]),
        ]));

        Assert.Empty(SigningConfigurations.StatusesFor(null, "prod/app"));
        Assert.Equal([OtherProfile], SigningConfigurations.StatusesFor(configuration, "dev/app").Select(s => s.SigningProfileArn));
        var statuses = SigningConfigurations.StatusesFor(configuration, "prod/app");
        Assert.Equal([Profile, OtherProfile], statuses.Select(s => s.SigningProfileArn));
        Assert.All(statuses, s => Assert.Equal((SigningConfigurations.Failed, SigningConfigurations.SignerNotSimulated), (s.Status, s.FailureCode)));
        Assert.Empty(SigningConfigurations.StatusesFor(new SigningConfiguration([]), "prod/app"));
    }

    [Theory]
    [InlineData("arn:aws:signer:us-east-1:111122223333:/signing-profiles/x", "prod", "WILDCARD_MATCH")]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/abc", "prod", "WILDCARD_MATCH")]
    [InlineData(Profile, "Prod", "WILDCARD_MATCH")]
    [InlineData(Profile, "prod", "PREFIX_MATCH")]
    public void Validate_RefusesWhatTheModelDoesNotAllow(string profile, string filter, string filterType) =>
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() =>
            SigningConfigurations.Validate(new SigningConfiguration([new SigningRule(profile, [new SigningRepositoryFilter(filter, filterType)])]))).ErrorCode);

    [Fact]
    public void Validate_RefusesAnEleventhRule()
    {
        var rules = Enumerable.Range(0, SigningConfigurations.MaxRules + 1).Select(_ => new SigningRule(Profile, [])).ToArray();
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => SigningConfigurations.Validate(new SigningConfiguration(rules))).ErrorCode);
    }

    [Fact]
    public void AccountSettings_HaveTheirDefaults_UntilPut_AndBlobMountingTakesBothValues()
    {
        var settings = AccountSettings.Empty;
        Assert.Equal("AWS_NATIVE", AccountSettings.Get(settings, AccountSettings.BasicScanTypeVersion));
        Assert.Equal("V1", AccountSettings.Get(settings, AccountSettings.RegistryPolicyScope));
        Assert.Equal("DISABLED", AccountSettings.Get(settings, AccountSettings.BlobMounting));

        settings = AccountSettings.Put(settings, AccountSettings.BlobMounting, "ENABLED");
        Assert.Equal("ENABLED", AccountSettings.Get(settings, AccountSettings.BlobMounting));
        Assert.Equal("DISABLED", AccountSettings.Get(AccountSettings.Put(settings, AccountSettings.BlobMounting, "DISABLED"), AccountSettings.BlobMounting));
    }

    [Theory]
    [InlineData("SCAN_ON_PUSH", "ENABLED")]
    [InlineData(AccountSettings.BlobMounting, "enabled")]
    [InlineData(AccountSettings.BasicScanTypeVersion, "CLAIR")]
    [InlineData(AccountSettings.RegistryPolicyScope, "V2")]
    public void AccountSettings_AnUnknownNameOrAValueNotTaken_IsInvalidParameter(string name, string value)
    {
        var error = Assert.Throws<AwsServiceException>(() => AccountSettings.Put(AccountSettings.Empty, name, value));
        Assert.Equal(AwsErrorCodes.InvalidParameter, error.ErrorCode);
        Assert.Contains(AccountSettings.Defaults.ContainsKey(name) ? "'value'" : "'name'", error.Message, StringComparison.Ordinal);
    }
}
