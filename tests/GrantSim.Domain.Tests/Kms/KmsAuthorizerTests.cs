using GrantSim.Aws;
using GrantSim.Iam;
using GrantSim.Identity;
using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Kms;

public sealed class KmsAuthorizerTests
{
    private static readonly IReadOnlyList<PolicyDocument> NoPolicies = [];

    private static readonly EncryptionContext RepoContext =
        EncryptionContext.Of(("aws:ecr:arn", RepositoryArn("app")), ("aws:s3:arn", "arn:aws:s3:::bucket/obj"));

    // ---- default customer managed key policy ----

    [Theory]
    [InlineData(KmsOperations.Decrypt)]
    [InlineData(KmsOperations.Encrypt)]
    [InlineData(KmsOperations.CreateGrant)]
    [InlineData(KmsOperations.ScheduleKeyDeletion)]
    [InlineData(KmsOperations.RevokeGrant)]
    public void DefaultPolicy_AllowsTheAccountRoot(string operation)
    {
        Assert.Same(KmsAuthorization.ByPolicy, Authorize(CustomerKey(), Root, operation));
    }

    [Fact]
    public void DefaultPolicy_IamUserWithoutIdentityPolicy_IsDenied()
    {
        var error = Assert.Throws<AwsServiceException>(() => Authorize(CustomerKey(), Alice, KmsOperations.Decrypt));

        Assert.Equal(AwsErrorCodes.AccessDenied, error.ErrorCode);
        Assert.Equal(
            $"User: {Alice.Principal} is not authorized to perform: kms:Decrypt on resource: {KeyArn} because no resource-based policy allows the kms:Decrypt action",
            error.Message);
    }

    [Fact]
    public void DefaultPolicy_IamUserWhoseIdentityPolicyAllows_IsAllowedForThatActionOnly()
    {
        var policies = Identity(Allow("kms:Decrypt", KeyArn));

        Assert.Same(KmsAuthorization.ByPolicy, Authorize(CustomerKey(), Alice, KmsOperations.Decrypt, policies: policies));
        Assert.Throws<AwsServiceException>(() => Authorize(CustomerKey(), Alice, KmsOperations.Encrypt, policies: policies));
    }

    [Fact]
    public void DefaultPolicy_IdentityPolicyForAnotherKey_DoesNotAllow()
    {
        var policies = Identity(Allow("kms:*", Arn.KmsKey(Region, Account, OtherKeyId).ToString()));

        Assert.Throws<AwsServiceException>(() => Authorize(CustomerKey(), Alice, KmsOperations.Decrypt, policies: policies));
    }

    [Fact]
    public void DefaultPolicy_PrincipalOfAnotherAccount_IsDeniedEvenWhenItsIamAllows()
    {
        var error = Assert.Throws<AwsServiceException>(() =>
            Authorize(CustomerKey(), OtherAlice, KmsOperations.Decrypt, policies: Identity(Allow("kms:*", "*"))));

        Assert.Equal(AwsErrorCodes.AccessDenied, error.ErrorCode);
        Assert.Throws<AwsServiceException>(() => Authorize(CustomerKey(), OtherRoot, KmsOperations.Decrypt));
    }

    [Fact]
    public void KeyPolicyNamingAnotherAccount_DelegatesToThatAccountsIam()
    {
        var key = CustomerKey(policy: KeyPolicy(
            $$"""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{OtherAccount}}:root"},"Action":"kms:Decrypt","Resource":"*"}"""));

        Assert.Same(KmsAuthorization.ByPolicy, Authorize(key, OtherAlice, KmsOperations.Decrypt, policies: Identity(Allow("kms:Decrypt", "*"))));
        Assert.Throws<AwsServiceException>(() => Authorize(key, OtherAlice, KmsOperations.Decrypt));
        Assert.Same(KmsAuthorization.ByPolicy, Authorize(key, OtherRoot, KmsOperations.Decrypt));
    }

    // ---- explicit deny ----

