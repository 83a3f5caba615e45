using GrantSim.Aws;
using GrantSim.Ecr;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class ScanningConfigurationsTests
{
    private static readonly ScanningRepositoryFilter Prod = new("prod-*", ImageTagMutabilities.Wildcard);
    private static readonly ScanningRepositoryFilter All = new("*", ImageTagMutabilities.Wildcard);

    [Theory]
    [InlineData(RegistryScanningConfiguration.Basic, RegistryScanningConfiguration.ScanOnPush, true)]
    [InlineData(RegistryScanningConfiguration.Basic, RegistryScanningConfiguration.ContinuousScan, false)]
    [InlineData(RegistryScanningConfiguration.Basic, RegistryScanningConfiguration.Manual, false)]
    [InlineData(RegistryScanningConfiguration.Enhanced, RegistryScanningConfiguration.ScanOnPush, true)]
    [InlineData(RegistryScanningConfiguration.Enhanced, RegistryScanningConfiguration.ContinuousScan, true)]
    [InlineData(RegistryScanningConfiguration.Enhanced, RegistryScanningConfiguration.Manual, false)]
    public void Validate_AcceptsTheFrequenciesOfTheScanType(string scanType, string frequency, bool accepted)
    {
        var requested = new RegistryScanningConfiguration(scanType, [new RegistryScanningRule(frequency, [All])]);
        var error = Record.Exception(() => ScanningConfigurations.Validate(requested));
        if (accepted)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Equal(AwsErrorCodes.Validation, Assert.IsType<AwsServiceException>(error).ErrorCode);
        }
    }

    [Fact]
    public void Validate_OneRulePerFrequency()
    {
        var requested = new RegistryScanningConfiguration(RegistryScanningConfiguration.Enhanced,
            [new RegistryScanningRule(RegistryScanningConfiguration.ScanOnPush, [All]), new RegistryScanningRule(RegistryScanningConfiguration.ScanOnPush, [Prod])]);
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => ScanningConfigurations.Validate(requested)).ErrorCode);
    }

    [Fact]
    public void For_ARepositoryNoRuleMatches_IsManual_UnlessItsOwnFlagScansOnPushUnderBasicScanning()
    {
        var registry = new RegistryScanningConfiguration(RegistryScanningConfiguration.Basic, [new RegistryScanningRule(RegistryScanningConfiguration.ScanOnPush, [Prod])]);

        Assert.Equal(RegistryScanningConfiguration.Manual, ScanningConfigurations.For(Repository("dev-app", scanOnPush: false), registry).ScanFrequency);
        var flagged = ScanningConfigurations.For(Repository("dev-app", scanOnPush: true), registry);
        Assert.Equal(RegistryScanningConfiguration.ScanOnPush, flagged.ScanFrequency);
        Assert.True(flagged.ScanOnPush);
        Assert.Empty(flagged.AppliedScanFilters);

        var enhanced = registry with { ScanType = RegistryScanningConfiguration.Enhanced };
        Assert.Equal(RegistryScanningConfiguration.Manual, ScanningConfigurations.For(Repository("dev-app", scanOnPush: true), enhanced).ScanFrequency);
    }

    [Fact]
    public void For_AMatchingRule_DecidesTheFrequency_ContinuousBeforeOnPush_WithTheFiltersThatMatched()
    {
        var registry = new RegistryScanningConfiguration(RegistryScanningConfiguration.Enhanced,
            [new RegistryScanningRule(RegistryScanningConfiguration.ScanOnPush, [All]), new RegistryScanningRule(RegistryScanningConfiguration.ContinuousScan, [Prod])]);

        var prod = ScanningConfigurations.For(Repository("prod-api", scanOnPush: false), registry);
        Assert.Equal(RegistryScanningConfiguration.ContinuousScan, prod.ScanFrequency);
        Assert.Equal(Prod, Assert.Single(prod.AppliedScanFilters));

        var other = ScanningConfigurations.For(Repository("web", scanOnPush: false), registry);
        Assert.Equal(RegistryScanningConfiguration.ScanOnPush, other.ScanFrequency);
        Assert.Equal(All, Assert.Single(other.AppliedScanFilters));
    }

    private static RepositoryDescription Repository(string name, bool scanOnPush) =>
        new(Arn.EcrRepository(Regions.UsEast1, "111122223333", name).ToString(), "111122223333", name, $"111122223333.dkr.ecr.us-east-1.amazonaws.com/{name}", Samples.T0, EncryptionConfiguration.Aes256)
        {
            Settings = RepositorySettings.Default with { ScanOnPush = scanOnPush },
        };
}
