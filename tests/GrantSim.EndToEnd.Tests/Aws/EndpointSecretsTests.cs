using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GrantSim.EndToEnd.Tests.Cluster;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>
/// The secrets that exist only in the AWS endpoint's process — the tenants' secret access keys, the
/// registry's token secret, the registry passwords it issues — and the ones it passes through (grant
/// tokens, data keys, data key pairs' private keys, random bytes, import tokens, imported material) never reach its output, with every log category at Debug: a silo of its own
/// serves signed and mis-signed KMS calls, grants and data keys, a registry login, a push and mangled
/// registry passwords, and then its whole output is searched for each secret in every usual spelling.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class EndpointSecretsTests
{
    private const int Tenant = 3;

    [Fact]
    public async Task NoSecret_ReachesTheEndpointsOutput_EvenAtDebug()
    {
        var tokenSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var silo = new AwsSilo { LogLevel = "Debug", TokenSecret = tokenSecret };
        try
        {
            await silo.StartAsync();
            await ServeAndSearchAsync(silo, tokenSecret);
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    private static async Task ServeAndSearchAsync(AwsSilo silo, string tokenSecret)
    {
        using var json = new AwsJsonClient(silo, Tenant);
        using var registry = new RegistryHttp(silo);
        var (account, _, secretAccessKey) = AwsSilo.Tenant(Tenant);
        var secrets = new List<string> { secretAccessKey, tokenSecret };

        var key = Field(await json.SendAsync("TrentService.CreateKey", "{}"), "KeyMetadata", "Arn");
        var grant = await json.SendAsync("TrentService.CreateGrant",
            $$"""{"KeyId":"{{key}}","GranteePrincipal":"arn:aws:iam::{{account}}:role/reader","Operations":["Decrypt","GenerateDataKey"]}""");
        var grantToken = Field(grant, "GrantToken");
        secrets.Add(grantToken);
        var generated = await json.SendAsync("TrentService.GenerateDataKey", $$"""{"KeyId":"{{key}}","KeySpec":"AES_256","GrantTokens":["{{grantToken}}"]}""");
        var dataKey = Field(generated, "Plaintext");
        secrets.Add(dataKey);
        secrets.Add(Convert.ToHexStringLower(Convert.FromBase64String(dataKey)));
        var decrypted = await json.SendAsync("TrentService.Decrypt", $$"""{"CiphertextBlob":"{{Field(generated, "CiphertextBlob")}}","GrantTokens":["{{grantToken}}"]}""");
        Assert.Equal(dataKey, Field(decrypted, "Plaintext"));
        // The secrets of the wider KMS: a data key pair's private key, random bytes, an import token and imported material.
        var pair = await json.SendAsync("TrentService.GenerateDataKeyPair", $$"""{"KeyId":"{{key}}","KeyPairSpec":"ECC_NIST_P256"}""");
        var privateKey = Field(pair, "PrivateKeyPlaintext");
        secrets.AddRange([privateKey, Convert.ToHexStringLower(Convert.FromBase64String(privateKey))]);
        secrets.Add(Field(await json.SendAsync("TrentService.GenerateRandom", """{"NumberOfBytes":32}"""), "Plaintext"));
        var external = Field(await json.SendAsync("TrentService.CreateKey", """{"Origin":"EXTERNAL"}"""), "KeyMetadata", "Arn");
        var parameters = await json.SendAsync("TrentService.GetParametersForImport",
            $$"""{"KeyId":"{{external}}","WrappingAlgorithm":"RSAES_OAEP_SHA_256","WrappingKeySpec":"RSA_2048"}""");
        var importToken = Field(parameters, "ImportToken");
        var material = RandomNumberGenerator.GetBytes(32);
        secrets.AddRange([importToken, Convert.ToBase64String(material), Convert.ToHexStringLower(material)]);
        using (var wrapping = RSA.Create())
        {
            wrapping.ImportSubjectPublicKeyInfo(Convert.FromBase64String(Field(parameters, "PublicKey")), out _);
            var wrapped = Convert.ToBase64String(wrapping.Encrypt(material, RSAEncryptionPadding.OaepSHA256));
            Assert.Null((await json.SendAsync("TrentService.ImportKeyMaterial",
                $$"""{"KeyId":"{{external}}","ImportToken":"{{importToken}}","EncryptedKeyMaterial":"{{wrapped}}","ExpirationModel":"KEY_MATERIAL_DOES_NOT_EXPIRE"}""")).ErrorType);
        }

        var forged = "AQ" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(90));
        secrets.Add(forged);
        Assert.Equal("InvalidGrantTokenException", (await json.SendAsync("TrentService.Decrypt",
            $$"""{"CiphertextBlob":"{{Field(generated, "CiphertextBlob")}}","GrantTokens":["{{forged}}"]}""")).ErrorType);

        using (var misSigned = new AwsJsonClient(silo, Tenant, signingSecret: "not-" + secretAccessKey))
        {
            secrets.Add("not-" + secretAccessKey);
            Assert.Equal("InvalidSignatureException", (await misSigned.SendAsync("TrentService.ListKeys", "{}")).ErrorType);
        }

        Assert.Equal(200, (await json.SendAsync("AmazonEC2ContainerRegistry_V20150921.CreateRepository", """{"repositoryName":"secrets/app"}""")).StatusCode);
        var login = await RegistryHttp.BasicAuthAsync(json);
        var password = Encoding.UTF8.GetString(Convert.FromBase64String(login.Parameter!))["AWS:".Length..];
        secrets.AddRange([login.Parameter!, password, password[(password.LastIndexOf('.') + 1)..]]);
        var layer = RandomNumberGenerator.GetBytes(3000);
        using (var push = await registry.SendAsync(HttpMethod.Post, $"/v2/secrets/app/blobs/uploads/?digest={RegistryHttp.Digest(layer)}", login, layer))
        {
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        }

        var mangled = password[..^2] + (password[^2] == 'A' ? "BB" : "AA");
        secrets.Add(mangled);
        using (var refused = await registry.SendAsync(HttpMethod.Get, "/v2/secrets/app/tags/list",
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:" + mangled)))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var output = silo.FullOutput;
        // Not vacuous: at Debug the silo wrote about these very calls.
        Assert.Contains(key, output, StringComparison.Ordinal);
        var leaked = secrets.Where(secret => output.Contains(secret, StringComparison.Ordinal)).ToArray();
        Assert.True(leaked.Length == 0, $"found in the silo's output ({output.Length} characters): {string.Join(", ", leaked.Select(l => l[..Math.Min(12, l.Length)] + "…"))}");
    }

    private static string Field(AwsJsonAnswer answer, params string[] path)
    {
        Assert.True(answer.StatusCode == 200, answer.Body);
        using var document = JsonDocument.Parse(answer.Body);
        var element = document.RootElement;
        foreach (var name in path)
        {
            element = element.GetProperty(name);
        }

        return element.GetString()!;
    }
}
