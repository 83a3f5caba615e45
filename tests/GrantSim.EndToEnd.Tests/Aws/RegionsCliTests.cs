using GrantSim.EndToEnd.Tests.Cluster;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>The unmodified AWS CLI in regions beyond the first few: any region of the aws, aws-cn and aws-us-gov partitions, with the partition in every ARN, URI and principal.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class RegionsCliTests(AwsSilo silo)
{
    private const int Tenant = 10;

    [SkippableTheory]
    [InlineData("eu-central-1", "aws", "amazonaws.com")]
    [InlineData("ap-northeast-1", "aws", "amazonaws.com")]
    [InlineData("cn-north-1", "aws-cn", "amazonaws.com.cn")]
    [InlineData("us-gov-east-1", "aws-us-gov", "amazonaws.com")]
    public async Task AKmsRepository_InAnyRegion_HasItsPartitionInEveryArnUriAndPrincipal(string region, string partition, string dnsSuffix)
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, Tenant, region);
        var (account, _, _) = AwsSilo.Tenant(Tenant);

        var key = (await aws.JsonAsync("kms", "create-key", "--description", $"key in {region}")).GetProperty("KeyMetadata");
        Assert.StartsWith($"arn:{partition}:kms:{region}:{account}:key/", key.GetProperty("Arn").GetString(), StringComparison.Ordinal);

        var name = $"regions/{region}";
        var repository = (await aws.JsonAsync("ecr", "create-repository", "--repository-name", name,
            "--encryption-configuration", $"encryptionType=KMS,kmsKey={key.GetProperty("KeyId").GetString()}")).GetProperty("repository");
        Assert.Equal($"arn:{partition}:ecr:{region}:{account}:repository/{name}", repository.GetProperty("repositoryArn").GetString());
        Assert.Equal($"{account}.dkr.ecr.{region}.{dnsSuffix}/{name}", repository.GetProperty("repositoryUri").GetString());

        var grants = (await aws.JsonAsync("kms", "list-grants", "--key-id", key.GetProperty("KeyId").GetString()!)).GetProperty("Grants").EnumerateArray().ToArray();
        Assert.Equal(2, grants.Length);
        Assert.All(grants, grant => Assert.Equal($"ecr.{region}.{dnsSuffix}", grant.GetProperty("GranteePrincipal").GetString()));

        Assert.Equal(0, (await aws.RunAsync("ecr", "delete-repository", "--repository-name", name)).ExitCode);
        Assert.Empty((await aws.JsonAsync("kms", "list-grants", "--key-id", key.GetProperty("KeyId").GetString()!)).GetProperty("Grants").EnumerateArray());
    }

    [SkippableFact]
    public async Task ARequestSignedForNoRegion_IsRefusedAsAwsRefusesACredentialScopedToAnInvalidRegion()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, Tenant, "mars-north-1");

        var refused = await aws.RunAsync("kms", "list-keys");

        Assert.Equal(AwsCli.ServiceErrorExitCode, refused.ExitCode);
        Assert.Contains("(InvalidSignatureException)", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("Credential should be scoped to a valid region, not 'mars-north-1'.", refused.StandardError, StringComparison.Ordinal);
    }
}
