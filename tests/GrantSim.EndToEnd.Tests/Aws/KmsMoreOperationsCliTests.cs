using GrantSim.Audit;
using GrantSim.EndToEnd.Tests.Cluster;
using GrantSim.Grains;
using GrantSim.Kms;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>KMS operations beyond the grant lifecycle, through the unmodified AWS CLI, each recorded in the trail.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class KmsMoreOperationsCliTests(AwsSilo silo)
{
    private const int Tenant = 12;

    [SkippableFact]
    public async Task GenerateRandom_AnswersTheBytesAsked_FreshEachTime_AndIsInTheCallersTrail()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, Tenant);
        var (account, _, _) = AwsSilo.Tenant(Tenant);

        var first = Convert.FromBase64String((await aws.JsonAsync("kms", "generate-random", "--number-of-bytes", "32")).GetProperty("Plaintext").GetString()!);
        var second = Convert.FromBase64String((await aws.JsonAsync("kms", "generate-random", "--number-of-bytes", "1024")).GetProperty("Plaintext").GetString()!);

        Assert.Equal(32, first.Length);
        Assert.Equal(1024, second.Length);
        Assert.NotEqual(first, second[..32]);
        var tooMany = await aws.RunAsync("kms", "generate-random", "--number-of-bytes", "1025");
        Assert.Equal(AwsCli.ServiceErrorExitCode, tooMany.ExitCode);
        Assert.Contains("(ValidationException)", tooMany.StandardError, StringComparison.Ordinal);

        var trail = await silo.Grains.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(account, "us-east-1")).Query(new AuditQuery(EventName: KmsOperations.GenerateRandom));
        Assert.Equal(2, trail.Count(e => e.Succeeded));
    }

    [SkippableFact]
    public async Task ListKeyPolicies_NamesTheOnePolicyAKeyHas_AsTheKeyPolicyAllows()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, Tenant);
        var keyId = (await aws.JsonAsync("kms", "create-key", "--description", "list-key-policies")).GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;

        var listed = await aws.JsonAsync("kms", "list-key-policies", "--key-id", keyId);

        Assert.Equal(["default"], listed.GetProperty("PolicyNames").EnumerateArray().Select(p => p.GetString()));
        // The CLI pages ListKeyPolicies itself (Truncated / NextMarker) and prints the merged list, as it does with AWS.
        var missing = await aws.RunAsync("kms", "list-key-policies", "--key-id", Guid.NewGuid().ToString("D"));
        Assert.Equal(AwsCli.ServiceErrorExitCode, missing.ExitCode);
        Assert.Contains("(NotFoundException)", missing.StandardError, StringComparison.Ordinal);
    }
}
