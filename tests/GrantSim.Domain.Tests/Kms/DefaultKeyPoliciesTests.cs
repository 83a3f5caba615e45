using GrantSim.Aws;
using GrantSim.Iam;
using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Kms;

public sealed class DefaultKeyPoliciesTests
{
    [Fact]
    public void CustomerManaged_GivesTheAccountRootEverything()
    {
        var policy = PolicyParser.Parse(DefaultKeyPolicies.CustomerManaged(Partition.AwsUsGov, Account));

        var statement = Assert.Single(policy.Statements);
        Assert.Equal(PolicyEffect.Allow, statement.Effect);
        Assert.Equal(new[] { "arn:aws-us-gov:iam::111122223333:root" }, statement.Principals!.Aws);
        Assert.Equal(new[] { "kms:*" }, statement.Actions);
        Assert.Equal(new[] { "*" }, statement.Resources);
        Assert.Empty(statement.Conditions);
    }

    [Fact]
    public void AwsManagedEcr_AllowsUseOnlyThroughEcrOfItsRegionForItsAccount()
    {
        var policy = PolicyParser.Parse(DefaultKeyPolicies.AwsManagedEcr(Partition.Aws, Account, Regions.EuWest1));

        Assert.Equal(2, policy.Statements.Count);
        var use = policy.Statements[0];
        Assert.True(use.Principals!.Everyone);
        Assert.Contains("kms:GenerateDataKey*", use.Actions);
        Assert.Contains("kms:CreateGrant", use.Actions);
        Assert.DoesNotContain("kms:RetireGrant", use.Actions);
        Assert.Contains(new PolicyCondition("StringEquals", "kms:ViaService", ["ecr.eu-west-1.amazonaws.com"]), use.Conditions, ConditionComparer.Instance);
        Assert.Contains(new PolicyCondition("StringEquals", "kms:CallerAccount", [Account]), use.Conditions, ConditionComparer.Instance);

        var metadata = policy.Statements[1];
        Assert.Equal(new[] { $"arn:aws:iam::{Account}:root" }, metadata.Principals!.Aws);
        Assert.Equal(new[] { "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" }, metadata.Actions);
    }

    private sealed class ConditionComparer : IEqualityComparer<PolicyCondition>
    {
        public static readonly ConditionComparer Instance = new();

        public bool Equals(PolicyCondition? x, PolicyCondition? y) =>
            x is not null && y is not null && x.Operator == y.Operator && x.Key == y.Key && x.Values.SequenceEqual(y.Values);

        public int GetHashCode(PolicyCondition obj) => HashCode.Combine(obj.Operator, obj.Key);
    }

    [Fact]
    public void CustomerManaged_IsKmsDocumentedDefaultPolicy()
    {
        using var policy = System.Text.Json.JsonDocument.Parse(DefaultKeyPolicies.CustomerManaged(Partition.Aws, Account));
        var root = policy.RootElement;

        Assert.Equal("2012-10-17", root.GetProperty("Version").GetString());
        Assert.Equal("key-default-1", root.GetProperty("Id").GetString());
        Assert.Equal("Enable IAM User Permissions", root.GetProperty("Statement")[0].GetProperty("Sid").GetString());
    }

    [Fact]
    public void AwsManagedEcr_IsTheVersionedPolicyOfTheEcrManagedKey()
    {
        using var policy = System.Text.Json.JsonDocument.Parse(DefaultKeyPolicies.AwsManagedEcr(Partition.Aws, Account, Region));
        var root = policy.RootElement;

        Assert.Equal("2012-10-17", root.GetProperty("Version").GetString());
        Assert.Equal("auto-ecr-1", root.GetProperty("Id").GetString());
        Assert.Equal(
            new[]
            {
                "Allow access through Amazon ECR for all principals in the account that are authorized to use Amazon ECR",
                "Allow direct access to key metadata to the account",
            },
            root.GetProperty("Statement").EnumerateArray().Select(s => s.GetProperty("Sid").GetString()));
    }
}
