using GrantSim.Aws;
using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Kms;

public sealed class KeyLifecycleTests
{
    private static readonly string[] AllowedInAnyState =
        [KmsOperations.DescribeKey, KmsOperations.ListGrants, KmsOperations.RetireGrant, KmsOperations.RevokeGrant];

    private static readonly string[] NeedEnabled =
        [KmsOperations.CreateGrant, KmsOperations.Encrypt, KmsOperations.Decrypt, KmsOperations.GenerateDataKey];

    public static TheoryData<KeyState, string> StatesAndAnyStateOperations() => Cells([KeyState.Enabled, KeyState.Disabled, KeyState.PendingDeletion], AllowedInAnyState);

    public static TheoryData<KeyState, string> StatesAndKeyUseOperations() => Cells([KeyState.Disabled, KeyState.PendingDeletion], NeedEnabled);

    [Theory]
    [MemberData(nameof(StatesAndAnyStateOperations))]
    public void Require_DescribeListRetireRevoke_AreAllowedInEveryLiveState(KeyState state, string operation)
    {
        Assert.Null(Record.Exception(() => KeyLifecycle.Require(CustomerKey(state), operation)));
    }

    [Theory]
    [InlineData(KmsOperations.CreateGrant)]
    [InlineData(KmsOperations.Encrypt)]
    [InlineData(KmsOperations.Decrypt)]
    [InlineData(KmsOperations.GenerateDataKey)]
    [InlineData(KmsOperations.GenerateDataKeyWithoutPlaintext)]
    [InlineData(KmsOperations.ReEncryptFrom)]
    [InlineData(KmsOperations.ReEncryptTo)]
    public void Require_KeyUse_IsAllowedWhenEnabled(string operation)
    {
        Assert.Null(Record.Exception(() => KeyLifecycle.Require(CustomerKey(), operation)));
    }

    [Theory]
    [MemberData(nameof(StatesAndKeyUseOperations))]
    public void Require_KeyUse_WhenDisabledOrPendingDeletion_FailsWithKmsNameAndMessage(KeyState state, string operation)
    {
        var key = CustomerKey(state);

        var error = Assert.Throws<AwsServiceException>(() => KeyLifecycle.Require(key, operation));

        if (state == KeyState.Disabled)
        {
            Assert.Equal(AwsErrorCodes.Disabled, error.ErrorCode);
            Assert.Equal($"{key.Arn} is disabled.", error.Message);
        }
        else
        {
            Assert.Equal(AwsErrorCodes.KmsInvalidState, error.ErrorCode);
            Assert.Equal($"{key.Arn} is pending deletion.", error.Message);
        }
    }

    [Theory]
    [InlineData(KmsOperations.EnableKey)]
    [InlineData(KmsOperations.DisableKey)]
    [InlineData(KmsOperations.ScheduleKeyDeletion)]
    public void Require_EnableDisableSchedule_WhenPendingDeletion_IsInvalidState(string operation)
    {
        var key = CustomerKey(KeyState.PendingDeletion);

        var error = Assert.Throws<AwsServiceException>(() => KeyLifecycle.Require(key, operation));

        Assert.Equal(AwsErrorCodes.KmsInvalidState, error.ErrorCode);
        Assert.Equal($"{key.Arn} is pending deletion.", error.Message);
    }

    [Theory]
    [InlineData(KeyState.Enabled, KmsOperations.EnableKey)]
    [InlineData(KeyState.Enabled, KmsOperations.DisableKey)]
    [InlineData(KeyState.Enabled, KmsOperations.ScheduleKeyDeletion)]
    [InlineData(KeyState.Disabled, KmsOperations.EnableKey)]
    [InlineData(KeyState.Disabled, KmsOperations.DisableKey)]
    [InlineData(KeyState.Disabled, KmsOperations.ScheduleKeyDeletion)]
    [InlineData(KeyState.PendingDeletion, KmsOperations.CancelKeyDeletion)]
    public void Require_AdministrativeOperation_IsAllowed(KeyState state, string operation)
    {
        Assert.Null(Record.Exception(() => KeyLifecycle.Require(CustomerKey(state), operation)));
    }

