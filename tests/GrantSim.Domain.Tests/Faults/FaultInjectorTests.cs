using GrantSim.Aws;
using GrantSim.Faults;
using GrantSim.Kms;
using GrantSim.Simulation;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Faults;

public sealed class FaultInjectorTests
{
    [Property]
    public bool Decide_IsDeterministic(int seed, NonNegativeInt callNumber, NonNull<string> keyId)
    {
        var plan = new FaultPlan(seed, [new FaultRule(FaultRule.AnyOperation, AwsErrorCodes.Throttling, 0.5)]);
        var first = FaultInjector.Decide(plan, KmsOperations.Decrypt, Alice.Principal, keyId.Get, callNumber.Get);
        var second = FaultInjector.Decide(plan with { Rules = [.. plan.Rules] }, KmsOperations.Decrypt, Alice.Principal, keyId.Get, callNumber.Get);
        return first == second;
    }

    [Property]
    public bool Decide_WithProbabilityZero_NeverFails(int seed, long callNumber) =>
        FaultInjector.Decide(new FaultPlan(seed, [new FaultRule(FaultRule.AnyOperation, AwsErrorCodes.Throttling, 0)]),
            KmsOperations.Decrypt, Alice.Principal, KeyId, callNumber) is null;

    [Property]
    public bool Decide_WithProbabilityOne_AlwaysFails(int seed, long callNumber) =>
        FaultInjector.Decide(new FaultPlan(seed, [new FaultRule(FaultRule.AnyOperation, AwsErrorCodes.KmsInternal, 1)]),
            KmsOperations.Decrypt, Alice.Principal, KeyId, callNumber) == AwsErrorCodes.KmsInternal;

    [Theory]
    [InlineData(0.3, 1)]
    [InlineData(0.3, 42)]
    [InlineData(0.05, 7)]
    [InlineData(0.9, 1234)]
    public void Decide_OverManyCalls_FailsAboutTheRequestedShare(double probability, int seed)
    {
        var plan = new FaultPlan(seed, [new FaultRule(KmsOperations.GenerateDataKey, AwsErrorCodes.Throttling, probability)]);

        var failures = Enumerable.Range(0, 10_000).Count(call =>
            FaultInjector.Decide(plan, KmsOperations.GenerateDataKey, EcrPrincipal, KeyId, call) is not null);

        Assert.InRange(failures / 10_000.0, probability - 0.05, probability + 0.05);
    }

