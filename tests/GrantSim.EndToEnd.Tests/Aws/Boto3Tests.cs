using System.Text.Json;
using GrantSim.EndToEnd.Tests.Cluster;
using GrantSim.EndToEnd.Tests.Support;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>boto3 (Debian's python3-boto3), unmodified: data keys and encryption contexts through KMS grants.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class Boto3Tests(AwsSilo silo)
{
    private const int Tenant = 7;

    // Prints one JSON line of findings; every KMS error is caught and named, as an SDK user would.
    private const string Script = """
        import base64, json, sys
        import boto3
        from botocore.exceptions import ClientError

        kms = boto3.client("kms", endpoint_url=sys.argv[1], region_name="eu-west-1")
        def error(call):
            try:
                call()
                return None
            except ClientError as e:
                return [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]

        key = kms.create_key(Description="boto3")["KeyMetadata"]
        context = {"tenant": "boto3", "purpose": "e2e"}
        data_key = kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256", EncryptionContext=context)
        decrypted = kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"], EncryptionContext=dict(reversed(list(context.items()))))
        without = kms.generate_data_key_without_plaintext(KeyId=key["Arn"], NumberOfBytes=64, EncryptionContext=context)
        without_plain = kms.decrypt(CiphertextBlob=without["CiphertextBlob"], EncryptionContext=context)["Plaintext"]

        role = "arn:aws:iam::%s:role/app" % key["AWSAccountId"]
        grant = kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=role, Operations=["Decrypt", "GenerateDataKey"],
                                 Constraints={"EncryptionContextSubset": {"tenant": "boto3"}})
        listed = kms.list_grants(KeyId=key["KeyId"])["Grants"]

        print(json.dumps({
            "keyRegion": key["Arn"].split(":")[3],
            "plaintextLength": len(data_key["Plaintext"]),
            "roundTrip": decrypted["Plaintext"] == data_key["Plaintext"],
            "decryptKeyId": decrypted["KeyId"] == key["Arn"],
            "withoutHasPlaintext": "Plaintext" in without,
            "withoutLength": len(without_plain),
            "wrongContext": error(lambda: kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"], EncryptionContext={"tenant": "other"})),
            "missingContext": error(lambda: kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"])),
            "badKeySpec": error(lambda: kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256", NumberOfBytes=32)),
            "grantConstraint": listed[0]["Constraints"],
            "grantId": listed[0]["GrantId"] == grant["GrantId"],
        }))
        """;

    [SkippableFact]
    public async Task Boto3_GenerateDataKeyAndDecrypt_BindTheEncryptionContext()
    {
        await silo.StartAsync();
        var python = ExternalProgram.RequireAt("/usr/bin/python3", "python3");
        ExternalProgram.RequireAt("/usr/lib/python3/dist-packages/boto3/__init__.py", "python3-boto3");
        var environment = new Dictionary<string, string>(new AwsCli(silo, Tenant).Environment) { ["PYTHONNOUSERSITE"] = "1" };

        var result = await AwsCli.RunProgramAsync(python, ["-c", Script, silo.Endpoint], environment);

        Assert.True(result.ExitCode == 0, result.Output);
        var findings = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Equal("eu-west-1", findings.GetProperty("keyRegion").GetString());
        Assert.Equal(32, findings.GetProperty("plaintextLength").GetInt32());
        Assert.True(findings.GetProperty("roundTrip").GetBoolean());
        Assert.True(findings.GetProperty("decryptKeyId").GetBoolean());
        Assert.False(findings.GetProperty("withoutHasPlaintext").GetBoolean());
        Assert.Equal(64, findings.GetProperty("withoutLength").GetInt32());
        Assert.Equal("[\"InvalidCiphertextException\",400]", findings.GetProperty("wrongContext").GetRawText().Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal("[\"InvalidCiphertextException\",400]", findings.GetProperty("missingContext").GetRawText().Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal("ValidationException", findings.GetProperty("badKeySpec")[0].GetString());
        Assert.Equal("boto3", findings.GetProperty("grantConstraint").GetProperty("EncryptionContextSubset").GetProperty("tenant").GetString());
        Assert.True(findings.GetProperty("grantId").GetBoolean());
    }
}
