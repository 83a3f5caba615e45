using GrantSim.Aws;
using GrantSim.Iam;
using GrantSim.Identity;

namespace GrantSim.Domain.Tests.Iam;

public sealed class PolicyParserTests
{
    [Fact]
    public void Parse_StringActionAndResource_AreOneElementLists()
    {
        var statement = Single("""{"Sid":"one","Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:*"}""");

        Assert.Equal("one", statement.Sid);
        Assert.Equal(PolicyEffect.Allow, statement.Effect);
        Assert.Equal(new[] { "kms:Decrypt" }, statement.Actions);
        Assert.False(statement.NotActions);
        Assert.Equal(new[] { "arn:aws:kms:*" }, statement.Resources);
        Assert.Null(statement.Principals);
        Assert.Empty(statement.Conditions);
    }

    [Fact]
    public void Parse_ArrayActionAndResource_KeepEveryEntry()
    {
        var statement = Single("""{"Effect":"Deny","Action":["kms:Decrypt","kms:Encrypt"],"Resource":["a","b"]}""");

        Assert.Equal(PolicyEffect.Deny, statement.Effect);
        Assert.Equal(new[] { "kms:Decrypt", "kms:Encrypt" }, statement.Actions);
        Assert.Equal(new[] { "a", "b" }, statement.Resources);
    }

    [Fact]
    public void Parse_NotAction_IsAnInvertedActionList()
    {
        var statement = Single("""{"Effect":"Allow","NotAction":"kms:ScheduleKeyDeletion","Resource":"*"}""");

        Assert.True(statement.NotActions);
        Assert.Equal(new[] { "kms:ScheduleKeyDeletion" }, statement.Actions);
    }

    [Fact]
    public void Parse_WithoutResource_MeansEveryResource()
    {
        Assert.Equal(new[] { "*" }, Single("""{"Effect":"Allow","Action":"kms:*"}""").Resources);
    }

    [Fact]
    public void Parse_StatementAsAnObject_IsOneStatement()
    {
        var policy = PolicyParser.Parse("""{"Statement":{"Effect":"Allow","Action":"kms:*"}}""");

        Assert.Single(policy.Statements);
    }

    [Fact]
    public void Parse_PrincipalStar_IsEveryone()
    {
        var principals = Single("""{"Effect":"Allow","Principal":"*","Action":"kms:*"}""").Principals!;

        Assert.True(principals.Everyone);
    }

    [Fact]
    public void Parse_PrincipalAwsStar_IsEveryone()
    {
        var principals = Single("""{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*"}""").Principals!;

        Assert.True(principals.Everyone);
        Assert.Equal(new[] { "*" }, principals.Aws);
    }

    [Fact]
    public void Parse_PrincipalAwsAndService_AreKeptApart()
    {
        var principals = Single("""
            {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","444455556666"],"Service":"ecr.amazonaws.com"},"Action":"kms:*"}
            """).Principals!;

        Assert.False(principals.Everyone);
        Assert.Equal(new[] { "arn:aws:iam::111122223333:root", "444455556666" }, principals.Aws);
        Assert.Equal(new[] { "ecr.amazonaws.com" }, principals.Services);
    }

    [Fact]
    public void Parse_Conditions_OnePerOperatorAndKey()
    {
        var statement = Single("""
            {"Effect":"Allow","Action":"kms:*","Condition":{
              "StringEquals":{"kms:ViaService":["ecr.us-east-1.amazonaws.com","ecr.us-west-2.amazonaws.com"],"kms:CallerAccount":"111122223333"},
              "StringLikeIfExists":{"kms:EncryptionContext:aws:ecr:arn":"arn:aws:ecr:*"},
              "Bool":{"kms:GrantIsForAWSResource":true}}}
            """);

        Assert.Equal(4, statement.Conditions.Count);
        Assert.Equal("StringEquals", statement.Conditions[0].Operator);
        Assert.Equal("kms:ViaService", statement.Conditions[0].Key);
        Assert.Equal(new[] { "ecr.us-east-1.amazonaws.com", "ecr.us-west-2.amazonaws.com" }, statement.Conditions[0].Values);
        Assert.Equal(new[] { "111122223333" }, statement.Conditions[1].Values);
        Assert.Equal("StringLikeIfExists", statement.Conditions[2].Operator);
        Assert.Equal("kms:EncryptionContext:aws:ecr:arn", statement.Conditions[2].Key);
        Assert.Equal(new[] { "true" }, statement.Conditions[3].Values);
    }

