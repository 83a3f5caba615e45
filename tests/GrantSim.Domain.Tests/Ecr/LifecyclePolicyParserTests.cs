using GrantSim.Aws;
using GrantSim.Ecr;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class LifecyclePolicyParserTests
{
    private const string Prefix = "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ";

    public static string Rule(int priority, string selection, string action = """{"type":"expire"}""", string description = "") =>
        $$"""{"rulePriority":{{priority}},{{description}}"selection":{{selection}},"action":{{action}}}""";

    public static string Policy(params string[] rules) => $$"""{"rules":[{{string.Join(",", rules)}}]}""";

    [Fact]
    public void Parse_TheGuidesExamples_InPriorityOrder()
    {
        var policy = LifecyclePolicyParser.Parse(Policy(
            Rule(2, """{"tagStatus":"tagged","tagPrefixList":["beta"],"countType":"imageCountMoreThan","countNumber":1}""", description: "\"description\":\"Rule 2\","),
            Rule(1, """{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14}"""),
            Rule(3, """{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5,"storageClass":"standard"}""")));

        Assert.Equal([1, 2, 3], policy.Rules.Select(r => r.Priority));
        Assert.Equal(LifecycleTagStatus.Untagged, policy.Rules[0].TagStatus);
        Assert.Equal(LifecycleCountType.SinceImagePushed, policy.Rules[0].CountType);
        Assert.Equal(14, policy.Rules[0].CountNumber);
        Assert.Equal(["beta"], policy.Rules[1].TagPrefixes);
        Assert.Equal("Rule 2", policy.Rules[1].Description);
        Assert.Equal(LifecycleTagStatus.Any, policy.Rules[2].TagStatus);
    }

    [Fact]
    public void Parse_APatternWithFourWildcards_IsAccepted_AndFiveAreRefused()
    {
        Assert.Equal(["*test*1*2*3"], LifecyclePolicyParser.Parse(Policy(Rule(1, """{"tagStatus":"tagged","tagPatternList":["*test*1*2*3"],"countType":"imageCountMoreThan","countNumber":1}"""))).Rules[0].TagPatterns);

        Refused(Policy(Rule(1, """{"tagStatus":"tagged","tagPatternList":["test*1*2*3*4*"],"countType":"imageCountMoreThan","countNumber":1}""")), "more than 4 wildcards");
    }

    public static TheoryData<string, string> InvalidPolicies => new()
    {
        { "not json", "Could not map policyString into LifecyclePolicy." },
        { "[1]", "Could not map policyString into LifecyclePolicy." },
        { "{}", "object has missing required properties ([\"rules\"])" },
        { """{"rules":[]}""", "array is too short" },
        { """{"rules":{}}""", "allowed: [\"array\"]" },
        { Policy("""{"rulePriority":1,"action":{"type":"expire"}}"""), "missing required properties ([\"selection\"])" },
        { Policy(Rule(1, """{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1}""").Replace("\"action\"", "\"extra\":1,\"action\"", StringComparison.Ordinal)), "not allowed by the schema: ([\"extra\"])" },
        { Policy(Rule(0, """{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1}""")), "lower than the required minimum (minimum: 1, found: 0)" },
        { Policy(Rule(1, """{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":0}""")), "lower than the required minimum (minimum: 1, found: 0)" },
        { Policy(Rule(1, """{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":"3"}""")), "allowed: [\"integer\"]" },
        { Policy(Rule(1, """{"tagStatus":"TAGGED","tagPrefixList":["a"],"countType":"imageCountMoreThan","countNumber":1}""")), "instance value (\"TAGGED\") not found in enum" },
        { Policy(Rule(1, """{"tagStatus":"any","countType":"imageCountLessThan","countNumber":1}""")), "not found in enum" },
        { Policy(Rule(1, """{"tagStatus":"any","countType":"sinceImagePushed","countNumber":1}""")), "countUnit is required" },
        { Policy(Rule(1, """{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"hours","countNumber":1}""")), "instance value (\"hours\") not found in enum" },
        { Policy(Rule(1, """{"tagStatus":"any","countType":"imageCountMoreThan","countUnit":"days","countNumber":1}""")), "countUnit must not be specified" },
        { Policy(Rule(1, """{"tagStatus":"tagged","countType":"imageCountMoreThan","countNumber":1}""")), "Exactly one of tagPrefixList or tagPatternList" },
        { Policy(Rule(1, """{"tagStatus":"tagged","tagPrefixList":["a"],"tagPatternList":["a*"],"countType":"imageCountMoreThan","countNumber":1}""")), "Exactly one of tagPrefixList or tagPatternList" },
        { Policy(Rule(1, """{"tagStatus":"untagged","tagPrefixList":["a"],"countType":"imageCountMoreThan","countNumber":1}""")), "must not be specified when tagStatus is untagged" },
        { Policy(Rule(1, """{"tagStatus":"tagged","tagPrefixList":[],"countType":"imageCountMoreThan","countNumber":1}""")), "tagPrefixList must not be empty" },
        { Policy(Rule(1, """{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1}""", """{"type":"delete"}""")), "instance value (\"delete\") not found in enum" },
        { Policy(Rule(1, """{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1}""", """{"type":"expire","targetStorageClass":"archive"}""")), "targetStorageClass must not be specified" },
        {
            Policy(Rule(1, """{"tagStatus":"tagged","tagPrefixList":["a"],"countType":"imageCountMoreThan","countNumber":1}"""),
                Rule(1, """{"tagStatus":"tagged","tagPrefixList":["b"],"countType":"imageCountMoreThan","countNumber":1}""")),
            "The rulePriority 1 is used by more than one rule"
        },
        {
            Policy(Rule(1, """{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1}"""),
                Rule(2, """{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1}""")),
            "Only one rule can select Untagged images."
        },
        {
            Policy(Rule(1, """{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1}"""),
                Rule(2, """{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1}""")),
            "Rule for tagStatus=ANY must have the lowest priority"
        },
        {
            Policy(Rule(1, """{"tagStatus":"tagged","tagPrefixList":["a","b"],"countType":"imageCountMoreThan","countNumber":1}"""),
                Rule(2, """{"tagStatus":"tagged","tagPrefixList":["b","a"],"countType":"sinceImagePushed","countUnit":"days","countNumber":1}""")),
            "unique set of tag prefixes"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidPolicies))]
    public void Parse_AnInvalidPolicy_IsInvalidParameterInEcrsWording(string text, string detail)
    {
        Refused(text, detail);
    }

    [Theory]
    [InlineData("""{"tagStatus":"any","countType":"sinceImagePulled","countUnit":"days","countNumber":1}""", "countType sinceImagePulled")]
    [InlineData("""{"tagStatus":"any","countType":"sinceImageTransitioned","countUnit":"days","countNumber":1,"storageClass":"archive"}""", "countType sinceImageTransitioned")]
    [InlineData("""{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1,"storageClass":"archive"}""", "storageClass archive")]
    public void Parse_WhatGrantSimDoesNotSimulate_IsRefusedPlainly(string selection, string what)
    {
        var error = Assert.Throws<AwsServiceException>(() => LifecyclePolicyParser.Parse(Policy(Rule(1, selection))));

        Assert.Equal(AwsErrorCodes.InvalidParameter, error.ErrorCode);
        Assert.Contains("GrantSim does not simulate", error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ATransitionAction_IsRefusedPlainly()
    {
        var error = Assert.Throws<AwsServiceException>(() => LifecyclePolicyParser.Parse(Policy(
            Rule(1, """{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1}""", """{"type":"transition","targetStorageClass":"archive"}"""))));

        Assert.Contains("GrantSim does not simulate lifecycle policies with action type transition", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MoreRulesThanTheQuota_IsRefused()
    {
        var rules = Enumerable.Range(1, LifecyclePolicyParser.MaxRules + 1)
            .Select(i => Rule(i, $$"""{"tagStatus":"tagged","tagPrefixList":["p{{i}}"],"countType":"imageCountMoreThan","countNumber":1}""")).ToArray();

        Refused(Policy(rules), "array is too long: must have at most 50 elements");
        LifecyclePolicyParser.Parse(Policy(rules[..LifecyclePolicyParser.MaxRules]));
    }

    [Theory]
    [InlineData("prod*", "prod", true)]
    [InlineData("prod*", "prod-1", true)]
    [InlineData("prod*", "pro", false)]
    [InlineData("*-rc*", "v1-rc2", true)]
    [InlineData("*-rc*", "v1-final", false)]
    [InlineData("v*.*.*", "v1.2.3", true)]
    [InlineData("v*.*.*", "v1.2", false)]
    [InlineData("latest", "latest", true)]
    [InlineData("latest", "latest1", false)]
    [InlineData("*", "anything", true)]
    public void TagPattern_MatchesAsEcrDescribes(string pattern, string tag, bool matches)
    {
        Assert.Equal(matches, TagPattern.Matches(pattern, tag));
    }

    /// <summary>The wildcard matcher agrees with a regular expression built from the pattern, over a small alphabet where stars meet repeats.</summary>
    [Property(MaxTest = 500)]
    public bool TagPattern_AgreesWithARegularExpression(byte[] patternBytes, byte[] tagBytes)
    {
        var pattern = new string((patternBytes ?? []).Take(8).Select(b => "ab*"[b % 3]).ToArray());
        var tag = new string((tagBytes ?? []).Take(10).Select(b => "ab"[b % 2]).ToArray());
        var regex = "^" + string.Concat(pattern.Select(c => c == '*' ? ".*" : c.ToString())) + "$";
        return TagPattern.Matches(pattern, tag) == System.Text.RegularExpressions.Regex.IsMatch(tag, regex);
    }

    private static void Refused(string text, string detail)
    {
        var error = Assert.Throws<AwsServiceException>(() => LifecyclePolicyParser.Parse(text));
        Assert.Equal(AwsErrorCodes.InvalidParameter, error.ErrorCode);
        Assert.StartsWith(Prefix, error.Message, StringComparison.Ordinal);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
        Assert.EndsWith("'", error.Message, StringComparison.Ordinal);
    }
}
