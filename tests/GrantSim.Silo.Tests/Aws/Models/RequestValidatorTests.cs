using System.Text;
using System.Text.Json.Nodes;
using GrantSim.Aws;
using GrantSim.Silo.Aws;
using GrantSim.Silo.Aws.Models;

namespace GrantSim.Silo.Tests.Aws.Models;

/// <summary>Requests checked against AWS's own service models, refused in AWS's words.</summary>
public sealed class RequestValidatorTests
{
    [Theory]
    [InlineData("kms", "CreateKey", """{"KeySpec":"AES"}""",
        "1 validation error detected: Value 'AES' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, SYMMETRIC_DEFAULT, HMAC_224, HMAC_256, HMAC_384, HMAC_512, SM2, ML_DSA_44, ML_DSA_65, ML_DSA_87, ECC_NIST_EDWARDS25519]")]
    [InlineData("kms", "DescribeKey", "{}",
        "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null")]
    [InlineData("kms", "GenerateDataKey", """{"KeyId":"k","NumberOfBytes":0}""",
        "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1")]
    [InlineData("kms", "GenerateDataKey", """{"KeyId":"","NumberOfBytes":2000}""",
        "2 validation errors detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '2000' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024")]
    [InlineData("kms", "CreateAlias", """{"AliasName":"alias/no spaces!","TargetKeyId":"k"}""",
        "1 validation error detected: Value 'alias/no spaces!' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$")]
    [InlineData("kms", "CreateKey", """{"Tags":[{"TagKey":"team"}]}""",
        "1 validation error detected: Value null at 'tags.1.member.tagValue' failed to satisfy constraint: Member must not be null")]
    [InlineData("kms", "CreateGrant", """{"KeyId":"k","GranteePrincipal":"p","Operations":["Decrypt","Fly"]}""",
        "1 validation error detected: Value '[Decrypt, Fly]' at 'operations' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [Decrypt, Encrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, ReEncryptFrom, ReEncryptTo, Sign, Verify, GetPublicKey, CreateGrant, RetireGrant, DescribeKey, GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext, GenerateMac, VerifyMac, DeriveSharedSecret]]")]
    [InlineData("kms", "Encrypt", """{"KeyId":"k","Plaintext":""}""",
        "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1")]
    [InlineData("ecr", "CreateRepository", """{"repositoryName":"A"}""",
        "2 validation errors detected: Value 'A' at 'repositoryName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*; Value 'A' at 'repositoryName' failed to satisfy constraint: Member must have length greater than or equal to 2")]
    public void AValueOutsideTheModel_IsAValidationException_InAwsWords(string service, string operation, string body, string message)
    {
        var error = Assert.Throws<AwsServiceException>(() => Validate(service, operation, body));

        Assert.Equal(AwsErrorCodes.Validation, error.ErrorCode);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("kms", "CreateKey", """{"Tags":1}""")]
    [InlineData("kms", "CreateKey", """{"BypassPolicyLockoutSafetyCheck":"yes"}""")]
    [InlineData("kms", "CreateKey", """{"CustomKeyStoreId":{}}""")]
    [InlineData("kms", "CreateKey", """{"XksKeyId":[1]}""")]
    [InlineData("kms", "PutKeyPolicy", """{"KeyId":"k","Policy":"{}","BypassPolicyLockoutSafetyCheck":1}""")]
    [InlineData("kms", "GenerateDataKey", """{"KeyId":"k","NumberOfBytes":1.5}""")]
    [InlineData("kms", "GenerateDataKey", """{"KeyId":"k","NumberOfBytes":99999999999}""")]
    [InlineData("kms", "Encrypt", """{"KeyId":"k","Plaintext":"not base64!"}""")]
    [InlineData("kms", "Encrypt", """{"KeyId":"k","Plaintext":"AA==","EncryptionContext":{"a":1}}""")]
    [InlineData("ecr", "DescribeImages", """{"repositoryName":"app","filter":"TAGGED"}""")]
    [InlineData("ecr", "CreateRepository", """{"repositoryName":"app","encryptionConfiguration":[]}""")]
    public void AValueOfTheWrongType_IsASerializationException(string service, string operation, string body)
    {
        var error = Assert.Throws<AwsServiceException>(() => Validate(service, operation, body));

        Assert.Equal(RequestValidator.SerializationException, error.ErrorCode);
    }