    [Theory]
    [InlineData(KeyState.Enabled)]
    [InlineData(KeyState.Disabled)]
    public void CancelDeletion_WhenNotPending_IsInvalidState(KeyState state)
    {
        var key = CustomerKey(state);

        var error = Assert.Throws<AwsServiceException>(() => KeyLifecycle.CancelDeletion(key));

        Assert.Equal(AwsErrorCodes.KmsInvalidState, error.ErrorCode);
        Assert.Equal($"{key.Arn} is not pending deletion.", error.Message);
    }

    [Fact]
    public void CancelDeletion_LeavesKeyDisabled()
    {
        var pending = KeyLifecycle.ScheduleDeletion(CustomerKey(), 7, T0);

        var cancelled = KeyLifecycle.CancelDeletion(pending);

        Assert.Equal(KeyState.Disabled, cancelled.State);
        Assert.Null(cancelled.DeletionDate);
        Assert.Null(cancelled.PendingWindowInDays);
        Assert.Equal(pending.Material, cancelled.Material);
    }

    [Fact]
    public void Enable_OfDisabledKey_IsEnabled_AndDisable_OfEnabledKey_IsDisabled()
    {
        var disabled = KeyLifecycle.Disable(CustomerKey());
        Assert.Equal(KeyState.Disabled, disabled.State);

        var enabled = KeyLifecycle.Enable(disabled, T0);
        Assert.Equal(KeyState.Enabled, enabled.State);

        Assert.Equal(KeyState.Enabled, KeyLifecycle.Enable(enabled, T0).State);
        Assert.Equal(KeyState.Disabled, KeyLifecycle.Disable(disabled).State);
    }

    [Fact]
    public void EnableAndDisable_WhenPendingDeletion_AreInvalidState()
    {
        var pending = CustomerKey(KeyState.PendingDeletion);

        Assert.Equal(AwsErrorCodes.KmsInvalidState, Assert.Throws<AwsServiceException>(() => KeyLifecycle.Enable(pending, T0)).ErrorCode);
        Assert.Equal(AwsErrorCodes.KmsInvalidState, Assert.Throws<AwsServiceException>(() => KeyLifecycle.Disable(pending)).ErrorCode);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(29)]
    [InlineData(30)]
    public void ScheduleDeletion_WithinSevenToThirtyDays_SetsTheDeletionDate(int days)
    {
        var pending = KeyLifecycle.ScheduleDeletion(CustomerKey(), days, T0);

        Assert.Equal(KeyState.PendingDeletion, pending.State);
        Assert.Equal(T0.AddDays(days), pending.DeletionDate);
        Assert.Equal(days, pending.PendingWindowInDays);
    }

