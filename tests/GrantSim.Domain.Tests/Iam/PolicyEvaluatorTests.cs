using GrantSim.Aws;
using GrantSim.Iam;
using GrantSim.Identity;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Iam;

public sealed class PolicyEvaluatorTests
{
    private static readonly IReadOnlyDictionary<string, string> NoKeys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    // ---- conditions: a missing key ----

    [Theory]
    [InlineData("StringEquals", false)]
    [InlineData("StringEqualsIgnoreCase", false)]
    [InlineData("StringLike", false)]
    [InlineData("ArnEquals", false)]
    [InlineData("ArnLike", false)]
    [InlineData("Bool", false)]
    [InlineData("StringNotEquals", true)]
    [InlineData("StringNotEqualsIgnoreCase", true)]
    [InlineData("StringNotLike", true)]
    [InlineData("ArnNotEquals", true)]
    [InlineData("ArnNotLike", true)]
    [InlineData("StringEqualsIfExists", true)]
    [InlineData("StringLikeIfExists", true)]
    [InlineData("BoolIfExists", true)]
    [InlineData("StringNotEqualsIfExists", true)]
    public void ConditionHolds_WhenTheKeyIsMissing_OnlyForNegatedAndIfExistsOperators(string op, bool holds)
    {
        Assert.Equal(holds, PolicyEvaluator.ConditionHolds(new PolicyCondition(op, "kms:ViaService", ["ecr.us-east-1.amazonaws.com"]), NoKeys));
    }

    [Theory]
    [InlineData("StringEquals", "ecr.us-east-1.amazonaws.com", true)]
    [InlineData("StringEquals", "ECR.us-east-1.amazonaws.com", false)]
    [InlineData("StringEqualsIgnoreCase", "ECR.us-east-1.amazonaws.com", true)]
    [InlineData("StringNotEquals", "ecr.us-east-1.amazonaws.com", false)]
    [InlineData("StringNotEquals", "s3.us-east-1.amazonaws.com", true)]
    [InlineData("StringNotEqualsIgnoreCase", "ECR.us-east-1.amazonaws.com", false)]
    [InlineData("StringLike", "ecr.us-west-2.amazonaws.com", false)]
    [InlineData("StringEqualsIfExists", "ecr.us-east-1.amazonaws.com", true)]
    [InlineData("StringEqualsIfExists", "s3.us-east-1.amazonaws.com", false)]
    [InlineData("NumericEquals", "ecr.us-east-1.amazonaws.com", false)]
    public void ConditionHolds_WhenTheKeyIsPresent_ComparesTheValue(string op, string actual, bool holds)
    {
        var context = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["kms:ViaService"] = actual };