    [Theory]
    [InlineData("{\"KeyId\":\"a\\ud800x\"}")]
    [InlineData("{\"\\udc00\":1}")]
    public void AnUnpairedSurrogate_IsASerializationException(string body)
    {
        var error = Assert.Throws<AwsServiceException>(() => JsonInput.Parse(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(JsonInput.SerializationException, error.ErrorCode);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'K', (byte)'"', (byte)':', (byte)'"', (byte)'a', 0xFF, (byte)'b', (byte)'"', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xC3, (byte)'"', (byte)':', (byte)'1', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'K', (byte)'"', (byte)':', (byte)'"', 0xED, 0xA0, 0x80, (byte)'"', (byte)'}' })]
    public void InvalidUtf8_IsASerializationException(byte[] body)
    {
        var error = Assert.Throws<AwsServiceException>(() => JsonInput.Parse(body));

        Assert.Equal(JsonInput.SerializationException, error.ErrorCode);
    }

    [Fact]
    public void BothModels_CoverTheOperationsTheyShouldAndEveryPatternCompiles()
    {
        Assert.Equal("2014-11-01", ServiceModel.Kms.ApiVersion);
        Assert.Equal("TrentService", ServiceModel.Kms.TargetPrefix);
        Assert.Contains("ReEncrypt", ServiceModel.Kms.OperationNames);
        Assert.Equal("AmazonEC2ContainerRegistry_V20150921", ServiceModel.Ecr.TargetPrefix);
        Assert.Contains("PutImageTagMutability", ServiceModel.Ecr.OperationNames);
    }

    private static readonly string[] JsonKinds = ["\"text\"", "\"QUJD\"", "0", "-1", "1.5", "3000000000", "true", "false", "null", "[]", "[1]", "[\"a\"]", "{}", "{\"a\":\"b\"}", "[{}]"];

    [Property(MaxTest = 3000)]
    public Property AnyOperation_WithAnyMemberOfAnyJsonType_IsAnsweredAsAwsDoes_NeverAnyOtherException()
    {
        var operations = ServiceModel.Kms.OperationNames.Select(o => ("kms", o)).Concat(ServiceModel.Ecr.OperationNames.Select(o => ("ecr", o))).ToArray();
        var request =
            from operation in Gen.Elements(operations)
            from values in Gen.ArrayOf(Gen.Elements(JsonKinds), 12)
            select (operation.Item1, operation.Item2, values);
        return Prop.ForAll(request.ToArbitrary(), r =>
        {
            var model = r.Item1 == "kms" ? ServiceModel.Kms : ServiceModel.Ecr;
            var input = model.Operation(r.Item2)!.Input;
            var body = new JsonObject();
            var i = 0;
            foreach (var member in input?.Members ?? [])
            {
                body[member.Name] = JsonNode.Parse(r.values[i++ % r.values.Length]);
            }

            try
            {
                Validate(r.Item1, r.Item2, body.ToJsonString());
                return true;
            }
            catch (AwsServiceException error)
            {
                return error.ErrorCode is AwsErrorCodes.Validation or RequestValidator.SerializationException && error.Message.Length > 0;
            }
        });
    }

    private static void Validate(string service, string operation, string body)
    {
        var model = service == "kms" ? ServiceModel.Kms : ServiceModel.Ecr;
        RequestValidator.Validate(model.Operation(operation)!, JsonInput.Parse(Encoding.UTF8.GetBytes(body)).Root);
    }
}