    [Fact]
    public void IamExplicitDeny_WinsOverAllowAndGrant()
    {
        var (book, _) = AddGrant(GrantBook.Empty, GrantRequest(grantee: Alice.Principal, operations: [KmsOperations.Decrypt]));
        var policies = Identity(Allow("kms:*", "*"), Deny("kms:Decrypt", "*"));

        var error = Assert.Throws<AwsServiceException>(() => Authorize(CustomerKey(), Alice, KmsOperations.Decrypt, book, policies));

        Assert.Equal(AwsErrorCodes.AccessDenied, error.ErrorCode);
        Assert.EndsWith("with an explicit deny", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyPolicyExplicitDeny_WinsOverAllowAndGrant()
    {
        var key = CustomerKey(policy: KeyPolicy(
            RootAllStatement,
            $$"""{"Effect":"Deny","Principal":{"AWS":"{{Alice.Principal}}"},"Action":"kms:Decrypt","Resource":"*"}"""));
        var (book, _) = AddGrant(GrantBook.Empty, GrantRequest(grantee: Alice.Principal, operations: [KmsOperations.Decrypt]));

        var error = Assert.Throws<AwsServiceException>(() => Authorize(key, Alice, KmsOperations.Decrypt, book, Identity(Allow("kms:*", "*"))));

        Assert.EndsWith("with an explicit deny", error.Message, StringComparison.Ordinal);
        Assert.Same(KmsAuthorization.ByPolicy, Authorize(key, Alice, KmsOperations.Encrypt, book, Identity(Allow("kms:*", "*"))));
    }

    [Fact]
    public void KeyPolicyDenyNamingTheAccount_DeniesEveryPrincipalOfIt()
    {
        var key = CustomerKey(policy: KeyPolicy(
            RootAllStatement,
            $$"""{"Effect":"Deny","Principal":{"AWS":"{{Account}}"},"Action":"kms:Decrypt","Resource":"*"}"""));

        Assert.Throws<AwsServiceException>(() => Authorize(key, Root, KmsOperations.Decrypt));
        Assert.Throws<AwsServiceException>(() => Authorize(key, Ci, KmsOperations.Decrypt, policies: Identity(Allow("kms:*", "*"))));
        Assert.Same(KmsAuthorization.ByPolicy, Authorize(key, Root, KmsOperations.Encrypt));
    }

    // ---- AWS managed key for ECR ----

    [Theory]
    [InlineData(KmsOperations.Decrypt)]
    [InlineData(KmsOperations.Encrypt)]
    [InlineData(KmsOperations.GenerateDataKey)]
    [InlineData(KmsOperations.CreateGrant)]
    public void AwsManagedEcrKey_DirectUse_IsDenied(string operation)
    {
        Assert.Throws<AwsServiceException>(() => Authorize(AwsManagedEcrKey(), Root, operation));
        Assert.Throws<AwsServiceException>(() => Authorize(AwsManagedEcrKey(), Alice, operation, policies: Identity(Allow("kms:*", "*"))));
    }

    [Theory]
    [InlineData(KmsOperations.Decrypt)]
    [InlineData(KmsOperations.Encrypt)]
    [InlineData(KmsOperations.GenerateDataKey)]
    [InlineData(KmsOperations.GenerateDataKeyWithoutPlaintext)]
    [InlineData(KmsOperations.ReEncryptFrom)]
    [InlineData(KmsOperations.ReEncryptTo)]
    [InlineData(KmsOperations.CreateGrant)]
    [InlineData(KmsOperations.DescribeKey)]
    public void AwsManagedEcrKey_ThroughEcrInItsRegion_IsAllowedForAnyPrincipalOfTheAccount(string operation)
    {
        Assert.Same(KmsAuthorization.ByPolicy, Authorize(AwsManagedEcrKey(), Alice.Via(EcrPrincipal), operation));
        Assert.Same(KmsAuthorization.ByPolicy, Authorize(AwsManagedEcrKey(), Ci.Via(EcrPrincipal), operation));
        Assert.Same(KmsAuthorization.ByPolicy, Authorize(AwsManagedEcrKey(), Root.Via(EcrPrincipal), operation));
    }

    [Fact]
    public void AwsManagedEcrKey_ThroughEcrOfAnotherRegion_IsDenied()
    {
        Assert.Throws<AwsServiceException>(() => Authorize(AwsManagedEcrKey(), Alice.Via("ecr.us-west-2.amazonaws.com"), KmsOperations.Decrypt));
        Assert.Throws<AwsServiceException>(() => Authorize(AwsManagedEcrKey(), Alice.Via("s3.us-east-1.amazonaws.com"), KmsOperations.Decrypt));
    }

    [Fact]
    public void AwsManagedEcrKey_PrincipalOfAnotherAccountThroughEcr_IsDenied()
    {
        Assert.Throws<AwsServiceException>(() => Authorize(AwsManagedEcrKey(), OtherAlice.Via(EcrPrincipal), KmsOperations.Decrypt, policies: Identity(Allow("kms:*", "*"))));
        Assert.Throws<AwsServiceException>(() => Authorize(AwsManagedEcrKey(), OtherRoot.Via(EcrPrincipal), KmsOperations.CreateGrant));
    }

    [Fact]
    public void AwsManagedEcrKey_RootMayDescribeAndRevokeDirectly()
    {
        Assert.Same(KmsAuthorization.ByPolicy, Authorize(AwsManagedEcrKey(), Root, KmsOperations.DescribeKey));
        Assert.Same(KmsAuthorization.ByPolicy, Authorize(AwsManagedEcrKey(), Root, KmsOperations.ListGrants));
        Assert.Same(KmsAuthorization.ByPolicy, Authorize(AwsManagedEcrKey(), Root, KmsOperations.RevokeGrant));
        Assert.Same(KmsAuthorization.ByPolicy, Authorize(AwsManagedEcrKey(), Alice, KmsOperations.DescribeKey, policies: Identity(Allow("kms:DescribeKey", "*"))));
        Assert.Throws<AwsServiceException>(() => Authorize(AwsManagedEcrKey(), Alice, KmsOperations.DescribeKey));
    }

    [Fact]
    public void AwsManagedEcrKey_EcrServicePrincipalWithoutGrant_IsDenied()
    {
        Assert.Throws<AwsServiceException>(() => Authorize(AwsManagedEcrKey(), new CallerIdentity(EcrPrincipal), KmsOperations.GenerateDataKey, context: RepoContext));
    }

    // ---- grants ----

    [Fact]
    public void Grant_AuthorizesTheServicePrincipalWithinItsConstraint()
    {
        var (book, grant) = AddGrant(GrantBook.Empty, GrantRequest(
            constraints: new GrantConstraints(EncryptionContextSubset: EncryptionContext.Of(("aws:ecr:arn", RepositoryArn("app"))))));
        var ecr = new CallerIdentity(EcrPrincipal);

        Assert.Equal(grant.GrantId, Authorize(AwsManagedEcrKey(), ecr, KmsOperations.GenerateDataKey, book, context: RepoContext).GrantId);
        Assert.Equal(grant.GrantId, Authorize(CustomerKey(), ecr, KmsOperations.Decrypt, book, context: RepoContext).GrantId);
        Assert.Throws<AwsServiceException>(() => Authorize(CustomerKey(), ecr, KmsOperations.Decrypt, book,
            context: EncryptionContext.Of(("aws:ecr:arn", RepositoryArn("other")))));
        Assert.Throws<AwsServiceException>(() => Authorize(CustomerKey(), ecr, KmsOperations.Encrypt, book, context: RepoContext));
    }

    [Fact]
    public void Grant_AuthorizesAnIamUserWithoutAnyPolicy()
    {
        var (book, grant) = AddGrant(GrantBook.Empty, GrantRequest(grantee: Alice.Principal, operations: [KmsOperations.Decrypt]));

        Assert.Equal(grant.GrantId, Authorize(CustomerKey(), Alice, KmsOperations.Decrypt, book).GrantId);
        Assert.Throws<AwsServiceException>(() => Authorize(CustomerKey(), Ci, KmsOperations.Decrypt, book));
    }

    [Fact]
    public void Grant_AuthorizesAGranteeOfAnotherAccount()
    {
        var (book, grant) = AddGrant(GrantBook.Empty, GrantRequest(grantee: OtherAlice.Principal, operations: [KmsOperations.Decrypt]));

        Assert.Equal(grant.GrantId, Authorize(CustomerKey(), OtherAlice, KmsOperations.Decrypt, book).GrantId);
    }

    [Fact]
    public void Grant_WithinThePropagationDelay_AuthorizesOnlyWithItsToken()
    {
        var (book, grant) = AddGrant(GrantBook.Empty, GrantRequest(grantee: Alice.Principal, operations: [KmsOperations.Decrypt]));
        var call = new KmsCall(Alice, KmsOperations.Decrypt);
        var delay = TimeSpan.FromMinutes(5);

        Assert.Throws<AwsServiceException>(() => KmsAuthorizer.Authorize(CustomerKey(), book, call, NoPolicies, T0.AddMinutes(1), delay));
        Assert.Equal(grant.GrantId,
            KmsAuthorizer.Authorize(CustomerKey(), book, call with { PresentedGrantIds = new HashSet<string> { grant.GrantId } }, NoPolicies, T0.AddMinutes(1), delay).GrantId);
    }

    [Fact]
    public void Grant_ForCreateGrant_CoversOnlyItsOwnOperations()
    {
        var (book, grant) = AddGrant(GrantBook.Empty, GrantRequest(grantee: Alice.Principal, operations: [KmsOperations.CreateGrant, KmsOperations.Decrypt]));
        var call = new KmsCall(Alice, KmsOperations.CreateGrant, RequestedGrantOperations: [KmsOperations.Decrypt]);

        Assert.Equal(grant.GrantId, KmsAuthorizer.Authorize(CustomerKey(), book, call, NoPolicies, T0, TimeSpan.Zero).GrantId);
        Assert.Throws<AwsServiceException>(() => KmsAuthorizer.Authorize(CustomerKey(), book,
            call with { RequestedGrantOperations = [KmsOperations.Encrypt] }, NoPolicies, T0, TimeSpan.Zero));
    }

    [Fact]
    public void Grant_DoesNotAuthorizeKeyAdministration()
    {
        var (book, _) = AddGrant(GrantBook.Empty, GrantRequest(grantee: Alice.Principal, operations: Generators.GrantableOperations));

        Assert.Throws<AwsServiceException>(() => Authorize(CustomerKey(), Alice, KmsOperations.DisableKey, book));
        Assert.Throws<AwsServiceException>(() => Authorize(CustomerKey(), Alice, KmsOperations.RevokeGrant, book));
    }

    // ---- condition keys ----

    [Fact]
    public void EncryptionContextCondition_AllowsOnlyMatchingContexts()
    {
        var key = CustomerKey(policy: KeyPolicy(
            $$"""
            {"Effect":"Allow","Principal":{"AWS":"{{Alice.Principal}}"},"Action":"kms:Decrypt","Resource":"*",
             "Condition":{"StringEquals":{"kms:EncryptionContext:team":"blue"} } }
            """));

        Assert.Same(KmsAuthorization.ByPolicy, Authorize(key, Alice, KmsOperations.Decrypt, context: EncryptionContext.Of(("team", "blue"), ("x", "y"))));
        Assert.Throws<AwsServiceException>(() => Authorize(key, Alice, KmsOperations.Decrypt, context: EncryptionContext.Of(("team", "Blue"))));
        Assert.Throws<AwsServiceException>(() => Authorize(key, Alice, KmsOperations.Decrypt, context: EncryptionContext.Of(("team", "red"))));
        Assert.Throws<AwsServiceException>(() => Authorize(key, Alice, KmsOperations.Decrypt));
    }

    [Fact]
    public void GrantIsForAwsResourceCondition_AllowsOnlyGrantsForAwsResources()
    {
        var key = CustomerKey(policy: KeyPolicy(
            $$"""
            {"Effect":"Allow","Principal":{"AWS":"{{Alice.Principal}}"},"Action":"kms:CreateGrant","Resource":"*",
             "Condition":{"Bool":{"kms:GrantIsForAWSResource":true} } }
            """));

        Assert.Same(KmsAuthorization.ByPolicy,
            KmsAuthorizer.Authorize(key, GrantBook.Empty, new KmsCall(Alice, KmsOperations.CreateGrant, GrantIsForAwsResource: true), NoPolicies, T0, TimeSpan.Zero));
        Assert.Throws<AwsServiceException>(() =>
            KmsAuthorizer.Authorize(key, GrantBook.Empty, new KmsCall(Alice, KmsOperations.CreateGrant), NoPolicies, T0, TimeSpan.Zero));
    }

    [Fact]
    public void GrantIsForAwsResourceConditionFalse_AllowsOnlyGrantsNotForAwsResources()
    {
        var key = CustomerKey(policy: KeyPolicy(
            $$"""
            {"Effect":"Allow","Principal":{"AWS":"{{Alice.Principal}}"},"Action":"kms:CreateGrant","Resource":"*",
             "Condition":{"Bool":{"kms:GrantIsForAWSResource":false} } }
            """));

        Assert.Same(KmsAuthorization.ByPolicy,
            KmsAuthorizer.Authorize(key, GrantBook.Empty, new KmsCall(Alice, KmsOperations.CreateGrant), NoPolicies, T0, TimeSpan.Zero));
        Assert.Throws<AwsServiceException>(() =>
            KmsAuthorizer.Authorize(key, GrantBook.Empty, new KmsCall(Alice, KmsOperations.CreateGrant, GrantIsForAwsResource: true), NoPolicies, T0, TimeSpan.Zero));
    }

    [Fact]
    public void ConditionContext_HoldsCallerServiceAndEncryptionContext()
    {
        var context = KmsAuthorizer.ConditionContext(new KmsCall(Alice.Via(EcrPrincipal), KmsOperations.CreateGrant, EncryptionContext.Of(("Team", "blue")), GrantIsForAwsResource: true));

        Assert.Equal(Alice.Principal, context["aws:PrincipalArn"]);
        Assert.Equal(Account, context["kms:CallerAccount"]);
        Assert.Equal(Account, context["aws:PrincipalAccount"]);
        Assert.Equal(EcrPrincipal, context["KMS:VIASERVICE"]);
        Assert.Equal("true", context["kms:GrantIsForAWSResource"]);
        Assert.Equal("blue", context["kms:EncryptionContext:Team"]);
    }

    [Fact]
    public void ConditionContext_OfAServiceCallWithoutGrantOperation_HasNoAccountNorGrantKey()
    {
        var context = KmsAuthorizer.ConditionContext(new KmsCall(new CallerIdentity(EcrPrincipal), KmsOperations.Decrypt));

        Assert.False(context.ContainsKey("kms:CallerAccount"));
        Assert.False(context.ContainsKey("kms:ViaService"));
        Assert.False(context.ContainsKey("kms:GrantIsForAWSResource"));
        Assert.Equal(EcrPrincipal, context["aws:PrincipalArn"]);
    }

    // ---- retire permission ----

    [Fact]
    public void IdentityAllowsRetire_OnlyFromAnIdentityPolicyThatAllowsAndNoneDenies()
    {
        Assert.False(KmsAuthorizer.IdentityAllowsRetire(CustomerKey(), Alice, NoPolicies));
        Assert.True(KmsAuthorizer.IdentityAllowsRetire(CustomerKey(), Alice, Identity(Allow("kms:RetireGrant", KeyArn))));
        Assert.True(KmsAuthorizer.IdentityAllowsRetire(CustomerKey(), Alice, Identity(Allow("kms:Retire*", "*"))));
        Assert.False(KmsAuthorizer.IdentityAllowsRetire(CustomerKey(), Alice, Identity(Allow("kms:*", "*"), Deny("kms:RetireGrant", "*"))));
        Assert.False(KmsAuthorizer.IdentityAllowsRetire(CustomerKey(), Alice, Identity(Allow("kms:Decrypt", "*"))));
    }

    [Fact]
    public void IdentityAllowsRetire_IgnoresTheKeyPolicy()
    {
        var key = CustomerKey(policy: KeyPolicy(
            $$"""{"Effect":"Allow","Principal":{"AWS":"{{Alice.Principal}}"},"Action":"kms:RetireGrant","Resource":"*"}"""));

        Assert.False(KmsAuthorizer.IdentityAllowsRetire(key, Alice, NoPolicies));
    }

    // ---- helpers ----

    private const string RootAllStatement = $$"""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"kms:*","Resource":"*"}""";

    private static KmsAuthorization Authorize(
        KmsKey key, CallerIdentity caller, string operation, GrantBook? grants = null, IReadOnlyList<PolicyDocument>? policies = null, EncryptionContext? context = null) =>
        KmsAuthorizer.Authorize(key, grants ?? GrantBook.Empty, new KmsCall(caller, operation, context), policies ?? NoPolicies, T0, TimeSpan.Zero);

    private static string KeyPolicy(params string[] statements) =>
        $$"""{"Version":"2012-10-17","Statement":[{{string.Join(",", statements)}}]}""";

    private static IReadOnlyList<PolicyDocument> Identity(params string[] statements) =>
        [PolicyParser.Parse($$"""{"Version":"2012-10-17","Statement":[{{string.Join(",", statements)}}]}""")];

    private static string Allow(string action, string resource) => $$"""{"Effect":"Allow","Action":"{{action}}","Resource":"{{resource}}"}""";

    private static string Deny(string action, string resource) => $$"""{"Effect":"Deny","Action":"{{action}}","Resource":"{{resource}}"}""";
}