    [Theory]
    [InlineData("StringEquals")]
    [InlineData("StringNotEquals")]
    [InlineData("StringEqualsIgnoreCase")]
    [InlineData("StringNotEqualsIgnoreCase")]
    [InlineData("StringLike")]
    [InlineData("StringNotLike")]
    [InlineData("Bool")]
    [InlineData("ArnEquals")]
    [InlineData("ArnLike")]
    [InlineData("ArnNotEquals")]
    [InlineData("ArnNotLike")]
    [InlineData("StringEqualsIfExists")]
    [InlineData("ArnNotLikeIfExists")]
    public void Parse_SupportedConditionOperator_IsRead(string op)
    {
        var statement = Single($$"""{"Effect":"Allow","Action":"kms:*","Condition":{"{{op}}":{"aws:PrincipalArn":"x"} } }""");

        Assert.Equal(op, Assert.Single(statement.Conditions).Operator);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\"}")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("[]")]
    [InlineData("\"Statement\"")]
    public void Parse_NotAJsonPolicyObject_IsMalformedPolicyDocument(string json)
    {
        AssertMalformed(json);
    }

    [Theory]
    [InlineData("""{"Version":"2012-10-17"}""")]
    [InlineData("""{"statement":[]}""")]
    [InlineData("""{"Statement":"Allow"}""")]
    [InlineData("""{"Statement":[1]}""")]
    public void Parse_MissingOrBadStatement_IsMalformedPolicyDocument(string json)
    {
        AssertMalformed(json);
    }

    [Theory]
    [InlineData("""{"Action":"kms:*"}""")]
    [InlineData("""{"Effect":"allow","Action":"kms:*"}""")]
    [InlineData("""{"Effect":"Permit","Action":"kms:*"}""")]
    public void Parse_BadEffect_IsMalformedPolicyDocument(string statement)
    {
        AssertMalformed($$"""{"Statement":[{{statement}}]}""");
    }

    [Fact]
    public void Parse_NullEffect_IsMalformedPolicyDocument()
    {
        AssertMalformed("""{"Statement":[{"Effect":null,"Action":"kms:*"}]}""");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("[\"Allow\"]")]
    [InlineData("{}")]
    public void Parse_EffectThatIsNotAString_IsMalformedPolicyDocument(string effect)
    {
        AssertMalformed($$"""{"Statement":[{"Effect":{{effect}},"Action":"kms:*"}]}""");
    }

    [Fact]
    public void Parse_BothActionAndNotAction_IsMalformedPolicyDocument()
    {
        AssertMalformed("""{"Statement":[{"Effect":"Allow","Action":"kms:*","NotAction":"kms:Decrypt"}]}""");
    }

    [Fact]
    public void Parse_NeitherActionNorNotAction_IsMalformedPolicyDocument()
    {
        AssertMalformed("""{"Statement":[{"Effect":"Allow","Resource":"*"}]}""");
    }

    [Theory]
    [InlineData("""{"Effect":"Allow","Action":1}""")]
    [InlineData("""{"Effect":"Allow","Action":[1]}""")]
    [InlineData("""{"Effect":"Allow","Action":"kms:*","Resource":{"a":"b"}}""")]
    [InlineData("""{"Effect":"Allow","Action":"kms:*","Principal":"someone"}""")]
    [InlineData("""{"Effect":"Allow","Action":"kms:*","Principal":["*"]}""")]
    [InlineData("""{"Effect":"Allow","Action":"kms:*","Principal":{"Federated":"x"}}""")]
    [InlineData("""{"Effect":"Allow","Action":"kms:*","Condition":"x"}""")]
    [InlineData("""{"Effect":"Allow","Action":"kms:*","Condition":{"NumericEquals":{"a":"1"}}}""")]
    [InlineData("""{"Effect":"Allow","Action":"kms:*","Condition":{"StringEquals":"x"}}""")]
    [InlineData("""{"Effect":"Allow","Action":"kms:*","Condition":{"StringEquals":{"a":{"b":"c"}}}}""")]
    public void Parse_WrongElementType_IsMalformedPolicyDocument(string statement)
    {
        AssertMalformed($$"""{"Statement":[{{statement}}]}""");
    }

    [Fact]
    public void Parse_PolicyLongerThan32K_IsMalformedPolicyDocument()
    {
        var padding = new string(' ', PolicyParser.MaxPolicyLength);

        AssertMalformed("""{"Statement":{"Effect":"Allow","Action":"kms:*"}}""" + padding);
    }

    [Fact]
    public void Parse_NotResource_IsRejectedOrExcludesTheResource()
    {
        const string key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        var request = new AuthorizationRequest(
            new CallerIdentity("arn:aws:iam::111122223333:user/alice"), "kms:Decrypt", key, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));

        PolicyDocument policy;
        try
        {
            policy = PolicyParser.Parse($$"""{"Statement":{"Effect":"Allow","Action":"kms:*","NotResource":"{{key}}"} }""");
        }
        catch (AwsServiceException e) when (e.ErrorCode == AwsErrorCodes.MalformedPolicyDocument)
        {
            return; // refusing what it cannot read is also correct
        }

        Assert.NotEqual(PolicyDecision.Allow, PolicyEvaluator.EvaluateIdentityPolicies([policy], request));
    }

    [Fact]
    public void ParseCached_ReturnsTheSameDocumentForTheSameText()
    {
        const string json = """{"Statement":{"Effect":"Allow","Action":"kms:ParseCachedTest"}}""";

        Assert.Same(PolicyParser.ParseCached(json), PolicyParser.ParseCached(json));
    }

    [Fact]
    public void ParseCached_Malformed_IsMalformedPolicyDocument()
    {
        Assert.Equal(AwsErrorCodes.MalformedPolicyDocument,
            Assert.Throws<AwsServiceException>(() => PolicyParser.ParseCached("{\"Statement\":")).ErrorCode);
    }

    private static PolicyStatement Single(string statement) =>
        Assert.Single(PolicyParser.Parse($$"""{"Version":"2012-10-17","Statement":[{{statement}}]}""").Statements);

    private static void AssertMalformed(string json)
    {
        var error = Assert.Throws<AwsServiceException>(() => PolicyParser.Parse(json));
        Assert.Equal(AwsErrorCodes.MalformedPolicyDocument, error.ErrorCode);
        Assert.StartsWith("The policy is malformed: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PolicyOfExactly32K_IsAccepted()
    {
        const string json = """{"Statement":{"Effect":"Allow","Action":"kms:*"}}""";
        var padded = json + new string(' ', PolicyParser.MaxPolicyLength - json.Length);

        Assert.Single(PolicyParser.Parse(padded).Statements);
    }

    [Fact]
    public void Parse_BothResourceAndNotResource_IsMalformedPolicyDocument()
    {
        AssertMalformed("""{"Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*","NotResource":"arn:aws:kms:*"}]}""");
    }

    [Fact]
    public void Parse_NotResource_AppliesToEveryResourceButThoseListed()
    {
        const string key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const string otherKey = "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09ba-87dc-65fe-0987654321ba";
        var policy = PolicyParser.Parse($$"""{"Statement":{"Effect":"Allow","Action":"kms:*","NotResource":"{{otherKey}}"} }""");

        Assert.True(Assert.Single(policy.Statements).NotResources);
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.EvaluateIdentityPolicies([policy], AliceRequest(key)));
        Assert.Equal(PolicyDecision.NotAllowed, PolicyEvaluator.EvaluateIdentityPolicies([policy], AliceRequest(otherKey)));
    }

    [Fact]
    public void Parse_BooleanConditionValues_AreReadAsTrueAndFalse()
    {
        var statement = Single("""
            {"Effect":"Allow","Action":"kms:*","Condition":{"Bool":{"kms:GrantIsForAWSResource":false},"BoolIfExists":{"aws:SecureTransport":[true,false]} } }
            """);

        Assert.Equal(new[] { "false" }, statement.Conditions[0].Values);
        Assert.Equal(new[] { "true", "false" }, statement.Conditions[1].Values);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("[\"a\"]")]
    [InlineData("null")]
    public void Parse_SidThatIsNotAString_IsIgnoredOrMalformed_NeverAnotherError(string sid)
    {
        var exception = Record.Exception(() => PolicyParser.Parse($$"""{"Statement":{"Sid":{{sid}},"Effect":"Allow","Action":"kms:*"} }"""));

        Assert.True(exception is null or AwsServiceException { ErrorCode: AwsErrorCodes.MalformedPolicyDocument }, exception?.ToString());
    }

    [Theory]
    [InlineData("""{"Version":"2012-10-17"}""", "Statement")]
    [InlineData("""{"Statement":"Allow"}""", "Statement")]
    [InlineData("""{"Statement":[1]}""", "statement")]
    [InlineData("""{"Statement":[""", "not valid JSON")]
    [InlineData("""{"Statement":{"Sid":"S1","Effect":"Permit","Action":"kms:*"}}""", "S1|Effect|Permit")]
    [InlineData("""{"Statement":{"Sid":"S2","Effect":"Allow","Action":"kms:*","NotAction":"kms:Decrypt"}}""", "S2|NotAction")]
    [InlineData("""{"Statement":{"Sid":"S3","Effect":"Allow","Action":"kms:*","Resource":"*","NotResource":"*"}}""", "S3|NotResource")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":1}}""", "Action")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":[1]}}""", "Action")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":{"a":"b"}}}""", "Resource")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"kms:*","NotResource":1}}""", "NotResource")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"kms:*","Principal":"someone"}}""", "Principal")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"kms:*","Principal":["*"]}}""", "Principal")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"kms:*","Principal":{"AWS":1}}}""", "Principal.AWS")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"kms:*","Principal":{"Service":[1]}}}""", "Principal.Service")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"kms:*","Principal":{"Federated":"x"}}}""", "Federated")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"kms:*","Condition":"x"}}""", "Condition")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"kms:*","Condition":{"NumericEquals":{"a":"1"}}}}""", "NumericEquals")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"kms:*","Condition":{"StringEquals":"x"}}}""", "StringEquals")]
    public void Parse_Malformed_SaysWhichStatementAndElementAreWrong(string json, string named)
    {
        var error = Assert.Throws<AwsServiceException>(() => PolicyParser.Parse(json));

        foreach (var part in named.Split('|'))
        {
            Assert.Contains(part, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_PolicyLongerThan32K_SaysTheLimit()
    {
        var error = Assert.Throws<AwsServiceException>(() => PolicyParser.Parse(new string(' ', PolicyParser.MaxPolicyLength) + "{}"));

        Assert.Contains("32768", error.Message, StringComparison.Ordinal);
    }

    private static AuthorizationRequest AliceRequest(string resource) =>
        new(new CallerIdentity("arn:aws:iam::111122223333:user/alice"), "kms:Decrypt", resource, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
}
