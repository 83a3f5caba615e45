using System.Text.Json;
using GrantSim.Aws;
using GrantSim.Ecr;
using GrantSim.Iam;
using GrantSim.Identity;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class RepositoryPoliciesTests
{
    private const string Pull = "ecr:BatchGetImage";

    private static readonly CallerIdentity[] Callers = [Alice, Ci, Root, OtherAlice, OtherRoot];

    // Principal values a repository policy statement may name: a principal, an account (two spellings), everyone.
    private static readonly string[] PrincipalValues = [Alice.Principal, OtherAlice.Principal, $"arn:aws:iam::{Account}:root", OtherAccount, "*"];

    private static readonly string[] ActionPatterns = [Pull, "ecr:*", "ecr:Batch*", "ecr:PutImage", "*"];

    // ---- validation ----

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}]}""")]
    [InlineData("""{"Statement":{"Sid":"one","Effect":"Deny","Principal":{"AWS":["444455556666"]},"Action":["ecr:*","*"]}}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"NotAction":"ecr:DeleteRepository"}]}""")]
    public void Validate_AcceptsRepositoryPolicies(string policy) => Assert.NotEmpty(RepositoryPolicies.Validate(policy).Statements);

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("""{"Statement":[]}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":[]}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":{"Federated":"x"},"Action":"ecr:*"}]}""")]
    public void Validate_RefusesWhatIsNotARepositoryPolicy_WithEcrsInvalidParameter(string policy)
    {
        var error = Assert.Throws<AwsServiceException>(() => RepositoryPolicies.Validate(policy));
        Assert.Equal(AwsErrorCodes.InvalidParameter, error.ErrorCode);
        Assert.Equal("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'", error.Message);
    }

    [Fact]
    public void Validate_RefusesATextLongerThanEcrsLimit()
    {
        var padded = """{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*"}]}""".PadRight(RepositoryPolicies.MaxPolicyLength + 1);
        Assert.Equal(AwsErrorCodes.InvalidParameter, Assert.Throws<AwsServiceException>(() => RepositoryPolicies.Validate(padded)).ErrorCode);
    }

    // ---- the state ----

    [Fact]
    public void SetRequireDelete_KeepTheTextAndRefuseWhatIsMissing()
    {
        var state = RepositoryLifecycle.CreateAes256(Guid.NewGuid(), T0, Ci.Principal);
        Assert.Equal(AwsErrorCodes.RepositoryPolicyNotFound, Assert.Throws<AwsServiceException>(() => RepositoryPolicies.Require(state, Account, "app")).ErrorCode);
        var text = Policy(("Allow", "*", Pull));
        var set = RepositoryPolicies.Set(state, text);
        Assert.Equal(text, RepositoryPolicies.Require(set, Account, "app"));
        Assert.Null(RepositoryPolicies.Delete(set, Account, "app").Policy);
        Assert.Equal(AwsErrorCodes.RepositoryPolicyNotFound, Assert.Throws<AwsServiceException>(() => RepositoryPolicies.Delete(state, Account, "app")).ErrorCode);
        Assert.Throws<AwsServiceException>(() => RepositoryPolicies.Set(set, "{}"));
    }

    // ---- evaluation ----

    [Fact]
    public void Decide_AnotherAccountWithoutARepositoryPolicy_IsRefusedWhateverItsOwnPoliciesSay()
    {
        var decision = RepositoryPolicies.Decide(Access(OtherRoot), [], null);
        Assert.Equal(RepositoryAccessDecision.NoRepositoryPolicyAllows, decision);
        var error = Assert.Throws<AwsServiceException>(() => RepositoryPolicies.Authorize(Access(OtherAlice), [Identity(("Allow", "*"))], null));
        Assert.Equal($"User: {OtherAlice.Principal} is not authorized to perform: ecr:BatchGetImage on resource: {RepositoryArn()} because no resource-based policy allows the ecr:BatchGetImage action", error.Message);
    }

    [Fact]
    public void Decide_AStatementNamingAnotherAccount_LetsThatAccountsPrincipalsWhoseOwnPoliciesAllow()
    {
        var policy = Policy(("Allow", OtherAccount, Pull));
        Assert.Equal(RepositoryAccessDecision.Allowed, RepositoryPolicies.Decide(Access(OtherAlice), [Identity(("Allow", "ecr:*"))], policy));
        Assert.Equal(RepositoryAccessDecision.Allowed, RepositoryPolicies.Decide(Access(OtherRoot), [], policy));
        Assert.Equal(RepositoryAccessDecision.NoIdentityPolicyAllows, RepositoryPolicies.Decide(Access(OtherAlice), [], policy));
        Assert.Equal(RepositoryAccessDecision.NoRepositoryPolicyAllows, RepositoryPolicies.Decide(Access(OtherAlice, "ecr:PutImage"), [Identity(("Allow", "ecr:*"))], policy));
    }

    [Fact]
    public void Decide_WithinTheAccount_EitherPolicySuffices()
    {
        Assert.Equal(RepositoryAccessDecision.Allowed, RepositoryPolicies.Decide(Access(Alice), [], Policy(("Allow", Alice.Principal, Pull))));
        Assert.Equal(RepositoryAccessDecision.Allowed, RepositoryPolicies.Decide(Access(Alice), [Identity(("Allow", Pull))], null));
        // Naming the account (not Alice) defers to IAM, which says nothing here.
        Assert.Equal(RepositoryAccessDecision.NoIdentityPolicyAllows, RepositoryPolicies.Decide(Access(Alice), [], Policy(("Allow", Account, Pull))));
        Assert.Equal(RepositoryAccessDecision.ExplicitDenyInRepositoryPolicy, RepositoryPolicies.Decide(Access(Root), [], Policy(("Deny", Account, "ecr:*"))));
    }

    [Fact]
    public void WouldLockOut_WhenTheNewPolicyDeniesTheCallerSettingAPolicy()
    {
        Assert.True(RepositoryPolicies.WouldLockOut(Ci, Account, RepositoryArn(), [Identity(("Allow", "ecr:*"))], Policy(("Deny", Ci.Principal, "ecr:SetRepositoryPolicy"))));
        Assert.False(RepositoryPolicies.WouldLockOut(Ci, Account, RepositoryArn(), [Identity(("Allow", "ecr:*"))], Policy(("Deny", Alice.Principal, "ecr:*"))));
        // Another account keeps setting policies only while the new one still lets it.
        Assert.True(RepositoryPolicies.WouldLockOut(OtherRoot, Account, RepositoryArn(), [], Policy(("Allow", OtherAccount, Pull))));
        Assert.False(RepositoryPolicies.WouldLockOut(OtherRoot, Account, RepositoryArn(), [], Policy(("Allow", OtherAccount, "ecr:*"))));
    }

    /// <summary>
    /// Random callers, identity policies and repository policies against ECR's rules, restated over sets: explicit
    /// deny anywhere refuses; same account, an allow by either; another account, an allow by both (the repository
    /// policy naming the caller, its account or everyone).
    /// </summary>
    [Property(MaxTest = 500)]
    public bool Decide_AgreesWithEcrsRules(byte caller, byte[] identityStatements, byte[] resourceStatements, bool noRepositoryPolicy)
    {
        var who = Callers[caller % Callers.Length];
        var identity = identityStatements.Take(4).Select(b => (Effect: b % 3 == 0 ? "Deny" : "Allow", Action: ActionPatterns[(b / 3) % ActionPatterns.Length])).ToArray();
        var resource = resourceStatements.Take(4)
            .Select(b => (Effect: b % 3 == 0 ? "Deny" : "Allow", Principal: PrincipalValues[(b / 3) % PrincipalValues.Length], Action: ActionPatterns[(b / 15) % ActionPatterns.Length]))
            .ToArray();
        var policy = noRepositoryPolicy || resource.Length == 0 ? null : Policy(resource);
        var identityPolicies = identity.Length == 0 ? Array.Empty<PolicyDocument>() : [Identity(identity)];

        var actual = RepositoryPolicies.Decide(Access(who), identityPolicies, policy);

        bool Acts(string pattern) => pattern == "*" || pattern == "ecr:*" || pattern == "ecr:Batch*" || pattern == Pull;
        bool Names(string principal) => principal == "*" || principal == who.Principal
            || principal == who.Account || principal == $"arn:aws:iam::{who.Account}:root";
        bool NamesDirectly(string principal) => principal == "*" || principal == who.Principal || (who.Kind == PrincipalKind.AccountRoot && Names(principal));
        var isRoot = who.Kind == PrincipalKind.AccountRoot;
        var identityDeny = !isRoot && identity.Any(s => s.Effect == "Deny" && Acts(s.Action));
        var identityAllow = isRoot || identity.Any(s => s.Effect == "Allow" && Acts(s.Action));
        var statements = policy is null ? [] : resource;
        var resourceDeny = statements.Any(s => s.Effect == "Deny" && Acts(s.Action) && Names(s.Principal));
        var resourceAllowsDirectly = statements.Any(s => s.Effect == "Allow" && Acts(s.Action) && NamesDirectly(s.Principal));
        var resourceNames = statements.Any(s => s.Effect == "Allow" && Acts(s.Action) && Names(s.Principal));
        var expectedAllowed = !identityDeny && !resourceDeny
            && (who.Account == Account ? identityAllow || resourceAllowsDirectly : identityAllow && resourceNames);
        return (actual == RepositoryAccessDecision.Allowed) == expectedAllowed
            && (!identityDeny || actual == RepositoryAccessDecision.ExplicitDenyInIdentityPolicy)
            && (identityDeny || !resourceDeny || actual == RepositoryAccessDecision.ExplicitDenyInRepositoryPolicy);
    }

    /// <summary>Adding an Allow to a repository policy never takes a permission away; adding a Deny never gives one.</summary>
    [Property(MaxTest = 300)]
    public bool Decide_IsMonotoneInTheRepositoryPolicy(byte caller, byte[] resourceStatements, byte added, bool identityAllows)
    {
        var who = Callers[caller % Callers.Length];
        var resource = resourceStatements.Take(3)
            .Select(b => (Effect: b % 2 == 0 ? "Deny" : "Allow", Principal: PrincipalValues[(b / 2) % PrincipalValues.Length], Action: ActionPatterns[(b / 10) % ActionPatterns.Length]))
            .ToList();
        var identityPolicies = identityAllows ? new[] { Identity(("Allow", "ecr:*")) } : [];
        var before = RepositoryPolicies.Decide(Access(who), identityPolicies, resource.Count == 0 ? null : Policy([.. resource])) == RepositoryAccessDecision.Allowed;
        var extra = (Principal: PrincipalValues[added % PrincipalValues.Length], Action: ActionPatterns[(added / 5) % ActionPatterns.Length]);
        var withAllow = RepositoryPolicies.Decide(Access(who), identityPolicies, Policy([.. resource, ("Allow", extra.Principal, extra.Action)])) == RepositoryAccessDecision.Allowed;
        var withDeny = RepositoryPolicies.Decide(Access(who), identityPolicies, Policy([.. resource, ("Deny", extra.Principal, extra.Action)])) == RepositoryAccessDecision.Allowed;
        return (!before || withAllow) && (before || !withDeny);
    }

    private static RepositoryAccess Access(CallerIdentity caller, string action = Pull) => new(caller, Account, RepositoryArn(), action);

    private static string Policy(params (string Effect, string Principal, string Action)[] statements) =>
        JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = statements.Select(s => new { s.Effect, Principal = new { AWS = s.Principal }, s.Action }).ToArray(),
        });

    private static PolicyDocument Identity(params (string Effect, string Action)[] statements) =>
        PolicyParser.Parse(JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = statements.Select(s => new { s.Effect, s.Action, Resource = "*" }).ToArray(),
        }));
}
