using System.Text.Json;
using GrantSim.EndToEnd.Tests.Cluster;
using GrantSim.EndToEnd.Tests.Support;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>
/// Asymmetric and HMAC keys checked by real peers, never by GrantSim alone: boto3 (Debian's, reading the current
/// KMS model through AWS_DATA_PATH) drives the silo, Python's <c>cryptography</c> verifies every signature,
/// encrypts for the RSA key, derives the ECDH secret on its own side and opens the data key pair; OpenSSL
/// verifies a signature from the files it was given.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AsymmetricKeysPeerTests(AwsSilo silo)
{
    private const int Tenant = 16;

    // Prints one JSON line of findings; every KMS error is caught and named, as an SDK user would.
    private const string Script = """
        import base64, json, os, sys
        import boto3
        from botocore.exceptions import ClientError
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec, padding

        kms = boto3.client("kms", endpoint_url=sys.argv[1], region_name="us-east-1")
        out_dir = sys.argv[2]
        def error(call):
            try:
                call()
                return None
            except ClientError as e:
                return e.response["Error"]["Code"]

        findings = {}
        message = b"GrantSim signs this"
        hash_of = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}
        for spec, algorithm in [("RSA_2048", "RSASSA_PSS_SHA_256"), ("RSA_3072", "RSASSA_PKCS1_V1_5_SHA_384"), ("RSA_4096", "RSASSA_PSS_SHA_512"),
                                ("ECC_NIST_P256", "ECDSA_SHA_256"), ("ECC_NIST_P384", "ECDSA_SHA_384"), ("ECC_NIST_P521", "ECDSA_SHA_512"),
                                ("ECC_SECG_P256K1", "ECDSA_SHA_256")]:
            key = kms.create_key(KeySpec=spec, KeyUsage="SIGN_VERIFY")["KeyMetadata"]
            public = kms.get_public_key(KeyId=key["KeyId"])
            signature = kms.sign(KeyId=key["KeyId"], Message=message, SigningAlgorithm=algorithm)["Signature"]
            peer = serialization.load_der_public_key(public["PublicKey"])
            h = hash_of[algorithm[-3:]]
            if spec.startswith("RSA"):
                pad = padding.PSS(mgf=padding.MGF1(h), salt_length=padding.PSS.DIGEST_LENGTH) if "PSS" in algorithm else padding.PKCS1v15()
                peer.verify(signature, message, pad, h)
            else:
                peer.verify(signature, message, ec.ECDSA(h))
            findings[spec] = {
                "verifiedByPeer": True,
                "signingAlgorithms": key["SigningAlgorithms"],
                "kmsVerify": kms.verify(KeyId=key["KeyId"], Message=message, Signature=signature, SigningAlgorithm=algorithm)["SignatureValid"],
                "tampered": error(lambda: kms.verify(KeyId=key["KeyId"], Message=message + b"!", Signature=signature, SigningAlgorithm=algorithm)),
            }
            if spec == "ECC_NIST_P256":
                open(os.path.join(out_dir, "public.der"), "wb").write(public["PublicKey"])
                open(os.path.join(out_dir, "signature.der"), "wb").write(signature)
                open(os.path.join(out_dir, "message.bin"), "wb").write(message)

        rsa_key = kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]
        rsa_public = serialization.load_der_public_key(kms.get_public_key(KeyId=rsa_key["KeyId"])["PublicKey"])
        sealed = rsa_public.encrypt(b"for the key only", padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
        findings["rsaDecrypt"] = kms.decrypt(KeyId=rsa_key["KeyId"], CiphertextBlob=sealed, EncryptionAlgorithm="RSAES_OAEP_SHA_256")["Plaintext"].decode()
        findings["rsaNoKeyId"] = error(lambda: kms.decrypt(CiphertextBlob=sealed, EncryptionAlgorithm="RSAES_OAEP_SHA_256"))
        findings["rsaSymmetricAlgorithm"] = error(lambda: kms.encrypt(KeyId=rsa_key["KeyId"], Plaintext=b"x"))
        findings["rsaGenerateDataKey"] = error(lambda: kms.generate_data_key(KeyId=rsa_key["KeyId"], KeySpec="AES_256"))

        mac_key = kms.create_key(KeySpec="HMAC_384", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]
        mac = kms.generate_mac(KeyId=mac_key["KeyId"], Message=message, MacAlgorithm="HMAC_SHA_384")["Mac"]
        findings["macLength"] = len(mac)
        findings["macValid"] = kms.verify_mac(KeyId=mac_key["KeyId"], Message=message, MacAlgorithm="HMAC_SHA_384", Mac=mac)["MacValid"]
        findings["macTampered"] = error(lambda: kms.verify_mac(KeyId=mac_key["KeyId"], Message=message + b"!", MacAlgorithm="HMAC_SHA_384", Mac=mac))
        findings["macWrongAlgorithm"] = error(lambda: kms.generate_mac(KeyId=mac_key["KeyId"], Message=message, MacAlgorithm="HMAC_SHA_256"))
        findings["macAlgorithms"] = mac_key["MacAlgorithms"]

        agreement = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="KEY_AGREEMENT")["KeyMetadata"]
        kms_public = serialization.load_der_public_key(kms.get_public_key(KeyId=agreement["KeyId"])["PublicKey"])
        mine = ec.generate_private_key(ec.SECP256R1())
        mine_der = mine.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        kms_secret = kms.derive_shared_secret(KeyId=agreement["KeyId"], KeyAgreementAlgorithm="ECDH", PublicKey=mine_der)["SharedSecret"]
        findings["ecdhAgrees"] = kms_secret == mine.exchange(ec.ECDH(), kms_public)

        wrapping = kms.create_key(Description="wraps data key pairs")["KeyMetadata"]
        context = {"purpose": "key-pair"}
        pair = kms.generate_data_key_pair(KeyId=wrapping["KeyId"], KeyPairSpec="ECC_NIST_P384", EncryptionContext=context)
        private = serialization.load_der_private_key(pair["PrivateKeyPlaintext"], password=None)
        findings["pairMatches"] = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo) == pair["PublicKey"]
        findings["pairUnwraps"] = kms.decrypt(CiphertextBlob=pair["PrivateKeyCiphertextBlob"], EncryptionContext=context)["Plaintext"] == pair["PrivateKeyPlaintext"]
        without = kms.generate_data_key_pair_without_plaintext(KeyId=wrapping["KeyId"], KeyPairSpec="RSA_2048")
        findings["withoutPlaintext"] = "PrivateKeyPlaintext" in without
        findings["signWithSymmetric"] = error(lambda: kms.sign(KeyId=wrapping["KeyId"], Message=message, SigningAlgorithm="ECDSA_SHA_256"))
        findings["notSimulated"] = error(lambda: kms.create_key(KeySpec="SM2", KeyUsage="SIGN_VERIFY"))
        print(json.dumps(findings))
        """;

    [SkippableFact]
    public async Task SignaturesMacsAgreementAndKeyPairs_AreCheckedByPythonCryptographyAndOpenSsl()
    {
        await silo.StartAsync();
        var python = ExternalProgram.RequireAt("/usr/bin/python3", "python3");
        ExternalProgram.RequireAt("/usr/lib/python3/dist-packages/boto3/__init__.py", "python3-boto3");
        ExternalProgram.RequireAt("/usr/lib/python3/dist-packages/cryptography/__init__.py", "python3-cryptography");
        var openssl = ExternalProgram.RequireAt("/usr/bin/openssl", "openssl");
        var files = Directory.CreateTempSubdirectory("grantsim-asymmetric-");
        try
        {
            var environment = new Dictionary<string, string>(new AwsCli(silo, Tenant) { CurrentModels = true }.Environment) { ["PYTHONNOUSERSITE"] = "1" };
            var result = await AwsCli.RunProgramAsync(python, ["-c", Script, silo.Endpoint, files.FullName], environment);
            Assert.True(result.ExitCode == 0, result.Output);
            var findings = JsonDocument.Parse(result.StandardOutput).RootElement;

            foreach (var spec in new[] { "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1" })
            {
                var finding = findings.GetProperty(spec);
                Assert.True(finding.GetProperty("verifiedByPeer").GetBoolean(), spec);
                Assert.True(finding.GetProperty("kmsVerify").GetBoolean(), spec);
                Assert.Equal("KMSInvalidSignatureException", finding.GetProperty("tampered").GetString());
            }

            Assert.Equal(6, findings.GetProperty("RSA_2048").GetProperty("signingAlgorithms").GetArrayLength());
            Assert.Equal("for the key only", findings.GetProperty("rsaDecrypt").GetString());
            Assert.Equal("InvalidCiphertextException", findings.GetProperty("rsaNoKeyId").GetString());
            Assert.Equal("InvalidKeyUsageException", findings.GetProperty("rsaSymmetricAlgorithm").GetString());
            Assert.Equal("InvalidKeyUsageException", findings.GetProperty("rsaGenerateDataKey").GetString());
            Assert.Equal(48, findings.GetProperty("macLength").GetInt32());
            Assert.True(findings.GetProperty("macValid").GetBoolean());
            Assert.Equal("KMSInvalidMacException", findings.GetProperty("macTampered").GetString());
            Assert.Equal("InvalidKeyUsageException", findings.GetProperty("macWrongAlgorithm").GetString());
            Assert.Equal(["HMAC_SHA_384"], findings.GetProperty("macAlgorithms").EnumerateArray().Select(a => a.GetString()));
            Assert.True(findings.GetProperty("ecdhAgrees").GetBoolean());
            Assert.True(findings.GetProperty("pairMatches").GetBoolean());
            Assert.True(findings.GetProperty("pairUnwraps").GetBoolean());
            Assert.False(findings.GetProperty("withoutPlaintext").GetBoolean());
            Assert.Equal("InvalidKeyUsageException", findings.GetProperty("signWithSymmetric").GetString());
            Assert.Equal("UnsupportedOperationException", findings.GetProperty("notSimulated").GetString());

            // OpenSSL, from the bytes KMS handed out: the DER public key, the DER ECDSA signature, the message.
            var verified = await AwsCli.RunProgramAsync(openssl,
                ["dgst", "-sha256", "-verify", Path.Combine(files.FullName, "public.der"), "-keyform", "DER",
                 "-signature", Path.Combine(files.FullName, "signature.der"), Path.Combine(files.FullName, "message.bin")],
                new Dictionary<string, string>());
            Assert.True(verified.ExitCode == 0 && verified.StandardOutput.Contains("Verified OK", StringComparison.Ordinal), verified.Output);
        }
        finally
        {
            files.Delete(recursive: true);
        }
    }
}
