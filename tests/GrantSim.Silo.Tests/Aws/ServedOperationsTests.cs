using System.Reflection;
using GrantSim.Aws;
using GrantSim.Identity;
using GrantSim.Silo.Aws;
using GrantSim.Silo.Aws.Models;
using GrantSim.Silo.Tests.Aws.Fuzzing;
using Xunit.Abstractions;

namespace GrantSim.Silo.Tests.Aws;

/// <summary>
/// Which of the service models' operations the endpoint serves, counted against the models themselves:
/// an operation is served when its reader has a handler for it (<c>Prepare</c> answers a call or refuses the
/// request; only an operation with no handler answers null, which the endpoint turns into
/// UnknownOperationException). The counts are printed — docs/aws-endpoints.md quotes them — and may only grow.
/// </summary>
public sealed class ServedOperationsTests(ITestOutputHelper output)
{
    /// <summary>What this test counted when it last changed: the floors a change may not go under.</summary>
    private const int KmsServedFloor = 48;

    private const int EcrServedFloor = 58;

    private static readonly AuthenticatedCaller Caller = new(CallerIdentity.Root("aws", "123456789012"), "123456789012", Regions.UsEast1, "kms", "AKIDSERVED");

    [Fact]
    public void KmsOperationsServed_AreCountedAgainstTheModel()
    {
        var kms = new KmsApi(DispatchProxy.Create<IGrainFactory, RequestFuzzer.NoGrains>());
        var (served, missing) = Count(ServiceModel.Kms, operation => kms.Prepare(operation, JsonInput.Parse("{}"u8), Caller.Caller, Caller.Region) is not null);
        var customKeyStore = missing.Count(o => o.Contains("CustomKeyStore", StringComparison.Ordinal));
        output.WriteLine($"KMS operations served: {served.Count} of the model's {served.Count + missing.Count}; "
            + $"{served.Count} of the {served.Count + missing.Count - customKeyStore} that are not custom key store operations");
        output.WriteLine("not served: " + string.Join(", ", missing));
        Assert.True(served.Count >= KmsServedFloor, $"{served.Count} KMS operations served, fewer than {KmsServedFloor}");
    }

    [Fact]
    public void EcrOperationsServed_AreCountedAgainstTheModel()
    {
        var tokens = new RegistryToken("a served-operations secret of 32 bytes"u8.ToArray(), TimeProvider.System);
        var ecr = new EcrApi(DispatchProxy.Create<IGrainFactory, RequestFuzzer.NoGrains>(), new UploadSessions(new UploadLimits(), TimeProvider.System), tokens);
        var (served, missing) = Count(ServiceModel.Ecr, operation => ecr.Prepare(operation, JsonInput.Parse("{}"u8), Caller, "127.0.0.1") is not null);
        output.WriteLine($"ECR operations served: {served.Count} of the model's {served.Count + missing.Count}");
        output.WriteLine("not served: " + string.Join(", ", missing));
        Assert.True(served.Count >= EcrServedFloor, $"{served.Count} ECR operations served, fewer than {EcrServedFloor}");
    }

    private static (IReadOnlyList<string> Served, IReadOnlyList<string> Missing) Count(ServiceModel model, Func<string, bool> handled)
    {
        var served = new List<string>();
        var missing = new List<string>();
        foreach (var operation in model.OperationNames.Order(StringComparer.Ordinal))
        {
            bool isServed;
            try
            {
                isServed = handled(operation);
            }
            catch (Exception error) when (error is AwsServiceException or ArgumentException)
            {
                // The handler read the empty request and refused it: it exists.
                isServed = true;
            }

            (isServed ? served : missing).Add(operation);
        }

        return (served, missing);
    }
}
