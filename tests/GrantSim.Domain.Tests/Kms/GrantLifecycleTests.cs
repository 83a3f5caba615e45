using GrantSim.Aws;
using GrantSim.Identity;
using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Kms;

public sealed class GrantLifecycleTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMinutes(5);

    private static readonly Lazy<GrantBook> FullBook = new(() =>
        GrantBook.From(Enumerable.Range(0, GrantLifecycle.MaxGrantsPerCustomerKey).Select(i => ActiveGrant(i))));

    // ---- Validate ----

    [Fact]
    public void Validate_NoOperations_IsValidationException()
    {
        var error = Assert.Throws<AwsServiceException>(() => GrantLifecycle.Validate(GrantRequest(operations: [])));

        Assert.Equal(AwsErrorCodes.Validation, error.ErrorCode);
        Assert.Contains("operations", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NullOperations_IsValidationException()
    {
        var request = GrantRequest() with { Operations = null! };

        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => GrantLifecycle.Validate(request)).ErrorCode);
    }

    [Theory]
    [InlineData(KmsOperations.ScheduleKeyDeletion)]
    [InlineData(KmsOperations.RevokeGrant)]
    [InlineData(KmsOperations.ListGrants)]
    [InlineData(KmsOperations.EnableKey)]
    [InlineData(KmsOperations.TagResource)]
    [InlineData("decrypt")]
    [InlineData("")]
    public void Validate_NonGrantableOperation_IsValidationException(string operation)
    {
        var error = Assert.Throws<AwsServiceException>(() => GrantLifecycle.Validate(GrantRequest(operations: [KmsOperations.Decrypt, operation])));

        Assert.Equal(AwsErrorCodes.Validation, error.ErrorCode);
        Assert.Contains($"'[{operation}]'", error.Message, StringComparison.Ordinal);
    }

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool Validate_AnyGrantableOperations_AreKeptDistinctAndOrdered(Generators.GrantOperations operations)
    {
        var validated = GrantLifecycle.Validate(GrantRequest(operations: operations.Values));
        return validated.Operations.SequenceEqual(operations.Values.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_EveryGrantableOperation_IsAccepted()
    {
        var validated = GrantLifecycle.Validate(GrantRequest(operations: [.. KmsOperations.Grantable]));

        Assert.Equal(17, validated.Operations.Count);
        Assert.Equal(KmsOperations.Grantable.Order(StringComparer.Ordinal), validated.Operations);
    }

    [Fact]
    public void Validate_EightConstraintPairs_IsAccepted()
    {
        var eight = Context(8);

        var validated = GrantLifecycle.Validate(GrantRequest(constraints: new GrantConstraints(EncryptionContextSubset: eight, EncryptionContextEquals: eight)));

        Assert.Equal(eight, validated.Constraints!.EncryptionContextSubset);
    }

    [Fact]
    public void Validate_NineConstraintPairs_IsValidationException()
    {
        var nine = Context(9);

        Assert.Equal(AwsErrorCodes.Validation,
            Assert.Throws<AwsServiceException>(() => GrantLifecycle.Validate(GrantRequest(constraints: new GrantConstraints(EncryptionContextSubset: nine)))).ErrorCode);
        Assert.Equal(AwsErrorCodes.Validation,
            Assert.Throws<AwsServiceException>(() => GrantLifecycle.Validate(GrantRequest(constraints: new GrantConstraints(EncryptionContextEquals: nine)))).ErrorCode);
    }

    [Fact]
    public void Validate_EmptyConstraints_BecomeNoConstraints()
    {
        Assert.Null(GrantLifecycle.Validate(GrantRequest(constraints: new GrantConstraints())).Constraints);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("ecr:0123456789abcdef:registry")]
    [InlineData("Team/Blue_grant-1")]
    public void Validate_NameOfTheAllowedCharacters_IsAccepted(string name)
    {
        Assert.Equal(name, GrantLifecycle.Validate(GrantRequest(name: name)).Name);
    }

    [Fact]
    public void Validate_NameOf256Characters_IsAccepted_And257_IsNot()
    {
        Assert.NotNull(GrantLifecycle.Validate(GrantRequest(name: new string('n', 256))).Name);
        Assert.Equal(AwsErrorCodes.Validation,
            Assert.Throws<AwsServiceException>(() => GrantLifecycle.Validate(GrantRequest(name: new string('n', 257)))).ErrorCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("dot.ted")]
    [InlineData("star*")]
    [InlineData("émile")]
    public void Validate_NameOutsideThePattern_IsValidationException(string name)
    {
        var error = Assert.Throws<AwsServiceException>(() => GrantLifecycle.Validate(GrantRequest(name: name)));

        Assert.Equal(AwsErrorCodes.Validation, error.ErrorCode);
        Assert.Contains("'name'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NameEndingInANewline_IsValidationException()
    {
        Assert.Equal(AwsErrorCodes.Validation,
            Assert.Throws<AwsServiceException>(() => GrantLifecycle.Validate(GrantRequest(name: "ci\n"))).ErrorCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("alice")]
    [InlineData("arn:aws:iam::1234:root")]
    [InlineData("arn:aws:iam::111122223333:group/admins")]
    [InlineData(".amazonaws.com")]
    public void Validate_MalformedGrantee_IsValidationException(string grantee)
    {
        var error = Assert.Throws<AwsServiceException>(() => GrantLifecycle.Validate(GrantRequest(grantee: grantee)));

        Assert.Equal(AwsErrorCodes.Validation, error.ErrorCode);
        Assert.Contains("granteePrincipal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_GranteeLongerThan256_IsValidationException()
    {
        var longRole = "arn:aws:iam::111122223333:role/" + new string('r', 240);

        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => GrantLifecycle.Validate(GrantRequest(grantee: longRole))).ErrorCode);
    }

    [Fact]
    public void Validate_MalformedRetiringPrincipal_IsValidationException()
    {
        var error = Assert.Throws<AwsServiceException>(() => GrantLifecycle.Validate(GrantRequest(retiring: "bob")));

        Assert.Equal(AwsErrorCodes.Validation, error.ErrorCode);
        Assert.Contains("retiringPrincipal", error.Message, StringComparison.Ordinal);
    }

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool Validate_AnyWellFormedPrincipal_IsAccepted(Generators.Principal grantee, Generators.Principal retiring)
    {
        var validated = GrantLifecycle.Validate(GrantRequest(grantee: grantee.Value, retiring: retiring.Value));
        return validated.GranteePrincipal == grantee.Value && validated.RetiringPrincipal == retiring.Value;
    }

    [Fact]
    public void Validate_TenGrantTokens_IsAccepted_AndElevenIsNot()
    {
        var ten = Enumerable.Repeat("token", GrantTokens.MaxTokensPerRequest).ToArray();

        Assert.NotNull(GrantLifecycle.Validate(GrantRequest() with { GrantTokens = ten }));
        Assert.Equal(AwsErrorCodes.Validation,
            Assert.Throws<AwsServiceException>(() => GrantLifecycle.Validate(GrantRequest() with { GrantTokens = [.. ten, "one more"] })).ErrorCode);
    }

    // ---- Create ----

    [Fact]
    public void Create_NewGrant_IsActiveWithTheRequestedParameters()
    {
        var constraints = new GrantConstraints(EncryptionContextSubset: EncryptionContext.Of(("aws:ecr:arn", RepositoryArn())));
        var request = GrantLifecycle.Validate(GrantRequest(retiring: EcrPrincipal, constraints: constraints, name: "ecr:1:registry"));

        var creation = GrantLifecycle.Create(GrantBook.Empty, CustomerKey(), request, Account, T0, "a".PadLeft(64, '0'));

        Assert.True(creation.IsNew);
        var grant = creation.Grant;
        Assert.Equal("a".PadLeft(64, '0'), grant.GrantId);
        Assert.Equal(0, grant.Sequence);
        Assert.Equal(GrantStatus.Active, grant.Status);
        Assert.Equal(EcrPrincipal, grant.GranteePrincipal);
        Assert.Equal(EcrPrincipal, grant.RetiringPrincipal);
        Assert.Equal(Account, grant.IssuingAccount);
        Assert.Equal(T0, grant.CreationDate);
        Assert.Equal(constraints, grant.Constraints);
        Assert.Equal(new[] { KmsOperations.Decrypt, KmsOperations.GenerateDataKey }, grant.Operations);
        Assert.Same(grant, creation.Book.Find(grant.GrantId));
        Assert.Equal(1, creation.Book.ActiveCount);
    }

    [Fact]
    public void Create_SameNameAndSameParameters_ReturnsTheSameGrant()
    {
        var request = GrantRequest(name: "ci", constraints: new GrantConstraints(EncryptionContextSubset: EncryptionContext.Of(("a", "1"), ("b", "2"))));
        var (book, first) = AddGrant(GrantBook.Empty, request);

        var sameAgain = request with
        {
            Operations = [KmsOperations.GenerateDataKey, KmsOperations.Decrypt, KmsOperations.Decrypt],
            Constraints = new GrantConstraints(EncryptionContextSubset: EncryptionContext.Of(("b", "2"), ("a", "1"))),
        };
        var retry = GrantLifecycle.Create(book, CustomerKey(), GrantLifecycle.Validate(sameAgain), Account, T0.AddMinutes(1), GrantIds.New());

        Assert.False(retry.IsNew);
        Assert.Equal(first.GrantId, retry.Grant.GrantId);
        Assert.Same(book, retry.Book);
        Assert.Equal(1, retry.Book.Count);
    }

    [Theory]
    [InlineData("grantee")]
    [InlineData("retiring")]
    [InlineData("operations")]
    [InlineData("constraints")]
    public void Create_SameNameWithOtherParameters_MakesANewGrant(string changed)
    {
        var request = GrantRequest(name: "ci", retiring: EcrPrincipal);
        var (book, first) = AddGrant(GrantBook.Empty, request);
        var other = changed switch
        {
            "grantee" => request with { GranteePrincipal = Alice.Principal },
            "retiring" => request with { RetiringPrincipal = null },
            "operations" => request with { Operations = [KmsOperations.Decrypt] },
            _ => request with { Constraints = new GrantConstraints(EncryptionContextEquals: EncryptionContext.Of(("a", "1"))) },
        };

        var creation = GrantLifecycle.Create(book, CustomerKey(), GrantLifecycle.Validate(other), Account, T0, GrantIds.New());

        Assert.True(creation.IsNew);
        Assert.NotEqual(first.GrantId, creation.Grant.GrantId);
        Assert.Equal(2, creation.Book.ActiveCount);
        Assert.Equal(1, creation.Grant.Sequence);
    }

    [Fact]
    public void Create_WithoutName_AlwaysMakesANewGrant()
    {
        var (book, first) = AddGrant(GrantBook.Empty, GrantRequest());
        var (book2, second) = AddGrant(book, GrantRequest());

        Assert.NotEqual(first.GrantId, second.GrantId);
        Assert.Equal(2, book2.ActiveCount);
    }

    [Fact]
    public void Create_SameNameAfterTheGrantEnded_MakesANewGrant()
    {
        var (book, first) = AddGrant(GrantBook.Empty, GrantRequest(name: "ci"));
        book = book.Put(GrantLifecycle.End(first, GrantStatus.Retired, T0, EcrPrincipal));

        var creation = GrantLifecycle.Create(book, CustomerKey(), GrantLifecycle.Validate(GrantRequest(name: "ci")), Account, T0, GrantIds.New());

        Assert.True(creation.IsNew);
        Assert.NotEqual(first.GrantId, creation.Grant.GrantId);
    }

    [Fact]
    public void Create_On50000ActiveGrantsOfACustomerKey_IsLimitExceeded()
    {
        Assert.Equal(GrantLifecycle.MaxGrantsPerCustomerKey, FullBook.Value.ActiveCount);

        var error = Assert.Throws<AwsServiceException>(() =>
            GrantLifecycle.Create(FullBook.Value, CustomerKey(), GrantLifecycle.Validate(GrantRequest()), Account, T0, GrantIds.New()));

        Assert.Equal(AwsErrorCodes.LimitExceeded, error.ErrorCode);
    }

    [Fact]
    public void Create_On50000ActiveGrantsOfAnAwsManagedKey_Succeeds()
    {
        var creation = GrantLifecycle.Create(FullBook.Value, AwsManagedEcrKey(), GrantLifecycle.Validate(GrantRequest()), Account, T0, GrantIds.New());

        Assert.True(creation.IsNew);
        Assert.Equal(GrantLifecycle.MaxGrantsPerCustomerKey + 1, creation.Book.ActiveCount);
    }

    [Fact]
    public void Create_On50000GrantsOfWhichOneEnded_Succeeds()
    {
        var oneEnded = FullBook.Value.Put(GrantLifecycle.End(FullBook.Value.Find(ActiveGrant(7).GrantId)!, GrantStatus.Revoked, T0, Root.Principal));

        var creation = GrantLifecycle.Create(oneEnded, CustomerKey(), GrantLifecycle.Validate(GrantRequest()), Account, T0, GrantIds.New());

        Assert.Equal(GrantLifecycle.MaxGrantsPerCustomerKey, creation.Book.ActiveCount);
        Assert.Equal(GrantLifecycle.MaxGrantsPerCustomerKey + 1, creation.Book.Count);
    }

    [Fact]
    public void Create_RetryOfANamedGrantAtTheLimit_ReturnsTheExistingGrant()
    {
        var named = ActiveGrant(GrantLifecycle.MaxGrantsPerCustomerKey) with { Name = "ci", GranteePrincipal = EcrPrincipal, Operations = [KmsOperations.Decrypt] };
        var book = FullBook.Value.Put(GrantLifecycle.End(FullBook.Value.Find(ActiveGrant(0).GrantId)!, GrantStatus.Retired, T0, EcrPrincipal)).Put(named);

        var retry = GrantLifecycle.Create(book, CustomerKey(), GrantLifecycle.Validate(GrantRequest(operations: [KmsOperations.Decrypt], name: "ci")), Account, T0, GrantIds.New());

        Assert.False(retry.IsNew);
        Assert.Equal(named.GrantId, retry.Grant.GrantId);
    }

    // ---- ConstraintsAllow ----

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool ConstraintsAllow_Subset_OfAnySubsetOfTheContext_Holds(Generators.ContextWithSubset c) =>
        GrantLifecycle.ConstraintsAllow(new GrantConstraints(EncryptionContextSubset: c.Subset), KmsOperations.Decrypt, c.Context);

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool ConstraintsAllow_Subset_WithAPairMissingOrChanged_Fails(Generators.DifferentContexts c) =>
        // Other differs from Original by one change; only adding a pair keeps every pair of Original.
        GrantLifecycle.ConstraintsAllow(new GrantConstraints(EncryptionContextSubset: c.Original), KmsOperations.GenerateDataKey, c.Other)
        == (c.Other.Count > c.Original.Count);

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool ConstraintsAllow_Equals_HoldsForTheSamePairsInAnyOrder(Generators.ShuffledContext c) =>
        GrantLifecycle.ConstraintsAllow(new GrantConstraints(EncryptionContextEquals: c.Original), KmsOperations.Encrypt, c.Reordered);

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool ConstraintsAllow_Equals_FailsForAnyOtherContext(Generators.DifferentContexts c) =>
        !GrantLifecycle.ConstraintsAllow(new GrantConstraints(EncryptionContextEquals: c.Original), KmsOperations.Decrypt, c.Other);

    [Fact]
    public void ConstraintsAllow_IsCaseSensitive()
    {
        var subset = new GrantConstraints(EncryptionContextSubset: EncryptionContext.Of(("Team", "Blue")));

        Assert.True(GrantLifecycle.ConstraintsAllow(subset, KmsOperations.Decrypt, EncryptionContext.Of(("Team", "Blue"), ("x", "y"))));
        Assert.False(GrantLifecycle.ConstraintsAllow(subset, KmsOperations.Decrypt, EncryptionContext.Of(("team", "Blue"))));
        Assert.False(GrantLifecycle.ConstraintsAllow(subset, KmsOperations.Decrypt, EncryptionContext.Of(("Team", "blue"))));
    }

    [Fact]
    public void ConstraintsAllow_WithoutContext_IsTheEmptyContext()
    {
        var subset = new GrantConstraints(EncryptionContextSubset: EncryptionContext.Of(("a", "1")));
        var equalsEmpty = new GrantConstraints(EncryptionContextEquals: EncryptionContext.Empty);

        Assert.False(GrantLifecycle.ConstraintsAllow(subset, KmsOperations.Decrypt, null));
        Assert.True(GrantLifecycle.ConstraintsAllow(equalsEmpty, KmsOperations.Decrypt, null));
        Assert.False(GrantLifecycle.ConstraintsAllow(equalsEmpty, KmsOperations.Decrypt, EncryptionContext.Of(("a", "1"))));
    }

    [Fact]
    public void ConstraintsAllow_BothConstraints_MustBothHold()
    {
        var both = new GrantConstraints(
            EncryptionContextSubset: EncryptionContext.Of(("a", "1")),
            EncryptionContextEquals: EncryptionContext.Of(("a", "1"), ("b", "2")));

        Assert.True(GrantLifecycle.ConstraintsAllow(both, KmsOperations.Decrypt, EncryptionContext.Of(("b", "2"), ("a", "1"))));
        Assert.False(GrantLifecycle.ConstraintsAllow(both, KmsOperations.Decrypt, EncryptionContext.Of(("a", "1"))));
    }

    [Theory]
    [InlineData(KmsOperations.CreateGrant)]
    [InlineData(KmsOperations.RetireGrant)]
    [InlineData(KmsOperations.DescribeKey)]
    public void ConstraintsAllow_OperationWithoutContext_IsNotConstrained(string operation)
    {
        var constraints = new GrantConstraints(EncryptionContextEquals: EncryptionContext.Of(("a", "1")));

        Assert.True(GrantLifecycle.ConstraintsAllow(constraints, operation, EncryptionContext.Of(("b", "2"))));
    }

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool ConstraintsAllow_NoConstraints_AllowsAnyContext(EncryptionContext context) =>
        GrantLifecycle.ConstraintsAllow(null, KmsOperations.Decrypt, context);

    // ---- IsEffective ----

    [Fact]
    public void IsEffective_NewGrant_IsNotEffectiveBeforeTheDelay()
    {
        var grant = ActiveGrant(0);

        Assert.False(GrantLifecycle.IsEffective(grant, T0, Delay, tokenPresented: false));
        Assert.False(GrantLifecycle.IsEffective(grant, T0 + Delay - TimeSpan.FromTicks(1), Delay, tokenPresented: false));
        Assert.True(GrantLifecycle.IsEffective(grant, T0 + Delay, Delay, tokenPresented: false));
    }

    [Fact]
    public void IsEffective_NewGrantWithItsToken_IsEffectiveAtOnce()
    {
        Assert.True(GrantLifecycle.IsEffective(ActiveGrant(0), T0, Delay, tokenPresented: true));
    }

    [Fact]
    public void IsEffective_EndedGrant_StopsOnceTheEndHasPropagated()
    {
        var ended = GrantLifecycle.End(ActiveGrant(0), GrantStatus.Retired, T0.AddHours(1), EcrPrincipal);

        Assert.True(GrantLifecycle.IsEffective(ended, T0.AddHours(1), Delay, tokenPresented: false));
        Assert.True(GrantLifecycle.IsEffective(ended, T0.AddHours(1) + Delay - TimeSpan.FromTicks(1), Delay, tokenPresented: true));
        Assert.False(GrantLifecycle.IsEffective(ended, T0.AddHours(1) + Delay, Delay, tokenPresented: false));
        Assert.False(GrantLifecycle.IsEffective(ended, T0.AddHours(1) + Delay, Delay, tokenPresented: true));
    }

    [Fact]
    public void IsEffective_WithZeroDelay_StartsAndEndsImmediately()
    {
        var grant = ActiveGrant(0);
        var ended = GrantLifecycle.End(grant, GrantStatus.Revoked, T0.AddSeconds(1), Root.Principal);

        Assert.True(GrantLifecycle.IsEffective(grant, T0, TimeSpan.Zero, tokenPresented: false));
        Assert.False(GrantLifecycle.IsEffective(ended, T0.AddSeconds(1), TimeSpan.Zero, tokenPresented: true));
    }

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool IsEffective_EndedGrant_IsNeverEffectiveOnceTheDelayHasPassed(Grant grant, NonNegativeInt delayMinutes, NonNegativeInt afterMinutes, bool token)
    {
        var delay = TimeSpan.FromMinutes(delayMinutes.Get % 10);
        var ended = GrantLifecycle.End(grant, GrantStatus.Revoked, grant.CreationDate, Root.Principal);
        return !GrantLifecycle.IsEffective(ended, grant.CreationDate + delay + TimeSpan.FromMinutes(afterMinutes.Get), delay, token);
    }

    // ---- FindAuthorizingGrant ----

    [Fact]
    public void FindAuthorizingGrant_MatchingGrant_IsFound()
    {
        var (book, grant) = AddGrant(GrantBook.Empty, GrantRequest());

        Assert.Same(grant, Find(book, EcrPrincipal, KmsOperations.Decrypt));
    }

    [Fact]
    public void FindAuthorizingGrant_OtherGrantee_IsNull()
    {
        var (book, _) = AddGrant(GrantBook.Empty, GrantRequest());

        Assert.Null(Find(book, Alice.Principal, KmsOperations.Decrypt));
        Assert.Null(Find(book, "ecr.us-west-2.amazonaws.com", KmsOperations.Decrypt));
        Assert.Null(Find(book, EcrPrincipal.ToUpperInvariant(), KmsOperations.Decrypt));
    }

    [Fact]
    public void FindAuthorizingGrant_OperationNotInTheGrant_IsNull()
    {
        var (book, _) = AddGrant(GrantBook.Empty, GrantRequest());

        Assert.Null(Find(book, EcrPrincipal, KmsOperations.Encrypt));
        Assert.Null(Find(book, EcrPrincipal, KmsOperations.CreateGrant));
    }

    [Fact]
    public void FindAuthorizingGrant_ContextOutsideTheConstraint_IsNull()
    {
        var constraint = new GrantConstraints(EncryptionContextSubset: EncryptionContext.Of(("aws:ecr:arn", RepositoryArn("app"))));
        var (book, grant) = AddGrant(GrantBook.Empty, GrantRequest(constraints: constraint));

        Assert.Same(grant, Find(book, EcrPrincipal, KmsOperations.GenerateDataKey, EncryptionContext.Of(("aws:ecr:arn", RepositoryArn("app")), ("aws:s3:arn", "x"))));
        Assert.Null(Find(book, EcrPrincipal, KmsOperations.GenerateDataKey, EncryptionContext.Of(("aws:ecr:arn", RepositoryArn("other")))));
        Assert.Null(Find(book, EcrPrincipal, KmsOperations.GenerateDataKey, null));
    }

    [Fact]
    public void FindAuthorizingGrant_WithoutPresentedGrants_IsTheOldest()
    {
        var (book, first) = AddGrant(GrantBook.Empty, GrantRequest());
        (book, _) = AddGrant(book, GrantRequest());

        Assert.Same(first, Find(book, EcrPrincipal, KmsOperations.Decrypt));
    }

    [Fact]
    public void FindAuthorizingGrant_PresentedGrant_IsTriedFirst()
    {
        var (book, _) = AddGrant(GrantBook.Empty, GrantRequest());
        (book, var second) = AddGrant(book, GrantRequest());

        Assert.Same(second, Find(book, EcrPrincipal, KmsOperations.Decrypt, presented: [second.GrantId]));
    }

    [Fact]
    public void FindAuthorizingGrant_PresentedGrantThatDoesNotAuthorize_FallsBackToOthers()
    {
        var (book, first) = AddGrant(GrantBook.Empty, GrantRequest());
        (book, var encryptOnly) = AddGrant(book, GrantRequest(operations: [KmsOperations.Encrypt]));

        Assert.Same(first, Find(book, EcrPrincipal, KmsOperations.Decrypt, presented: [encryptOnly.GrantId, GrantIds.New()]));
    }

    [Fact]
    public void FindAuthorizingGrant_NewGrantWithinTheDelay_NeedsItsToken()
    {
        var (book, grant) = AddGrant(GrantBook.Empty, GrantRequest());

        Assert.Null(Find(book, EcrPrincipal, KmsOperations.Decrypt, at: T0.AddMinutes(1), delay: Delay));
        Assert.Same(grant, Find(book, EcrPrincipal, KmsOperations.Decrypt, at: T0.AddMinutes(1), delay: Delay, presented: [grant.GrantId]));
        Assert.Same(grant, Find(book, EcrPrincipal, KmsOperations.Decrypt, at: T0 + Delay, delay: Delay));
    }

    [Fact]
    public void FindAuthorizingGrant_RetiredGrant_AuthorizesNothingOnceTheRetireHasPropagated()
    {
        var (book, grant) = AddGrant(GrantBook.Empty, GrantRequest());
        book = book.Put(GrantLifecycle.End(grant, GrantStatus.Retired, T0.AddHours(1), EcrPrincipal));

        Assert.Null(Find(book, EcrPrincipal, KmsOperations.Decrypt, at: T0.AddHours(1)));
        Assert.Null(Find(book, EcrPrincipal, KmsOperations.Decrypt, at: T0.AddHours(1), presented: [grant.GrantId]));
        Assert.Same(book.Find(grant.GrantId), Find(book, EcrPrincipal, KmsOperations.Decrypt, at: T0.AddHours(1).AddMinutes(1), delay: Delay));
        Assert.Null(Find(book, EcrPrincipal, KmsOperations.Decrypt, at: T0.AddHours(1) + Delay, delay: Delay, presented: [grant.GrantId]));
    }

    [Fact]
    public void FindAuthorizingGrant_ForCreateGrant_NeedsTheRequestedOperationsInTheGrant()
    {
        var (book, grant) = AddGrant(GrantBook.Empty, GrantRequest(grantee: Alice.Principal, operations: [KmsOperations.CreateGrant, KmsOperations.Decrypt]));

        Assert.Same(grant, Find(book, Alice.Principal, KmsOperations.CreateGrant, requested: [KmsOperations.Decrypt]));
        Assert.Same(grant, Find(book, Alice.Principal, KmsOperations.CreateGrant, requested: [KmsOperations.Decrypt, KmsOperations.CreateGrant]));
        Assert.Null(Find(book, Alice.Principal, KmsOperations.CreateGrant, requested: [KmsOperations.Decrypt, KmsOperations.Encrypt]));
    }

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool FindAuthorizingGrant_NeverReturnsAnEndedGrant_WithoutDelay(Grant grant, Generators.Principal caller, bool end, bool present)
    {
        var stored = end ? GrantLifecycle.End(grant, GrantStatus.Retired, grant.CreationDate, Root.Principal) : grant;
        var book = GrantBook.Empty.Put(stored);
        var found = GrantLifecycle.FindAuthorizingGrant(book, caller.Value, KmsOperations.Decrypt, null, grant.CreationDate, TimeSpan.Zero,
            present ? new HashSet<string> { grant.GrantId } : new HashSet<string>());
        var shouldFind = !end && grant.GranteePrincipal == caller.Value && grant.Operations.Contains(KmsOperations.Decrypt);
        return (found is not null) == shouldFind;
    }

    // ---- MayRetire ----

    [Fact]
    public void MayRetire_TheRetiringPrincipal_IsAllowed()
    {
        var grant = ActiveGrant(0) with { RetiringPrincipal = Ci.Principal };

        Assert.True(GrantLifecycle.MayRetire(grant, Ci, iamAllowsRetire: false));
        Assert.True(GrantLifecycle.MayRetire(grant with { RetiringPrincipal = EcrPrincipal }, new CallerIdentity(EcrPrincipal), iamAllowsRetire: false));
    }

    [Fact]
    public void MayRetire_TheGrantee_OnlyWhenTheGrantAllowsRetireGrant()
    {
        var grant = ActiveGrant(0, grantee: OtherAlice.Principal);

        Assert.False(GrantLifecycle.MayRetire(grant, OtherAlice, iamAllowsRetire: false));
        Assert.True(GrantLifecycle.MayRetire(grant with { Operations = [KmsOperations.Decrypt, KmsOperations.RetireGrant] }, OtherAlice, iamAllowsRetire: false));
    }

    [Fact]
    public void MayRetire_TheRootOfTheIssuingAccount_IsAllowed_AndAnotherRootIsNot()
    {
        var grant = ActiveGrant(0);

        Assert.True(GrantLifecycle.MayRetire(grant, Root, iamAllowsRetire: false));
        Assert.False(GrantLifecycle.MayRetire(grant, OtherRoot, iamAllowsRetire: true));
    }

    [Fact]
    public void MayRetire_AnIamPrincipalOfTheIssuingAccount_OnlyWhenIamAllowsRetire()
    {
        var grant = ActiveGrant(0);

        Assert.True(GrantLifecycle.MayRetire(grant, Alice, iamAllowsRetire: true));
        Assert.False(GrantLifecycle.MayRetire(grant, Alice, iamAllowsRetire: false));
        Assert.True(GrantLifecycle.MayRetire(grant, Ci.Via(EcrPrincipal), iamAllowsRetire: true));
    }

    [Fact]
    public void MayRetire_OthersAreDenied()
    {
        var grant = ActiveGrant(0, grantee: Alice.Principal) with { RetiringPrincipal = Ci.Principal };

        Assert.False(GrantLifecycle.MayRetire(grant, OtherAlice, iamAllowsRetire: true));
        Assert.False(GrantLifecycle.MayRetire(grant, new CallerIdentity("ecr.us-west-2.amazonaws.com"), iamAllowsRetire: true));
        Assert.False(GrantLifecycle.MayRetire(grant, Alice, iamAllowsRetire: false));
        Assert.False(GrantLifecycle.MayRetire(grant, new CallerIdentity(Ci.Principal.ToUpperInvariant()), iamAllowsRetire: false));
    }

    // ---- End ----

    [Theory]
    [InlineData(GrantStatus.Retired)]
    [InlineData(GrantStatus.Revoked)]
    public void End_ActiveGrant_RecordsStatusTimeAndWho(GrantStatus status)
    {
        var ended = GrantLifecycle.End(ActiveGrant(3), status, T0.AddDays(1), Root.Principal);

        Assert.Equal(status, ended.Status);
        Assert.False(ended.IsActive);
        Assert.Equal(T0.AddDays(1), ended.EndedAt);
        Assert.Equal(Root.Principal, ended.EndedBy);
        Assert.Equal(ActiveGrant(3).GrantId, ended.GrantId);
    }

    [Fact]
    public void End_AsActive_Throws()
    {
        Assert.Throws<ArgumentException>(() => GrantLifecycle.End(ActiveGrant(0), GrantStatus.Active, T0, Root.Principal));
    }

    [Fact]
    public void End_AnEndedGrant_IsNotFound()
    {
        var retired = GrantLifecycle.End(ActiveGrant(0), GrantStatus.Retired, T0, EcrPrincipal);

        var error = Assert.Throws<AwsServiceException>(() => GrantLifecycle.End(retired, GrantStatus.Revoked, T0.AddMinutes(1), Root.Principal));

        Assert.Equal(AwsErrorCodes.NotFound, error.ErrorCode);
        Assert.Equal($"Grant ID {retired.GrantId} not found", error.Message);
    }

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool End_AnEndedGrant_NeverEndsAgainNorBecomesActive(Generators.GrantWithEndAttempts c)
    {
        var (firstStatus, firstMinutes) = c.Attempts[0];
        var ended = GrantLifecycle.End(c.Grant, firstStatus, c.Grant.CreationDate.AddMinutes(firstMinutes), EcrPrincipal);
        var book = GrantBook.Empty.Put(ended);
        foreach (var (status, minutes) in c.Attempts.Skip(1))
        {
            var again = Record.Exception(() => GrantLifecycle.End(book.Find(c.Grant.GrantId)!, status, c.Grant.CreationDate.AddMinutes(minutes), Root.Principal));
            if (again is not AwsServiceException { ErrorCode: AwsErrorCodes.NotFound })
            {
                return false;
            }
        }

        var after = book.Find(c.Grant.GrantId)!;
        return !after.IsActive && after.Status == firstStatus && after.EndedAt == ended.EndedAt && book.ActiveCount == 0 && !book.Active.Any();
    }

    // ---- grant ids ----

    [Fact]
    public void RequireWellFormedGrantId_AcceptsGrantIds_AndRejectsOthersWithInvalidGrantId()
    {
        Assert.Null(Record.Exception(() => GrantLifecycle.RequireWellFormedGrantId(GrantIds.New())));
        foreach (var bad in new[] { null, "", "abc", GrantIds.New().ToUpperInvariant(), GrantIds.New()[1..], GrantIds.New() + "0" })
        {
            Assert.Equal(AwsErrorCodes.InvalidGrantId, Assert.Throws<AwsServiceException>(() => GrantLifecycle.RequireWellFormedGrantId(bad)).ErrorCode);
        }
    }

    private static Grant? Find(
        GrantBook book, string grantee, string operation, EncryptionContext? context = null, DateTimeOffset? at = null, TimeSpan? delay = null,
        string[]? presented = null, string[]? requested = null) =>
        GrantLifecycle.FindAuthorizingGrant(book, grantee, operation, context, at ?? T0, delay ?? TimeSpan.Zero,
            new HashSet<string>(presented ?? [], StringComparer.Ordinal), requested);

    private static EncryptionContext Context(int pairs) =>
        EncryptionContext.From(Enumerable.Range(0, pairs).Select(i => KeyValuePair.Create($"k{i}", $"v{i}")));

    [Fact]
    public void Validate_Failure_HasKmsValidationMessageFormat()
    {
        var error = Assert.Throws<AwsServiceException>(() => GrantLifecycle.Validate(GrantRequest(operations: [])));

        Assert.StartsWith("1 validation error detected: Value at 'operations'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_GranteeOf256Characters_IsAccepted()
    {
        var role = "arn:aws:iam::111122223333:role/" + new string('r', 225);
        Assert.Equal(256, role.Length);

        Assert.Equal(role, GrantLifecycle.Validate(GrantRequest(grantee: role)).GranteePrincipal);
    }

    [Fact]
    public void Validate_NineConstraintPairs_SaysTheLimitIsEight()
    {
        var error = Assert.Throws<AwsServiceException>(() =>
            GrantLifecycle.Validate(GrantRequest(constraints: new GrantConstraints(EncryptionContextSubset: Context(9)))));

        Assert.Contains("at most 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ElevenGrantTokens_NamesTheFieldAndTheLimit()
    {
        var error = Assert.Throws<AwsServiceException>(() =>
            GrantLifecycle.Validate(GrantRequest() with { GrantTokens = Enumerable.Repeat("token", GrantTokens.MaxTokensPerRequest + 1).ToArray() }));

        Assert.Contains("'grantTokens'", error.Message, StringComparison.Ordinal);
        Assert.Contains("less than or equal to 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_OnTheQuota_NamesTheKeyAndTheQuota()
    {
        var error = Assert.Throws<AwsServiceException>(() =>
            GrantLifecycle.Create(FullBook.Value, CustomerKey(), GrantLifecycle.Validate(GrantRequest()), Account, T0, GrantIds.New()));

        Assert.Contains(KeyArn, error.Message, StringComparison.Ordinal);
        Assert.Contains("50000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindAuthorizingGrant_PresentedGrantWithinTheDelay_IsPreferredToAnOlderEffectiveGrant()
    {
        var (book, _) = AddGrant(GrantBook.Empty, GrantRequest(), at: T0);
        (book, var fresh) = AddGrant(book, GrantRequest(), at: T0.AddMinutes(10));

        Assert.Same(fresh, Find(book, EcrPrincipal, KmsOperations.Decrypt, at: T0.AddMinutes(11), delay: Delay, presented: [fresh.GrantId]));
    }

    [Fact]
    public void RequireWellFormedGrantId_Malformed_NamesTheGrantId()
    {
        var error = Assert.Throws<AwsServiceException>(() => GrantLifecycle.RequireWellFormedGrantId("not-a-grant"));

        Assert.Contains("'not-a-grant'", error.Message, StringComparison.Ordinal);
    }
}
