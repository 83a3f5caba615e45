using GrantSim.EndToEnd.Tests.Cluster;
using GrantSim.Grains;
using GrantSim.Kms;
using Xunit.Abstractions;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>The unmodified AWS CLI against the silo's AWS endpoint: KMS and ECR through the same grains, grants and audit trail.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class AwsCliTests(AwsSilo silo, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task KmsRepository_GrantsListedRevokedAndEndedByDelete_AsTheCliShowsThem()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, tenant: 1);
        var (account, _, _) = AwsSilo.Tenant(1);

        var key = (await aws.JsonAsync("kms", "create-key", "--description", "cli e2e")).GetProperty("KeyMetadata");
        var keyId = key.GetProperty("KeyId").GetString()!;
        Assert.Equal(account, key.GetProperty("AWSAccountId").GetString());
        Assert.Equal("Enabled", key.GetProperty("KeyState").GetString());
        await aws.JsonAsync("kms", "create-alias", "--alias-name", "alias/cli-e2e", "--target-key-id", keyId);

        var repository = (await aws.JsonAsync("ecr", "create-repository", "--repository-name", "cli/app",
            "--encryption-configuration", "encryptionType=KMS,kmsKey=alias/cli-e2e")).GetProperty("repository");
        var repositoryArn = repository.GetProperty("repositoryArn").GetString()!;
        Assert.Equal($"arn:aws:ecr:us-east-1:{account}:repository/cli/app", repositoryArn);
        Assert.Equal(key.GetProperty("Arn").GetString(), repository.GetProperty("encryptionConfiguration").GetProperty("kmsKey").GetString());

        var grants = (await aws.JsonAsync("kms", "list-grants", "--key-id", keyId)).GetProperty("Grants").EnumerateArray().ToArray();
        Assert.Equal(2, grants.Length);
        foreach (var grant in grants)
        {
            Assert.Equal("ecr.us-east-1.amazonaws.com", grant.GetProperty("GranteePrincipal").GetString());
            Assert.Equal("ecr.us-east-1.amazonaws.com", grant.GetProperty("RetiringPrincipal").GetString());
            Assert.Equal(account, grant.GetProperty("IssuingAccount").GetString());
            Assert.Equal(["Decrypt", "GenerateDataKey"], grant.GetProperty("Operations").EnumerateArray().Select(o => o.GetString()!).Order(StringComparer.Ordinal));
            Assert.Equal(repositoryArn, grant.GetProperty("Constraints").GetProperty("EncryptionContextSubset").GetProperty("aws:ecr:arn").GetString());
        }

        var revoked = grants[0].GetProperty("GrantId").GetString()!;
        await aws.JsonAsync("kms", "revoke-grant", "--key-id", keyId, "--grant-id", revoked);
        var left = (await aws.JsonAsync("kms", "list-grants", "--key-id", keyId)).GetProperty("Grants").EnumerateArray().Select(g => g.GetProperty("GrantId").GetString()).ToArray();
        Assert.Equal(grants[1].GetProperty("GrantId").GetString(), Assert.Single(left));

        var deleted = await aws.RunAsync("ecr", "delete-repository", "--repository-name", "cli/app");
        output.WriteLine($"delete-repository exited {deleted.ExitCode}: {deleted.Output}");
        Assert.Equal(0, deleted.ExitCode);
        Assert.Empty((await aws.JsonAsync("kms", "list-grants", "--key-id", keyId)).GetProperty("Grants").EnumerateArray());

        // KMS forgets ended grants; the key grain's history says how each ended.
        var history = await silo.Grains.GetGrain<IKeyGrain>(GrainKeys.Key(account, "us-east-1", keyId)).GetGrantHistory();
        Assert.Equal(GrantStatus.Revoked, history.Single(g => g.Grant.GrantId == revoked).Status);
        Assert.Equal(GrantStatus.Retired, history.Single(g => g.Grant.GrantId != revoked).Status);

        var repositories = await aws.RunAsync("ecr", "describe-repositories", "--repository-names", "cli/app");
        Assert.Equal(AwsCli.ServiceErrorExitCode, repositories.ExitCode);
        Assert.Contains("RepositoryNotFoundException", repositories.StandardError, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task KmsOperations_RoundTripThroughTheCli()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, tenant: 2);
        var keyId = (await aws.JsonAsync("kms", "create-key")).GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;

        var plaintext = Convert.ToBase64String("hello grantsim"u8.ToArray());
        var encrypted = await aws.JsonAsync("kms", "encrypt", "--key-id", keyId, "--plaintext", plaintext, "--encryption-context", "purpose=e2e", "--cli-binary-format", "base64");
        var ciphertext = encrypted.GetProperty("CiphertextBlob").GetString()!;
        var decrypted = await aws.JsonAsync("kms", "decrypt", "--ciphertext-blob", ciphertext, "--encryption-context", "purpose=e2e", "--cli-binary-format", "base64");
        Assert.Equal(plaintext, decrypted.GetProperty("Plaintext").GetString());

        var wrongContext = await aws.RunAsync("kms", "decrypt", "--ciphertext-blob", ciphertext, "--encryption-context", "purpose=other", "--cli-binary-format", "base64");
        Assert.Equal(AwsCli.ServiceErrorExitCode, wrongContext.ExitCode);
        Assert.Contains("(InvalidCiphertextException)", wrongContext.StandardError, StringComparison.Ordinal);

        var grant = await aws.JsonAsync("kms", "create-grant", "--key-id", keyId, "--grantee-principal", $"arn:aws:iam::{AwsSilo.Tenant(2).Account}:role/reader",
            "--operations", "Decrypt", "--retiring-principal", $"arn:aws:iam::{AwsSilo.Tenant(2).Account}:root", "--name", "reader-grant");
        var retirable = await aws.JsonAsync("kms", "list-retirable-grants", "--retiring-principal", $"arn:aws:iam::{AwsSilo.Tenant(2).Account}:root");
        Assert.Contains(retirable.GetProperty("Grants").EnumerateArray(), g => g.GetProperty("GrantId").GetString() == grant.GetProperty("GrantId").GetString());
        await aws.JsonAsync("kms", "retire-grant", "--grant-token", grant.GetProperty("GrantToken").GetString()!);

        await aws.JsonAsync("kms", "disable-key", "--key-id", keyId);
        Assert.Equal("Disabled", (await aws.JsonAsync("kms", "describe-key", "--key-id", keyId)).GetProperty("KeyMetadata").GetProperty("KeyState").GetString());
        var whileDisabled = await aws.RunAsync("kms", "generate-data-key", "--key-id", keyId, "--key-spec", "AES_256");
        Assert.Equal(AwsCli.ServiceErrorExitCode, whileDisabled.ExitCode);
        Assert.Contains("(DisabledException)", whileDisabled.StandardError, StringComparison.Ordinal);
        await aws.JsonAsync("kms", "enable-key", "--key-id", keyId);

        var scheduled = await aws.JsonAsync("kms", "schedule-key-deletion", "--key-id", keyId, "--pending-window-in-days", "7");
        Assert.Equal("PendingDeletion", scheduled.GetProperty("KeyState").GetString());
        await aws.JsonAsync("kms", "cancel-key-deletion", "--key-id", keyId);
        Assert.Equal("Disabled", (await aws.JsonAsync("kms", "describe-key", "--key-id", keyId)).GetProperty("KeyMetadata").GetProperty("KeyState").GetString());

        var policy = (await aws.JsonAsync("kms", "get-key-policy", "--key-id", keyId, "--policy-name", "default")).GetProperty("Policy").GetString()!;
        await aws.JsonAsync("kms", "put-key-policy", "--key-id", keyId, "--policy-name", "default", "--policy", policy);
        Assert.Contains((await aws.JsonAsync("kms", "list-keys")).GetProperty("Keys").EnumerateArray(), k => k.GetProperty("KeyId").GetString() == keyId);
        Assert.Empty((await aws.JsonAsync("kms", "list-aliases", "--key-id", keyId)).GetProperty("Aliases").EnumerateArray());
    }

    public static TheoryData<string[], string> Errors => new()
    {
        { ["kms", "describe-key", "--key-id", "alias/does-not-exist"], "NotFoundException" },
        { ["kms", "describe-key", "--key-id", "arn:aws:kms:us-east-1:740000000003:nonsense"], "NotFoundException" },
        { ["kms", "create-alias", "--alias-name", "alias/aws/mine", "--target-key-id", "alias/nothing"], "NotFoundException" },
        { ["ecr", "create-repository", "--repository-name", "Bad_Name"], "ValidationException" },
        { ["ecr", "delete-repository", "--repository-name", "never-made"], "RepositoryNotFoundException" },
        { ["ecr", "create-repository", "--repository-name", "kms-missing", "--encryption-configuration", "encryptionType=KMS,kmsKey=alias/missing"], "KmsException" },
        { ["ecr", "describe-repositories", "--registry-id", "740000000099"], "AccessDeniedException" },
    };

    [SkippableTheory]
    [MemberData(nameof(Errors))]
    public async Task Errors_PrintTheExceptionNameAndExit254(string[] arguments, string exception)
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, tenant: 3);

        var result = await aws.RunAsync(arguments);

        Assert.True(result.ExitCode == AwsCli.ServiceErrorExitCode, result.Output);
        Assert.Contains($"An error occurred ({exception})", result.StandardError, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AWrongSecret_IsAnInvalidSignature_AndAnUnknownKeyUnrecognized()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, tenant: 4);
        var environment = new Dictionary<string, string>(aws.Environment) { ["AWS_SECRET_ACCESS_KEY"] = "wrong" };

        var wrongSecret = await AwsCli.RunProgramAsync(AwsCli.Path, ["--endpoint-url", silo.Endpoint, "kms", "list-keys"], environment);
        environment["AWS_ACCESS_KEY_ID"] = "AKIDNOBODY";
        var unknownKey = await AwsCli.RunProgramAsync(AwsCli.Path, ["--endpoint-url", silo.Endpoint, "kms", "list-keys"], environment);

        Assert.Equal(AwsCli.ServiceErrorExitCode, wrongSecret.ExitCode);
        Assert.Contains("(InvalidSignatureException)", wrongSecret.StandardError, StringComparison.Ordinal);
        Assert.Equal(AwsCli.ServiceErrorExitCode, unknownKey.ExitCode);
        Assert.Contains("(UnrecognizedClientException)", unknownKey.StandardError, StringComparison.Ordinal);
    }
}
