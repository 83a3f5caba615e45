using GrantSim.Audit;
using GrantSim.EndToEnd.Tests.Cluster;
using GrantSim.EndToEnd.Tests.Support;
using GrantSim.Grains;
using GrantSim.Kms;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>
/// Tags, descriptions, aliases, rotation and ReEncrypt through the unmodified AWS CLI v2 — with the current
/// service models (<see cref="AwsCli.CurrentModels"/>), since Debian's 2022 models have no on-demand rotation.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class KmsKeyManagementCliTests(AwsSilo silo)
{
    private const int Tenant = 14;

    [SkippableFact]
    public async Task Tags_AtCreateAndAfter_AndTheDescription_AsTerraformReadsThem()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, Tenant) { CurrentModels = true };

        var keyId = (await aws.JsonAsync("kms", "create-key", "--description", "tagged", "--tags", "TagKey=Team,TagValue=blue", "TagKey=Env,TagValue=dev"))
            .GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;
        await aws.JsonAsync("kms", "tag-resource", "--key-id", keyId, "--tags", "TagKey=Env,TagValue=prod", "TagKey=Cost,TagValue=");
        await aws.JsonAsync("kms", "untag-resource", "--key-id", keyId, "--tag-keys", "Cost");
        await aws.JsonAsync("kms", "update-key-description", "--key-id", keyId, "--description", "tagged and described");

        var tags = (await aws.JsonAsync("kms", "list-resource-tags", "--key-id", keyId)).GetProperty("Tags").EnumerateArray()
            .Select(t => $"{t.GetProperty("TagKey").GetString()}={t.GetProperty("TagValue").GetString()}");
        Assert.Equal(["Env=prod", "Team=blue"], tags);
        Assert.Equal("tagged and described", (await aws.JsonAsync("kms", "describe-key", "--key-id", keyId)).GetProperty("KeyMetadata").GetProperty("Description").GetString());

        var reserved = await aws.RunAsync("kms", "tag-resource", "--key-id", keyId, "--tags", "TagKey=aws:team,TagValue=x");
        Assert.Equal(AwsCli.ServiceErrorExitCode, reserved.ExitCode);
        Assert.Contains("(TagException)", reserved.StandardError, StringComparison.Ordinal);
        var tooLong = await aws.RunAsync("kms", "tag-resource", "--key-id", keyId, "--tags", $"TagKey={new string('k', 129)},TagValue=x");
        Assert.Contains("(ValidationException)", tooLong.StandardError, StringComparison.Ordinal);
        Assert.Contains("failed to satisfy constraint: Member must have length less than or equal to 128", tooLong.StandardError, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task UpdateAliasAndDeleteAlias_MoveAndRemoveTheName()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, Tenant) { CurrentModels = true };
        var first = (await aws.JsonAsync("kms", "create-key")).GetProperty("KeyMetadata").GetProperty("Arn").GetString()!;
        var second = (await aws.JsonAsync("kms", "create-key")).GetProperty("KeyMetadata").GetProperty("Arn").GetString()!;
        await aws.JsonAsync("kms", "create-alias", "--alias-name", "alias/cli-moving", "--target-key-id", first);

        await aws.JsonAsync("kms", "update-alias", "--alias-name", "alias/cli-moving", "--target-key-id", second);
        Assert.Equal(second, (await aws.JsonAsync("kms", "describe-key", "--key-id", "alias/cli-moving")).GetProperty("KeyMetadata").GetProperty("Arn").GetString());

        await aws.JsonAsync("kms", "delete-alias", "--alias-name", "alias/cli-moving");
        var gone = await aws.RunAsync("kms", "describe-key", "--key-id", "alias/cli-moving");
        Assert.Contains("(NotFoundException)", gone.StandardError, StringComparison.Ordinal);
        var again = await aws.RunAsync("kms", "delete-alias", "--alias-name", "alias/cli-moving");
        Assert.Contains("(NotFoundException)", again.StandardError, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Rotation_OnDemandAndScheduled_OldCiphertextStillDecrypts_AndReEncryptMovesIt()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, Tenant) { CurrentModels = true };
        var keyId = (await aws.JsonAsync("kms", "create-key", "--description", "rotating")).GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;
        var other = (await aws.JsonAsync("kms", "create-key", "--description", "destination")).GetProperty("KeyMetadata").GetProperty("Arn").GetString()!;

        await aws.JsonAsync("kms", "enable-key-rotation", "--key-id", keyId, "--rotation-period-in-days", "180");
        var status = await aws.JsonAsync("kms", "get-key-rotation-status", "--key-id", keyId);
        Assert.True(status.GetProperty("KeyRotationEnabled").GetBoolean());
        Assert.Equal(180, status.GetProperty("RotationPeriodInDays").GetInt32());
        Assert.True(status.TryGetProperty("NextRotationDate", out _));

        var old = (await aws.JsonAsync("kms", "encrypt", "--key-id", keyId, "--plaintext", "b2xk", "--cli-binary-format", "base64"))
            .GetProperty("CiphertextBlob").GetString()!;
        await aws.JsonAsync("kms", "rotate-key-on-demand", "--key-id", keyId);
        var rotation = Assert.Single((await aws.JsonAsync("kms", "list-key-rotations", "--key-id", keyId)).GetProperty("Rotations").EnumerateArray());
        Assert.Equal("ON_DEMAND", rotation.GetProperty("RotationType").GetString());
        Assert.Equal(64, rotation.GetProperty("KeyMaterialId").GetString()!.Length);

        var decrypted = await aws.JsonAsync("kms", "decrypt", "--ciphertext-blob", old, "--cli-binary-format", "base64");
        Assert.Equal("b2xk", decrypted.GetProperty("Plaintext").GetString());
        var moved = await aws.JsonAsync("kms", "re-encrypt", "--ciphertext-blob", old, "--destination-key-id", other,
            "--destination-encryption-context", "moved=yes", "--cli-binary-format", "base64");
        Assert.Equal(other, moved.GetProperty("KeyId").GetString());
        var movedBack = await aws.JsonAsync("kms", "decrypt", "--ciphertext-blob", moved.GetProperty("CiphertextBlob").GetString()!,
            "--encryption-context", "moved=yes", "--cli-binary-format", "base64");
        Assert.Equal("b2xk", movedBack.GetProperty("Plaintext").GetString());

        // botocore refuses a period under 90 itself, so the server's answer is read without it.
        using var raw = new AwsJsonClient(silo, Tenant);
        var tooShort = await raw.SendAsync("TrentService.EnableKeyRotation", $$"""{"KeyId":"{{keyId}}","RotationPeriodInDays":30}""");
        Assert.Equal(("ValidationException", 400), (tooShort.ErrorType, tooShort.StatusCode));
        Assert.Contains(
            "1 validation error detected: Value '30' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90",
            System.Text.Json.JsonDocument.Parse(tooShort.Body).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);

        var (account, _, _) = AwsSilo.Tenant(Tenant);
        var trail = silo.Grains.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(account, "us-east-1"));
        Assert.Single(await trail.Query(new AuditQuery(EventName: KmsOperations.RotateKeyOnDemand)), e => e.Succeeded);
        Assert.Equal(2, (await trail.Query(new AuditQuery(EventName: KmsOperations.ReEncrypt))).Count(e => e.Succeeded));
    }

    /// <summary>The import workflow the KMS developer guide gives, with OpenSSL wrapping the material: shred by deleting it, restore by importing it again.</summary>
    [SkippableFact]
    public async Task ImportedMaterial_WrappedByOpenSsl_DeletedAndImportedAgain()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var openssl = ExternalProgram.RequireAt("/usr/bin/openssl", "openssl");
        var aws = new AwsCli(silo, Tenant) { CurrentModels = true };
        var files = Directory.CreateTempSubdirectory("grantsim-import-");
        try
        {
            string File(string name) => Path.Combine(files.FullName, name);
            var keyId = (await aws.JsonAsync("kms", "create-key", "--origin", "EXTERNAL", "--description", "imported")).GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;
            Assert.Equal("PendingImport", (await aws.JsonAsync("kms", "describe-key", "--key-id", keyId)).GetProperty("KeyMetadata").GetProperty("KeyState").GetString());
            Assert.Equal(0, (await AwsCli.RunProgramAsync(openssl, ["rand", "-out", File("material.bin"), "32"], new Dictionary<string, string>())).ExitCode);

            async Task ImportAsync()
            {
                var parameters = await aws.JsonAsync("kms", "get-parameters-for-import", "--key-id", keyId, "--wrapping-algorithm", "RSAES_OAEP_SHA_256", "--wrapping-key-spec", "RSA_2048");
                await System.IO.File.WriteAllBytesAsync(File("public.der"), Convert.FromBase64String(parameters.GetProperty("PublicKey").GetString()!));
                await System.IO.File.WriteAllBytesAsync(File("token.bin"), Convert.FromBase64String(parameters.GetProperty("ImportToken").GetString()!));
                var wrapped = await AwsCli.RunProgramAsync(openssl,
                    ["pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", File("public.der"), "-in", File("material.bin"), "-out", File("wrapped.bin"),
                     "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256"], new Dictionary<string, string>());
                Assert.True(wrapped.ExitCode == 0, wrapped.Output);
                await aws.JsonAsync("kms", "import-key-material", "--key-id", keyId, "--encrypted-key-material", $"fileb://{File("wrapped.bin")}",
                    "--import-token", $"fileb://{File("token.bin")}", "--expiration-model", "KEY_MATERIAL_DOES_NOT_EXPIRE");
            }

            await ImportAsync();
            var blob = (await aws.JsonAsync("kms", "encrypt", "--key-id", keyId, "--plaintext", "c2VjcmV0", "--cli-binary-format", "base64")).GetProperty("CiphertextBlob").GetString()!;

            await aws.JsonAsync("kms", "delete-imported-key-material", "--key-id", keyId);
            var shredded = await aws.RunAsync("kms", "decrypt", "--ciphertext-blob", blob, "--cli-binary-format", "base64");
            Assert.Contains("(KMSInvalidStateException)", shredded.StandardError, StringComparison.Ordinal);

            await ImportAsync();
            var restored = await aws.JsonAsync("kms", "decrypt", "--ciphertext-blob", blob, "--cli-binary-format", "base64");
            Assert.Equal("c2VjcmV0", restored.GetProperty("Plaintext").GetString());
            Assert.Equal("EXTERNAL", (await aws.JsonAsync("kms", "describe-key", "--key-id", keyId)).GetProperty("KeyMetadata").GetProperty("Origin").GetString());
        }
        finally
        {
            files.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public async Task MultiRegionKey_ReplicatedToAnotherRegion_DecryptsThere_AndLastUsageIsReported()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, Tenant) { CurrentModels = true };
        var frankfurt = new AwsCli(silo, Tenant, "eu-central-1") { CurrentModels = true };
        var key = (await aws.JsonAsync("kms", "create-key", "--multi-region", "--description", "everywhere")).GetProperty("KeyMetadata");
        var keyId = key.GetProperty("KeyId").GetString()!;
        Assert.StartsWith("mrk-", keyId, StringComparison.Ordinal);
        Assert.Equal("PRIMARY", key.GetProperty("MultiRegionConfiguration").GetProperty("MultiRegionKeyType").GetString());
        var blob = (await aws.JsonAsync("kms", "encrypt", "--key-id", keyId, "--plaintext", "bXVsdGk=", "--encryption-context", "app=mrk", "--cli-binary-format", "base64"))
            .GetProperty("CiphertextBlob").GetString()!;

        var replica = (await aws.JsonAsync("kms", "replicate-key", "--key-id", key.GetProperty("Arn").GetString()!, "--replica-region", "eu-central-1"))
            .GetProperty("ReplicaKeyMetadata");
        Assert.Equal("REPLICA", replica.GetProperty("MultiRegionConfiguration").GetProperty("MultiRegionKeyType").GetString());
        var decrypted = await frankfurt.JsonAsync("kms", "decrypt", "--ciphertext-blob", blob, "--encryption-context", "app=mrk", "--cli-binary-format", "base64");
        Assert.Equal(("bXVsdGk=", replica.GetProperty("Arn").GetString()), (decrypted.GetProperty("Plaintext").GetString(), decrypted.GetProperty("KeyId").GetString()));

        var usage = await aws.JsonAsync("kms", "get-key-last-usage", "--key-id", keyId);
        Assert.Equal("Encrypt", usage.GetProperty("KeyLastUsage").GetProperty("Operation").GetString());
        await aws.JsonAsync("kms", "update-primary-region", "--key-id", keyId, "--primary-region", "eu-central-1");
        Assert.Equal("REPLICA", (await aws.JsonAsync("kms", "describe-key", "--key-id", keyId)).GetProperty("KeyMetadata")
            .GetProperty("MultiRegionConfiguration").GetProperty("MultiRegionKeyType").GetString());
    }
}
