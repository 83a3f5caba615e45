using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Kms;

public sealed class KeyRotationsTests
{
    private static readonly EncryptionContext Context = EncryptionContext.Of(("repo", "app"));

    /// <summary>One step of a rotation history: rotate on demand, let days pass, disable, or enable.</summary>
    public enum Step
    {
        RotateOnDemand,
        Wait100Days,
        Wait400Days,
        Disable,
        Enable,
        EnableRotation,
        DisableRotation,
    }

    [Property(MaxTest = 200)]
    public bool AnyCiphertext_DecryptsAfterAnySequenceOfRotations(Step[] steps)
    {
        var key = CustomerKey();
        var now = T0;
        var blobs = new List<(byte[] Blob, byte Plaintext)>();
        foreach (var step in steps.Take(40))
        {
            key = KeyLifecycle.AsOf(key, now);
            if (key.State == KeyState.Enabled)
            {
                var plaintext = (byte)blobs.Count;
                blobs.Add((KmsCiphertext.Encrypt(KeyRotations.CurrentMaterial(key), key.Arn, key.CurrentMaterialVersion, [plaintext], Context), plaintext));
            }

            try
            {
                (key, now) = step switch
                {
                    Step.RotateOnDemand => (KeyRotations.RotateOnDemand(key, now), now),
                    Step.Wait100Days => (key, now.AddDays(100)),
                    Step.Wait400Days => (key, now.AddDays(400)),
                    Step.Disable => (KeyLifecycle.Disable(key), now),
                    Step.Enable => (KeyLifecycle.Enable(key, now), now),
                    Step.EnableRotation => (KeyRotations.Enable(key, 90, now), now),
                    _ => (KeyRotations.Disable(key), now),
                };
            }
            catch (AwsServiceException)
            {
                // A refused step (a disabled key's rotation, the on-demand limit) changes nothing.
            }
        }

        key = KeyLifecycle.AsOf(key, now);
        return blobs.All(b =>
            KmsCiphertext.TryReadHeader(b.Blob, out _, out var version)
            && KmsCiphertext.Decrypt(KeyRotations.Material(key, version), b.Blob, Context).SequenceEqual(new[] { b.Plaintext }));
    }

    [Fact]
    public void Material_OfEachVersion_IsItsOwn_AndAVersionNeverHadIsInvalid()
    {
        var key = KeyRotations.RotateOnDemand(KeyRotations.RotateOnDemand(CustomerKey(), T0), T0.AddHours(1));

        var materials = Enumerable.Range(0, 3).Select(v => KeyRotations.Material(key, v)).ToArray();

        Assert.Equal(3, materials.Select(Convert.ToHexString).Distinct().Count());
        Assert.Equal(key.Material, materials[0]);
        Assert.Equal(materials[2], KeyRotations.CurrentMaterial(key));
        Assert.Equal(AwsErrorCodes.InvalidCiphertext, Assert.Throws<AwsServiceException>(() => KeyRotations.Material(key, 3)).ErrorCode);
        Assert.DoesNotContain(KeyRotations.MaterialId(key, 1), Convert.ToHexStringLower(materials[1]));
    }

    [Fact]
    public void AutomaticRotation_RunsEveryPeriod_FromTheDayItWasEnabled()
    {
        var key = KeyRotations.Enable(CustomerKey(), 90, T0);

        var aged = KeyLifecycle.AsOf(key, T0.AddDays(270));

        Assert.Equal([T0.AddDays(90), T0.AddDays(180), T0.AddDays(270)], aged.RotationList.Select(r => r.Date));
        Assert.Equal(T0.AddDays(360), aged.NextRotationDate);
        Assert.Equal(0, KeyLifecycle.AsOf(key, T0.AddDays(89)).CurrentMaterialVersion);
    }

    [Fact]
    public void AKeyPendingDeletion_ReportsRotationOff_AndACancelledDeletionRestoresIt()
    {
        var key = KeyRotations.Enable(CustomerKey(), 365, T0);
        var pending = KeyLifecycle.ScheduleDeletion(key, 7, T0);

        Assert.False(KeyRotations.Status(pending).Enabled);
        Assert.Equal(0, KeyLifecycle.AsOf(pending, T0.AddDays(6)).CurrentMaterialVersion);
        var restored = KeyLifecycle.Enable(KeyLifecycle.CancelDeletion(pending), T0.AddDays(1));
        Assert.True(KeyRotations.Status(restored).Enabled);
        Assert.Equal(365, KeyRotations.Status(restored).RotationPeriodInDays);
    }

    [Fact]
    public void OnDemandRotations_StopAtTheLimit_AndDoNotMoveTheSchedule()
    {
        var key = KeyRotations.Enable(CustomerKey(), 730, T0);
        for (var i = 0; i < KeyRotations.MaxOnDemandRotations; i++)
        {
            key = KeyRotations.RotateOnDemand(key, T0.AddDays(i));
        }

        Assert.Equal(AwsErrorCodes.LimitExceeded, Assert.Throws<AwsServiceException>(() => KeyRotations.RotateOnDemand(key, T0.AddDays(30))).ErrorCode);
        Assert.Equal(T0.AddDays(730), key.NextRotationDate);
    }

    [Theory]
    [InlineData(89)]
    [InlineData(2561)]
    public void Period_OutsideTheModelsRange_IsValidationException(int days)
    {
        var error = Assert.Throws<AwsServiceException>(() => KeyRotations.Enable(CustomerKey(), days, T0));
        Assert.Equal($"1 validation error detected: Value '{days}' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value between 90 and 2560", error.Message);
    }

    [Fact]
    public void AwsManagedKey_RotatesYearly_AndNobodyChangesIt()
    {
        var key = AwsManagedEcrKey();

        Assert.True(KeyRotations.Status(key).Enabled);
        Assert.Equal(1, KeyLifecycle.AsOf(key, T0.AddDays(365)).CurrentMaterialVersion);
        Assert.Equal(AwsErrorCodes.UnsupportedOperation, Assert.Throws<AwsServiceException>(() => KeyRotations.Disable(key)).ErrorCode);
        Assert.Equal(AwsErrorCodes.UnsupportedOperation, Assert.Throws<AwsServiceException>(() => KeyRotations.RotateOnDemand(key, T0)).ErrorCode);
    }
}