        Assert.Equal(holds, PolicyEvaluator.ConditionHolds(new PolicyCondition(op, "kms:ViaService", ["ecr.us-east-1.amazonaws.com"]), context));
    }

    [Fact]
    public void ConditionHolds_AnyOfSeveralValues_IsEnough_ForPositiveOperators()
    {
        var context = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["kms:CallerAccount"] = "444455556666" };

        Assert.True(PolicyEvaluator.ConditionHolds(new PolicyCondition("StringEquals", "kms:CallerAccount", [Account, OtherAccount]), context));
        Assert.False(PolicyEvaluator.ConditionHolds(new PolicyCondition("StringNotEquals", "kms:CallerAccount", [Account, OtherAccount]), context));
    }

    [Fact]
    public void ConditionHolds_LikeOperators_UseWildcards()
    {
        var context = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["aws:PrincipalArn"] = Ci.Principal };

        Assert.True(PolicyEvaluator.ConditionHolds(new PolicyCondition("ArnLike", "aws:PrincipalArn", ["arn:aws:iam::*:role/c?"]), context));
        Assert.False(PolicyEvaluator.ConditionHolds(new PolicyCondition("ArnNotLike", "aws:PrincipalArn", ["arn:aws:iam::*:role/*"]), context));
        Assert.True(PolicyEvaluator.ConditionHolds(new PolicyCondition("StringNotLike", "aws:PrincipalArn", ["*:user/*"]), context));
    }

    [Fact]
    public void ConditionHolds_Bool_ComparesIgnoringCase()
    {
        var context = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["kms:GrantIsForAWSResource"] = "true" };

        Assert.True(PolicyEvaluator.ConditionHolds(new PolicyCondition("Bool", "kms:GrantIsForAWSResource", ["True"]), context));
        Assert.False(PolicyEvaluator.ConditionHolds(new PolicyCondition("Bool", "kms:GrantIsForAWSResource", ["false"]), context));
    }

    // ---- identity policies ----

    [Fact]
    public void EvaluateIdentityPolicies_NothingApplies_IsNotAllowed()
    {
        Assert.Equal(PolicyDecision.NotAllowed, PolicyEvaluator.EvaluateIdentityPolicies([], Request(Alice, "kms:Decrypt")));
        Assert.Equal(PolicyDecision.NotAllowed, Identity(Alice, "kms:Decrypt", """{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*"}"""));
    }

    [Fact]
    public void EvaluateIdentityPolicies_DenyWinsOverAllowInAnyOrder()
    {
        const string allow = """{"Effect":"Allow","Action":"kms:*","Resource":"*"}""";
        const string deny = """{"Effect":"Deny","Action":"kms:Decrypt","Resource":"*"}""";

        Assert.Equal(PolicyDecision.ExplicitDeny, Identity(Alice, "kms:Decrypt", allow, deny));
        Assert.Equal(PolicyDecision.ExplicitDeny, Identity(Alice, "kms:Decrypt", deny, allow));
        Assert.Equal(PolicyDecision.Allow, Identity(Alice, "kms:Encrypt", deny, allow));
    }

    [Fact]
    public void EvaluateIdentityPolicies_ActionsIgnoreCase_ResourcesDoNot()
    {
        Assert.Equal(PolicyDecision.Allow, Identity(Alice, "kms:Decrypt", """{"Effect":"Allow","Action":"KMS:decrypt","Resource":"*"}"""));
        Assert.Equal(PolicyDecision.NotAllowed, Identity(Alice, "kms:Decrypt", $$"""{"Effect":"Allow","Action":"kms:*","Resource":"{{KeyArn.ToUpperInvariant()}}"}"""));
    }

    [Fact]
    public void EvaluateIdentityPolicies_NotAction_AppliesToEveryOtherAction()
    {
        const string statement = """{"Effect":"Allow","NotAction":"kms:ScheduleKeyDeletion","Resource":"*"}""";

        Assert.Equal(PolicyDecision.Allow, Identity(Alice, "kms:Decrypt", statement));
        Assert.Equal(PolicyDecision.NotAllowed, Identity(Alice, "kms:ScheduleKeyDeletion", statement));
    }

    [Fact]
    public void EvaluateIdentityPolicies_ConditionMustHold()
    {
        const string statement = """{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"ecr.us-east-1.amazonaws.com"} } }""";

        Assert.Equal(PolicyDecision.NotAllowed, Identity(Alice, "kms:Decrypt", statement));
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.EvaluateIdentityPolicies([Policy(statement)],
            Request(Alice, "kms:Decrypt", ("KMS:VIASERVICE", "ecr.us-east-1.amazonaws.com"))));
    }

    // ---- resource policies ----

    [Fact]
    public void EvaluateResourcePolicy_NamingThePrincipal_Allows()
    {
        var decision = Resource(Alice, "kms:Decrypt", $$"""{"Effect":"Allow","Principal":{"AWS":"{{Alice.Principal}}"},"Action":"kms:Decrypt","Resource":"*"}""");

        Assert.Equal(new ResourcePolicyDecision(false, true, false), decision);
    }

    [Fact]
    public void EvaluateResourcePolicy_NamingTheAccount_DelegatesToIamForUsersAndAllowsTheRoot()
    {
        foreach (var named in new[] { Account, $"arn:aws:iam::{Account}:root" })
        {
            var statement = $$"""{"Effect":"Allow","Principal":{"AWS":"{{named}}"},"Action":"kms:*","Resource":"*"}""";

            Assert.Equal(new ResourcePolicyDecision(false, false, true), Resource(Alice, "kms:Decrypt", statement));
            Assert.Equal(new ResourcePolicyDecision(false, true, false), Resource(Root, "kms:Decrypt", statement));
            Assert.Equal(new ResourcePolicyDecision(false, false, false), Resource(OtherAlice, "kms:Decrypt", statement));
        }
    }

    [Fact]
    public void EvaluateResourcePolicy_RootOfAnotherPartition_IsNotTheAccount()
    {
        var statement = $$"""{"Effect":"Allow","Principal":{"AWS":"arn:aws-us-gov:iam::{{Account}}:root"},"Action":"kms:*","Resource":"*"}""";

        Assert.Equal(new ResourcePolicyDecision(false, false, false), Resource(Alice, "kms:Decrypt", statement));
    }

    [Fact]
    public void EvaluateResourcePolicy_Service_MatchesGlobalAndRegionalNames()
    {
        var ecr = new CallerIdentity(EcrPrincipal);

        Assert.True(Resource(ecr, "kms:Decrypt", """{"Effect":"Allow","Principal":{"Service":"ecr.amazonaws.com"},"Action":"kms:*"}""").Allowed);
        Assert.True(Resource(ecr, "kms:Decrypt", """{"Effect":"Allow","Principal":{"Service":"ecr.us-east-1.amazonaws.com"},"Action":"kms:*"}""").Allowed);
        Assert.False(Resource(ecr, "kms:Decrypt", """{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"kms:*"}""").Allowed);
        Assert.False(Resource(ecr, "kms:Decrypt", """{"Effect":"Allow","Principal":{"Service":"ecr.us-west-2.amazonaws.com"},"Action":"kms:*"}""").Allowed);
        Assert.False(Resource(ecr, "kms:Decrypt", $$"""{"Effect":"Allow","Principal":{"AWS":"{{Account}}"},"Action":"kms:*"}""").Allowed);
    }

    [Fact]
    public void EvaluateResourcePolicy_WithoutPrincipal_AppliesToNobody()
    {
        Assert.Equal(default, Resource(Root, "kms:Decrypt", """{"Effect":"Deny","Action":"kms:*","Resource":"*"}"""));
    }

    [Fact]
    public void EvaluateResourcePolicy_Deny_Wins()
    {
        var decision = Resource(Alice, "kms:Decrypt",
            """{"Effect":"Allow","Principal":"*","Action":"kms:*"}""",
            $$"""{"Effect":"Deny","Principal":{"AWS":"{{Account}}"},"Action":"kms:Decrypt"}""");

        Assert.True(decision.ExplicitDeny);
        Assert.False(decision.Allowed);
    }

    private static AuthorizationRequest Request(CallerIdentity caller, string action, params (string Key, string Value)[] context) =>
        new(caller, action, KeyArn, context.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase));

    private static PolicyDocument Policy(params string[] statements) =>
        PolicyParser.Parse($$"""{"Statement":[{{string.Join(",", statements)}}]}""");

    private static PolicyDecision Identity(CallerIdentity caller, string action, params string[] statements) =>
        PolicyEvaluator.EvaluateIdentityPolicies([Policy(statements)], Request(caller, action));

    private static ResourcePolicyDecision Resource(CallerIdentity caller, string action, params string[] statements) =>
        PolicyEvaluator.EvaluateResourcePolicy(Policy(statements), Request(caller, action));

    [Theory]
    [InlineData("StringEquals", "a|ecr.us-east-1.amazonaws.com", true)]
    [InlineData("StringEqualsIgnoreCase", "a|ECR.US-EAST-1.AMAZONAWS.COM", true)]
    [InlineData("StringEqualsIgnoreCase", "a|b", false)]
    [InlineData("StringNotEquals", "a|ecr.us-east-1.amazonaws.com", false)]
    [InlineData("StringNotEqualsIgnoreCase", "a|ECR.US-EAST-1.AMAZONAWS.COM", false)]
    [InlineData("StringNotEqualsIgnoreCase", "a|b", true)]
    [InlineData("StringLike", "a|ecr.*.amazonaws.com", true)]
    [InlineData("StringLike", "a|ECR.*", false)]
    [InlineData("StringNotLike", "a|ecr.*.amazonaws.com", false)]
    [InlineData("StringNotLike", "a|ECR.*", true)]
    [InlineData("ArnEquals", "a|ecr.us-east-1.amazonaws.com", true)]
    [InlineData("ArnEquals", "a|b", false)]
    [InlineData("ArnNotEquals", "a|b", true)]
    [InlineData("ArnNotEquals", "a|ecr.us-east-1.amazonaws.com", false)]
    [InlineData("ArnLike", "a|ecr.us-*", true)]
    [InlineData("ArnNotLike", "a|b*", true)]
    [InlineData("ArnNotLike", "a|ECR.*", true)]
    [InlineData("ArnNotLike", "a|ecr.us-*", false)]
    public void ConditionHolds_WithSeveralValues_PositiveOperatorsNeedOneMatch_NegatedOperatorsNeedNone(string op, string values, bool holds)
    {
        var context = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["kms:ViaService"] = "ecr.us-east-1.amazonaws.com" };

        Assert.Equal(holds, PolicyEvaluator.ConditionHolds(new PolicyCondition(op, "kms:ViaService", values.Split('|')), context));
    }

    [Fact]
    public void ConditionHolds_Bool_WithSeveralValues_NeedsOneMatch()
    {
        var context = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["kms:GrantIsForAWSResource"] = "true" };

        Assert.True(PolicyEvaluator.ConditionHolds(new PolicyCondition("Bool", "kms:GrantIsForAWSResource", ["false", "true"]), context));
    }

    [Fact]
    public void EvaluateIdentityPolicies_StatementListingSeveralResources_AppliesToEachOfThem()
    {
        var other = Arn.KmsKey(Region, Account, OtherKeyId).ToString();
        var statement = $$"""{"Effect":"Allow","Action":"kms:Decrypt","Resource":["{{other}}","{{KeyArn}}"]}""";

        Assert.Equal(PolicyDecision.Allow, Identity(Alice, "kms:Decrypt", statement));
    }

    [Fact]
    public void EvaluateResourcePolicy_Deny_NeitherAllowsNorDelegates()
    {
        var decision = Resource(Alice, "kms:Decrypt",
            $$"""{"Effect":"Allow","Principal":{"AWS":"{{Account}}"},"Action":"kms:*"}""",
            $$"""{"Effect":"Deny","Principal":{"AWS":"{{Alice.Principal}}"},"Action":"kms:Decrypt"}""");

        Assert.Equal(new ResourcePolicyDecision(true, false, false), decision);
    }

    [Theory]
    [InlineData("ecr-public.amazonaws.com")]
    [InlineData("ecrx.us-east-1.amazonaws.com")]
    public void EvaluateResourcePolicy_Service_DoesNotMatchAnotherServiceWhoseNameStartsTheSame(string caller)
    {
        var decision = Resource(new CallerIdentity(caller), "kms:Decrypt", """{"Effect":"Allow","Principal":{"Service":"ecr.amazonaws.com"},"Action":"kms:*"}""");

        Assert.False(decision.Allowed);
    }

    [Theory]
    [InlineData("arn:aws:sts::111122223333:root")]
    [InlineData("arn:aws:kms:us-east-1:111122223333:root")]
    public void EvaluateResourcePolicy_ArnOfAnotherServiceEndingInRoot_DoesNotNameTheAccount(string principal)
    {
        var decision = Resource(Alice, "kms:Decrypt", $$"""{"Effect":"Allow","Principal":{"AWS":"{{principal}}"},"Action":"kms:*"}""");

        Assert.Equal(new ResourcePolicyDecision(false, false, false), decision);
    }

    [Theory]
    [InlineData("ForAnyValue:StringLike", "alias/finance-*", "alias/finance-key|alias/other", true)]
    [InlineData("ForAnyValue:StringLike", "alias/finance-*", "alias/other", false)]
    [InlineData("ForAnyValue:StringLike", "alias/finance-*", "", false)]
    [InlineData("ForAllValues:StringLike", "alias/finance-*", "alias/finance-a|alias/finance-b", true)]
    [InlineData("ForAllValues:StringLike", "alias/finance-*", "alias/finance-a|alias/other", false)]
    [InlineData("ForAllValues:StringLike", "alias/finance-*", "", true)]
    [InlineData("StringEquals", "alias/finance-key", "alias/other|alias/finance-key", true)]
    public void SetOperators_TestEveryMemberOfAMultivaluedKey(string op, string pattern, string members, bool holds)
    {
        var multiValued = new Dictionary<string, IReadOnlyList<string>> { ["kms:ResourceAliases"] = members.Length == 0 ? [] : members.Split('|') };

        Assert.Equal(holds, PolicyEvaluator.ConditionHolds(new PolicyCondition(op, "kms:resourcealiases", [pattern]), NoKeys, multiValued));
    }

    [Fact]
    public void SetOperators_ParseInPolicies_AndReadASingleValuedKeyAsASetOfOne()
    {
        var policy = PolicyParser.Parse("""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*",
              "Condition":{"ForAnyValue:StringEquals":{"kms:CallerAccount":["111122223333"]},"ForAllValues:StringLike":{"kms:ResourceAliases":"alias/app-*"}}}]}
            """);

        Assert.True(policy.Tests("KMS:ResourceAliases"));
        Assert.True(PolicyEvaluator.ConditionHolds(policy.Statements[0].Conditions[0], new Dictionary<string, string> { ["kms:CallerAccount"] = "111122223333" }));
    }
}