    [Fact]
    public void Decide_DifferentSeeds_FailDifferentCalls()
    {
        var calls = Enumerable.Range(0, 200).ToArray();
        var a = calls.Where(c => FaultInjector.Decide(Plan(1, 0.5), KmsOperations.Decrypt, Alice.Principal, KeyId, c) is not null);
        var b = calls.Where(c => FaultInjector.Decide(Plan(2, 0.5), KmsOperations.Decrypt, Alice.Principal, KeyId, c) is not null);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Decide_RuleForAnotherOperation_DoesNotApply()
    {
        var plan = new FaultPlan(1, [new FaultRule(KmsOperations.RetireGrant, AwsErrorCodes.AccessDenied, 1)]);

        Assert.Null(FaultInjector.Decide(plan, KmsOperations.Decrypt, Alice.Principal, KeyId, 0));
        Assert.Equal(AwsErrorCodes.AccessDenied, FaultInjector.Decide(plan, KmsOperations.RetireGrant, Alice.Principal, KeyId, 0));
    }

    [Fact]
    public void Decide_RuleForAnotherPrincipal_DoesNotApply()
    {
        var plan = new FaultPlan(1, [new FaultRule(KmsOperations.RetireGrant, AwsErrorCodes.AccessDenied, 1, Alice.Principal)]);

        Assert.Equal(AwsErrorCodes.AccessDenied, FaultInjector.Decide(plan, KmsOperations.RetireGrant, Alice.Principal, KeyId, 3));
        Assert.Null(FaultInjector.Decide(plan, KmsOperations.RetireGrant, Ci.Principal, KeyId, 3));
        Assert.Null(FaultInjector.Decide(plan, KmsOperations.RetireGrant, Alice.Principal.ToUpperInvariant(), KeyId, 3));
    }

    [Fact]
    public void Decide_FirstMatchingRuleThatFires_Wins()
    {
        var plan = new FaultPlan(1,
        [
            new FaultRule(KmsOperations.Decrypt, AwsErrorCodes.Throttling, 0),
            new FaultRule(FaultRule.AnyOperation, AwsErrorCodes.DependencyTimeout, 1),
            new FaultRule(FaultRule.AnyOperation, AwsErrorCodes.KmsInternal, 1),
        ]);

        Assert.Equal(AwsErrorCodes.DependencyTimeout, FaultInjector.Decide(plan, KmsOperations.Decrypt, Alice.Principal, KeyId, 0));
    }

    [Fact]
    public void Decide_WithNoRules_NeverFails()
    {
        Assert.True(FaultPlan.None.IsEmpty);
        Assert.Null(FaultInjector.Decide(FaultPlan.None, KmsOperations.Decrypt, Alice.Principal, KeyId, 0));
    }

    [Theory]
    [InlineData(AwsErrorCodes.Throttling, "Rate exceeded")]
    [InlineData(AwsErrorCodes.KmsInternal, "An internal error occurred. Try again.")]
    public void Fault_CarriesTheCodeAndKmsMessage(string code, string message)
    {
        var fault = FaultInjector.Fault(code, KmsOperations.Decrypt);

        Assert.Equal(code, fault.ErrorCode);
        Assert.Equal(message, fault.Message);
        Assert.True(fault.IsTransient);
    }

    [Fact]
    public void Fault_DenialAndTimeout_NameTheOperation()
    {
        Assert.Contains("kms:RetireGrant", FaultInjector.Fault(AwsErrorCodes.AccessDenied, KmsOperations.RetireGrant).Message, StringComparison.Ordinal);
        Assert.False(FaultInjector.Fault(AwsErrorCodes.AccessDenied, KmsOperations.RetireGrant).IsTransient);
        Assert.Contains("Decrypt", FaultInjector.Fault(AwsErrorCodes.DependencyTimeout, KmsOperations.Decrypt).Message, StringComparison.Ordinal);
        Assert.Equal(AwsErrorCodes.Disabled, FaultInjector.Fault(AwsErrorCodes.Disabled, KmsOperations.Decrypt).ErrorCode);
    }

    private static FaultPlan Plan(int seed, double probability) =>
        new(seed, [new FaultRule(FaultRule.AnyOperation, AwsErrorCodes.Throttling, probability)]);

    [Fact]
    public void Decide_TwoRules_FireIndependently()
    {
        var plan = new FaultPlan(7,
        [
            new FaultRule(FaultRule.AnyOperation, AwsErrorCodes.Throttling, 0.5),
            new FaultRule(FaultRule.AnyOperation, AwsErrorCodes.KmsInternal, 0.5),
        ]);

        var outcomes = Enumerable.Range(0, 10_000).Select(call => FaultInjector.Decide(plan, KmsOperations.Decrypt, Alice.Principal, KeyId, call)).ToArray();

        // The second rule sees the calls the first let through and fails half of them: 1 - 0.5 * 0.5 fail in all.
        Assert.InRange(outcomes.Count(o => o is not null) / 10_000.0, 0.70, 0.80);
        Assert.InRange(outcomes.Count(o => o == AwsErrorCodes.KmsInternal) / 10_000.0, 0.20, 0.30);
    }

    [Fact]
    public void Decide_OtherOperationOrKey_FailsOtherCalls()
    {
        var plan = Plan(1, 0.5);
        var calls = Enumerable.Range(0, 200).ToArray();

        var decrypt = calls.Where(c => FaultInjector.Decide(plan, KmsOperations.Decrypt, Alice.Principal, KeyId, c) is not null);
        var generate = calls.Where(c => FaultInjector.Decide(plan, KmsOperations.GenerateDataKey, Alice.Principal, KeyId, c) is not null);
        var otherKey = calls.Where(c => FaultInjector.Decide(plan, KmsOperations.Decrypt, Alice.Principal, OtherKeyId, c) is not null);

        Assert.NotEqual(decrypt, generate);
        Assert.NotEqual(decrypt, otherKey);
    }

    [Fact]
    public void Fault_OfAnyOtherCode_NamesTheCodeAndTheOperation()
    {
        var fault = FaultInjector.Fault(AwsErrorCodes.Disabled, KmsOperations.Decrypt);

        Assert.Contains(AwsErrorCodes.Disabled, fault.Message, StringComparison.Ordinal);
        Assert.Contains(KmsOperations.Decrypt, fault.Message, StringComparison.Ordinal);
    }
}