    [Fact]
    public void ScheduleDeletion_WithoutWindow_DefaultsToThirtyDays()
    {
        var pending = KeyLifecycle.ScheduleDeletion(CustomerKey(KeyState.Disabled), null, T0);

        Assert.Equal(30, pending.PendingWindowInDays);
        Assert.Equal(T0.AddDays(30), pending.DeletionDate);
        Assert.Equal(30, KeyLifecycle.ValidateDeletionWindow(null));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(31)]
    [InlineData(365)]
    public void ScheduleDeletion_OutsideSevenToThirtyDays_IsValidationException(int days)
    {
        var error = Assert.Throws<AwsServiceException>(() => KeyLifecycle.ScheduleDeletion(CustomerKey(), days, T0));

        Assert.Equal(AwsErrorCodes.Validation, error.ErrorCode);
        Assert.Contains($"'{days}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("between 7 and 30", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScheduleDeletion_WhenAlreadyPending_IsInvalidState()
    {
        var pending = KeyLifecycle.ScheduleDeletion(CustomerKey(), 7, T0);

        var error = Assert.Throws<AwsServiceException>(() => KeyLifecycle.ScheduleDeletion(pending, 10, T0.AddDays(1)));

        Assert.Equal(AwsErrorCodes.KmsInvalidState, error.ErrorCode);
    }

    [Fact]
    public void AsOf_BeforeTheWindowEnds_KeepsTheKeyPending()
    {
        var pending = KeyLifecycle.ScheduleDeletion(CustomerKey(), 7, T0);

        var justBefore = KeyLifecycle.AsOf(pending, T0.AddDays(7).AddTicks(-1));

        Assert.Same(pending, justBefore);
        Assert.Equal(KeyState.PendingDeletion, justBefore.State);
    }

    [Fact]
    public void AsOf_WhenTheWindowEnds_DeletesTheKeyAndWipesItsMaterial()
    {
        var pending = KeyLifecycle.ScheduleDeletion(CustomerKey(), 7, T0);

        var deleted = KeyLifecycle.AsOf(pending, T0.AddDays(7));

        Assert.Equal(KeyState.Deleted, deleted.State);
        Assert.Empty(deleted.Material);
        Assert.Empty(deleted.TokenSecret);
        Assert.Equal(KeyState.Deleted, KeyLifecycle.AsOf(pending, T0.AddDays(400)).State);
    }

    [Theory]
    [InlineData(KeyState.Enabled)]
    [InlineData(KeyState.Disabled)]
    public void AsOf_ForAKeyNotPendingDeletion_ChangesNothing(KeyState state)
    {
        var key = CustomerKey(state);

        Assert.Same(key, KeyLifecycle.AsOf(key, T0.AddYears(10)));
    }

    [Fact]
    public void AsOf_AfterCancelledDeletion_NeverDeletes()
    {
        var cancelled = KeyLifecycle.CancelDeletion(KeyLifecycle.ScheduleDeletion(CustomerKey(), 7, T0));

        Assert.Equal(KeyState.Disabled, KeyLifecycle.AsOf(cancelled, T0.AddDays(8)).State);
    }

    [Theory]
    [InlineData(KmsOperations.DescribeKey)]
    [InlineData(KmsOperations.ListGrants)]
    [InlineData(KmsOperations.Decrypt)]
    [InlineData(KmsOperations.CancelKeyDeletion)]
    [InlineData(KmsOperations.RetireGrant)]
    [InlineData(KmsOperations.EnableKey)]
    public void Require_OnADeletedKey_IsNotFound(string operation)
    {
        var deleted = KeyLifecycle.AsOf(KeyLifecycle.ScheduleDeletion(CustomerKey(), 7, T0), T0.AddDays(7));

        var error = Assert.Throws<AwsServiceException>(() => KeyLifecycle.Require(deleted, operation));

        Assert.Equal(AwsErrorCodes.NotFound, error.ErrorCode);
        Assert.Equal($"Key '{deleted.Arn}' does not exist", error.Message);
    }

    [Theory]
    [InlineData(KmsOperations.EnableKey)]
    [InlineData(KmsOperations.DisableKey)]
    [InlineData(KmsOperations.ScheduleKeyDeletion)]
    [InlineData(KmsOperations.CancelKeyDeletion)]
    [InlineData(KmsOperations.PutKeyPolicy)]
    public void Require_ChangingAnAwsManagedKey_IsRefused(string operation)
    {
        var error = Assert.Throws<AwsServiceException>(() => KeyLifecycle.Require(AwsManagedEcrKey(), operation));

        Assert.Equal(AwsErrorCodes.UnsupportedOperation, error.ErrorCode);
        Assert.Contains(KeyArn, error.Message, StringComparison.Ordinal);
        Assert.Contains(operation, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transitions_OfAnAwsManagedKey_AreRefused()
    {
        var managed = AwsManagedEcrKey();

        Assert.Equal(AwsErrorCodes.UnsupportedOperation, Assert.Throws<AwsServiceException>(() => KeyLifecycle.Enable(managed, T0)).ErrorCode);
        Assert.Equal(AwsErrorCodes.UnsupportedOperation, Assert.Throws<AwsServiceException>(() => KeyLifecycle.Disable(managed)).ErrorCode);
        Assert.Equal(AwsErrorCodes.UnsupportedOperation, Assert.Throws<AwsServiceException>(() => KeyLifecycle.ScheduleDeletion(managed, 7, T0)).ErrorCode);
        Assert.Equal(AwsErrorCodes.UnsupportedOperation, Assert.Throws<AwsServiceException>(() => KeyLifecycle.CancelDeletion(managed)).ErrorCode);
        Assert.Equal(AwsErrorCodes.UnsupportedOperation,
            Assert.Throws<AwsServiceException>(() => KeyLifecycle.PutPolicy(managed, DefaultKeyPolicies.CustomerManaged(Partition.Aws, Account))).ErrorCode);
    }

    [Theory]
    [InlineData(KmsOperations.DescribeKey)]
    [InlineData(KmsOperations.CreateGrant)]
    [InlineData(KmsOperations.GenerateDataKey)]
    [InlineData(KmsOperations.Decrypt)]
    [InlineData(KmsOperations.RetireGrant)]
    public void Require_UsingAnAwsManagedKey_IsAllowedWhenEnabled(string operation)
    {
        Assert.Null(Record.Exception(() => KeyLifecycle.Require(AwsManagedEcrKey(), operation)));
    }

    [Fact]
    public void Require_UnknownOperation_Throws()
    {
        Assert.Throws<ArgumentException>(() => KeyLifecycle.Require(CustomerKey(), "FlyToTheMoon"));
    }

    /// <summary>SPEC §2's table, written independently of the production code, for every manager, state and operation.</summary>
    [Property(Arbitrary = new[] { typeof(Generators) }, MaxTest = 300)]
    public bool Require_AgreesWithTheStateTable(Generators.KeyCell cell)
    {
        var key = cell.Manager == KeyManager.Aws ? WithState(AwsManagedEcrKey(), cell.State) : CustomerKey(cell.State);
        var expected = ExpectedError(cell.Manager, cell.State, cell.Operation);
        var actual = Record.Exception(() => KeyLifecycle.Require(key, cell.Operation)) as AwsServiceException;
        return expected == actual?.ErrorCode;
    }

    /// <summary>Random sequences of enable, disable, schedule, cancel and the passing of time, against a tiny model of the key.</summary>
    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool Transitions_AgreeWithAModelOfTheKey(Generators.KeyCommands commands)
    {
        var key = CustomerKey();
        var now = T0;
        var modelState = KeyState.Enabled;
        DateTimeOffset? modelDeletion = null;
        foreach (var step in commands.Steps)
        {
            if (step.Operation == Generators.KeyCommand.Advance)
            {
                now = now.AddDays(step.AdvanceDays);
                key = KeyLifecycle.AsOf(key, now);
                if (modelState == KeyState.PendingDeletion && now >= modelDeletion)
                {
                    modelState = KeyState.Deleted;
                }

                if (key.State != modelState || (modelState == KeyState.Deleted && key.Material.Length != 0))
                {
                    return false;
                }

                continue;
            }

            string? expectedError;
            var next = modelState;
            DateTimeOffset? nextDeletion = modelDeletion;
            if (step.Operation == KmsOperations.ScheduleKeyDeletion && step.WindowDays is < 7 or > 30)
            {
                // The request is validated before the key is looked at.
                expectedError = AwsErrorCodes.Validation;
            }
            else if (modelState == KeyState.Deleted)
            {
                expectedError = AwsErrorCodes.NotFound;
            }
            else
            {
                switch (step.Operation)
                {
                    case KmsOperations.EnableKey or KmsOperations.DisableKey:
                        expectedError = modelState == KeyState.PendingDeletion ? AwsErrorCodes.KmsInvalidState : null;
                        next = step.Operation == KmsOperations.EnableKey ? KeyState.Enabled : KeyState.Disabled;
                        break;
                    case KmsOperations.ScheduleKeyDeletion:
                        expectedError = modelState == KeyState.PendingDeletion ? AwsErrorCodes.KmsInvalidState : null;
                        next = KeyState.PendingDeletion;
                        nextDeletion = now.AddDays(step.WindowDays ?? 30);
                        break;
                    default:
                        expectedError = modelState == KeyState.PendingDeletion ? null : AwsErrorCodes.KmsInvalidState;
                        next = KeyState.Disabled;
                        nextDeletion = null;
                        break;
                }
            }

            try
            {
                key = step.Operation switch
                {
                    KmsOperations.EnableKey => KeyLifecycle.Enable(key, T0),
                    KmsOperations.DisableKey => KeyLifecycle.Disable(key),
                    KmsOperations.ScheduleKeyDeletion => KeyLifecycle.ScheduleDeletion(key, step.WindowDays, now),
                    _ => KeyLifecycle.CancelDeletion(key),
                };
                if (expectedError is not null)
                {
                    return false;
                }

                modelState = next;
                modelDeletion = nextDeletion;
            }
            catch (AwsServiceException e)
            {
                if (e.ErrorCode != expectedError)
                {
                    return false;
                }
            }

            if (key.State != modelState || (modelState == KeyState.PendingDeletion && key.DeletionDate != modelDeletion))
            {
                return false;
            }
        }

        return true;
    }

    [Fact]
    public void Create_MakesAnEnabledKeyWithItsOwnMaterial()
    {
        var a = CustomerKey();
        var b = CustomerKey();

        Assert.Equal(KeyState.Enabled, a.State);
        Assert.Equal(T0, a.CreationDate);
        Assert.Equal(32, a.Material.Length);
        Assert.Equal(32, a.TokenSecret.Length);
        Assert.NotEqual(a.Material, b.Material);
        Assert.NotEqual(a.Material, a.TokenSecret);
        Assert.Equal(KeyArn, a.Arn);
    }

    [Fact]
    public void ToMetadata_ReportsStateAndDeletionWindow()
    {
        var pending = KeyLifecycle.ScheduleDeletion(CustomerKey(), 10, T0);

        var metadata = pending.ToMetadata();

        Assert.Equal(KeyId, metadata.KeyId);
        Assert.Equal(KeyArn, metadata.Arn);
        Assert.Equal(Account, metadata.AwsAccountId);
        Assert.Equal(KeyState.PendingDeletion, metadata.KeyState);
        Assert.False(metadata.Enabled);
        Assert.Equal(T0.AddDays(10), metadata.DeletionDate);
        Assert.Equal(10, metadata.PendingDeletionWindowInDays);
        Assert.Equal(KeyManager.Customer, metadata.KeyManager);
    }

    [Theory]
    [InlineData(KeyState.Enabled)]
    [InlineData(KeyState.Disabled)]
    [InlineData(KeyState.PendingDeletion)]
    public void PutPolicy_OnACustomerKey_ReplacesThePolicyInAnyLiveState(KeyState state)
    {
        const string policy = """{"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:Describe*","Resource":"*"}}""";

        Assert.Equal(policy, KeyLifecycle.PutPolicy(CustomerKey(state), policy).Policy);
    }

    [Fact]
    public void PutPolicy_Malformed_IsMalformedPolicyDocument_AndKeepsTheOldPolicy()
    {
        var key = CustomerKey();

        var error = Assert.Throws<AwsServiceException>(() => KeyLifecycle.PutPolicy(key, "{not json"));

        Assert.Equal(AwsErrorCodes.MalformedPolicyDocument, error.ErrorCode);
        Assert.Equal(DefaultKeyPolicies.CustomerManaged(Partition.Aws, Account), key.Policy);
    }

    [Fact]
    public void NotFound_NamesTheKey()
    {
        var error = KeyLifecycle.NotFound("alias/missing");

        Assert.Equal(AwsErrorCodes.NotFound, error.ErrorCode);
        Assert.Equal("Key 'alias/missing' does not exist", error.Message);
    }

    private static string? ExpectedError(KeyManager manager, KeyState state, string operation)
    {
        if (state == KeyState.Deleted)
        {
            return AwsErrorCodes.NotFound;
        }

        if (manager == KeyManager.Aws && operation is KmsOperations.EnableKey or KmsOperations.DisableKey
                or KmsOperations.ScheduleKeyDeletion or KmsOperations.CancelKeyDeletion or KmsOperations.PutKeyPolicy)
        {
            return AwsErrorCodes.UnsupportedOperation;
        }

        return operation switch
        {
            KmsOperations.CreateGrant or KmsOperations.Encrypt or KmsOperations.Decrypt or KmsOperations.GenerateDataKey
                or KmsOperations.GenerateDataKeyWithoutPlaintext or KmsOperations.ReEncryptFrom or KmsOperations.ReEncryptTo => state switch
                {
                    KeyState.Enabled => null,
                    KeyState.Disabled => AwsErrorCodes.Disabled,
                    _ => AwsErrorCodes.KmsInvalidState,
                },
            KmsOperations.EnableKey or KmsOperations.DisableKey => state is KeyState.PendingDeletion or KeyState.PendingImport ? AwsErrorCodes.KmsInvalidState : null,
            KmsOperations.ScheduleKeyDeletion => state == KeyState.PendingDeletion ? AwsErrorCodes.KmsInvalidState : null,
            KmsOperations.CancelKeyDeletion => state == KeyState.PendingDeletion ? null : AwsErrorCodes.KmsInvalidState,
            _ => null,
        };
    }

    private static TheoryData<KeyState, string> Cells(KeyState[] states, string[] operations)
    {
        var data = new TheoryData<KeyState, string>();
        foreach (var state in states)
        {
            foreach (var operation in operations)
            {
                data.Add(state, operation);
            }
        }

        return data;
    }
}
