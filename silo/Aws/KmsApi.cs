using System.Text.Json.Nodes;
using GrantSim.Aws;
using GrantSim.Grains;
using GrantSim.Identity;
using GrantSim.Kms;
using GrantSim.Paging;
using static GrantSim.Silo.Aws.JsonOutput;

namespace GrantSim.Silo.Aws;

/// <summary>
/// KMS's JSON 1.1 operations (<c>X-Amz-Target: TrentService.&lt;Op&gt;</c>): reads each request as
/// the service model shapes it, calls the region's <see cref="IKmsServiceGrain"/> as the signing
/// principal, and writes the response shape.
/// </summary>
public sealed class KmsApi(IGrainFactory grains)
{
    public const string TargetPrefix = "TrentService.";

    /// <summary>The key's grain, for requests <see cref="KeyRouting"/> sends there directly (one grain call fewer than through the service grain).</summary>
    private IKeyGrain Key(string keyArn) => grains.GetGrain<IKeyGrain>(GrainKeys.Key(Arn.Parse(keyArn)));

    /// <summary>Reads and checks the whole request first, so a bad request reaches no grain and changes nothing.</summary>
    public Func<Task<JsonObject>>? Prepare(string operation, JsonInput input, CallerIdentity caller, string region)
    {
        var kms = grains.GetGrain<IKmsServiceGrain>(region);
        switch (operation)
        {
            case KmsOperations.CreateKey:
            {
                var description = input.OptionalString("Description") ?? "";
                var policy = input.OptionalString("Policy");
                // KeySpec, or its deprecated name CustomerMasterKeySpec (KMS refuses both at once); specs GrantSim does not
                // simulate (SM2, ML-DSA, Ed25519) and custom key stores are refused plainly, not as invalid.
                var keySpec = input.OptionalString("KeySpec");
                var legacySpec = input.OptionalString("CustomerMasterKeySpec");
                if (keySpec is not null && legacySpec is not null)
                {
                    throw new AwsServiceException(AwsErrorCodes.Validation, "You cannot specify both KeySpec and CustomerMasterKeySpec: use KeySpec.");
                }

                keySpec ??= legacySpec;
                var keyUsage = input.OptionalString("KeyUsage");
                var origin = input.OptionalString("Origin");
                var multiRegion = input.OptionalBool("MultiRegion") ?? false;
                RejectPresent(input, "CustomKeyStoreId", "custom key stores");
                RejectPresent(input, "XksKeyId", "external key stores");
                var tags = Tags(input);
                RejectTrue(input, "BypassPolicyLockoutSafetyCheck");
                return async () => Obj(("KeyMetadata", Metadata(await kms.CreateKey(caller, new CreateKeyRequest(description, policy, tags, keySpec, keyUsage, origin, multiRegion)))));
            }

            case KmsOperations.UpdateKeyDescription:
            {
                var keyId = KeyId(input);
                var description = input.RequiredString("Description");
                return async () =>
                {
                    await kms.UpdateKeyDescription(caller, keyId, description);
                    return new JsonObject();
                };
            }

            case KmsOperations.UpdateAlias:
            {
                var alias = input.RequiredString("AliasName");
                var target = input.RequiredString("TargetKeyId");
                return async () =>
                {
                    await kms.UpdateAlias(caller, alias, target);
                    return new JsonObject();
                };
            }

            case KmsOperations.DeleteAlias:
            {
                var alias = input.RequiredString("AliasName");
                return async () =>
                {
                    await kms.DeleteAlias(caller, alias);
                    return new JsonObject();
                };
            }

            case KmsOperations.TagResource:
            {
                var keyId = KeyId(input);
                var tags = Tags(input) ?? throw Missing("Tags");
                return async () =>
                {
                    await kms.TagResource(caller, keyId, tags);
                    return new JsonObject();
                };
            }

            case KmsOperations.UntagResource:
            {
                var keyId = KeyId(input);
                var tagKeys = input.OptionalStringList("TagKeys") ?? throw Missing("TagKeys");
                return async () =>
                {
                    await kms.UntagResource(caller, keyId, tagKeys);
                    return new JsonObject();
                };
            }

            case KmsOperations.ListResourceTags:
            {
                var keyId = KeyId(input);
                var (limit, marker) = Paging(input, defaultLimit: 50);
                return async () => Page(await kms.ListResourceTags(caller, keyId), limit, marker, "Tags", t => Obj(("TagKey", t.TagKey), ("TagValue", t.TagValue)));
            }

            case KmsOperations.EnableKeyRotation:
            {
                var keyId = KeyId(input);
                var period = input.OptionalInt("RotationPeriodInDays");
                return async () =>
                {
                    await kms.EnableKeyRotation(caller, keyId, period);
                    return new JsonObject();
                };
            }

            case KmsOperations.DisableKeyRotation:
            {
                var keyId = KeyId(input);
                return async () =>
                {
                    await kms.DisableKeyRotation(caller, keyId);
                    return new JsonObject();
                };
            }

            case KmsOperations.RotateKeyOnDemand:
            {
                var keyId = KeyId(input);
                return async () => Obj(("KeyId", await kms.RotateKeyOnDemand(caller, keyId)));
            }

            case KmsOperations.GetKeyRotationStatus:
            {
                var keyId = KeyId(input);
                return async () =>
                {
                    var status = await kms.GetKeyRotationStatus(caller, keyId);
                    return Obj(("KeyRotationEnabled", status.Enabled), ("KeyId", status.KeyArn), ("RotationPeriodInDays", status.RotationPeriodInDays),
                        ("NextRotationDate", Timestamp(status.NextRotationDate)));
                };
            }

            case KmsOperations.ListKeyRotations:
            {
                var keyId = KeyId(input);
                var (limit, marker) = Paging(input);
                // ROTATIONS_ONLY (the default) lists the rotations; ALL_KEY_MATERIAL adds the material the key was created with.
                var includeInitial = input.OptionalString("IncludeKeyMaterial") == "ALL_KEY_MATERIAL";
                return async () => Page(await kms.ListKeyRotations(caller, keyId, includeInitial), limit, marker, "Rotations", r => Obj(
                    ("KeyId", r.KeyArn), ("KeyMaterialId", r.KeyMaterialId), ("KeyMaterialState", r.Current ? "CURRENT" : "NON_CURRENT"),
                    ("RotationDate", Timestamp(r.RotationDate)),
                    ("RotationType", r.RotationType switch { RotationType.OnDemand => "ON_DEMAND", RotationType.Automatic => "AUTOMATIC", _ => null })));
            }

            case KmsOperations.ReEncrypt:
            {
                var ciphertext = input.RequiredBlob("CiphertextBlob");
                var destination = input.RequiredString("DestinationKeyId");
                var sourceContext = Context(input, "SourceEncryptionContext");
                var destinationContext = Context(input, "DestinationEncryptionContext");
                var sourceKeyId = input.OptionalString("SourceKeyId");
                var tokens = GrantTokens(input);
                var sourceAlgorithm = input.OptionalString("SourceEncryptionAlgorithm");
                var destinationAlgorithm = input.OptionalString("DestinationEncryptionAlgorithm");
                RejectTrue(input, "DryRun");
                return async () =>
                {
                    var reEncrypted = await kms.ReEncrypt(caller,
                        new ReEncryptRequest(ciphertext, destination, sourceContext, sourceKeyId, destinationContext, tokens, sourceAlgorithm, destinationAlgorithm));
                    return Obj(("CiphertextBlob", Blob(reEncrypted.CiphertextBlob)), ("SourceKeyId", reEncrypted.SourceKeyId), ("KeyId", reEncrypted.KeyId),
                        ("SourceEncryptionAlgorithm", sourceAlgorithm ?? KeySpecs.SymmetricDefault), ("DestinationEncryptionAlgorithm", destinationAlgorithm ?? KeySpecs.SymmetricDefault),
                        ("SourceKeyMaterialId", reEncrypted.SourceKeyMaterialId), ("DestinationKeyMaterialId", reEncrypted.DestinationKeyMaterialId));
                };
            }

            case KmsOperations.DescribeKey:
            {
                var keyId = KeyId(input);
                var tokens = GrantTokens(input);
                return async () => Obj(("KeyMetadata", Metadata(await kms.DescribeKey(caller, keyId, tokens))));
            }

            case KmsOperations.ListKeys:
            {
                var (limit, marker) = Paging(input);
                return async () => Page(await kms.ListKeys(caller), limit, marker, "Keys", k => Obj(("KeyId", k.KeyId), ("KeyArn", k.KeyArn)));
            }

            case KmsOperations.CreateAlias:
            {
                var alias = input.RequiredString("AliasName");
                var target = input.RequiredString("TargetKeyId");
                return async () =>
                {
                    await kms.CreateAlias(caller, alias, target);
                    return new JsonObject();
                };
            }

            case KmsOperations.ListAliases:
            {
                var keyId = input.OptionalString("KeyId");
                var (limit, marker) = Paging(input);
                return async () => Page(await kms.ListAliases(caller, keyId), limit, marker, "Aliases",
                    a => Obj(("AliasName", a.AliasName), ("AliasArn", a.AliasArn), ("TargetKeyId", a.TargetKeyId)));
            }

            case KmsOperations.EnableKey:
            {
                var keyId = KeyId(input);
                return async () =>
                {
                    await kms.EnableKey(caller, keyId);
                    return new JsonObject();
                };
            }

            case KmsOperations.DisableKey:
            {
                var keyId = KeyId(input);
                return async () =>
                {
                    await kms.DisableKey(caller, keyId);
                    return new JsonObject();
                };
            }

            case KmsOperations.ScheduleKeyDeletion:
            {
                var keyId = KeyId(input);
                var window = input.OptionalInt("PendingWindowInDays");
                return async () =>
                {
                    var scheduled = await kms.ScheduleKeyDeletion(caller, keyId, window);
                    return Obj(("KeyId", scheduled.KeyId), ("DeletionDate", Timestamp(scheduled.DeletionDate)), ("KeyState", scheduled.KeyState.ToString()),
                        ("PendingWindowInDays", scheduled.PendingWindowInDays));
                };
            }

            case KmsOperations.CancelKeyDeletion:
            {
                var keyId = KeyId(input);
                return async () => Obj(("KeyId", await kms.CancelKeyDeletion(caller, keyId)));
            }

            case KmsOperations.GetKeyPolicy:
            {
                var keyId = KeyId(input);
                PolicyName(input);
                return async () => Obj(("Policy", await kms.GetKeyPolicy(caller, keyId)), ("PolicyName", KmsOperations.DefaultPolicyName));
            }

            case KmsOperations.ListKeyPolicies:
            {
                var keyId = KeyId(input);
                // One policy per key: the model's Limit and Marker cannot make a second page.
                return async () => Obj(("PolicyNames", Strings(await kms.ListKeyPolicies(caller, keyId))), ("Truncated", false));
            }

            case KmsOperations.GenerateRandom:
            {
                var bytes = input.OptionalInt("NumberOfBytes");
                RejectPresent(input, "CustomKeyStoreId", "custom key stores");
                RejectPresent(input, "Recipient", "attested Nitro Enclave recipients");
                return async () => Obj(("Plaintext", Blob(await kms.GenerateRandom(caller, bytes))));
            }

            case KmsOperations.PutKeyPolicy:
            {
                var keyId = KeyId(input);
                PolicyName(input);
                var policy = input.RequiredString("Policy");
                return async () =>
                {
                    await kms.PutKeyPolicy(caller, keyId, policy);
                    return new JsonObject();
                };
            }

            case KmsOperations.Encrypt:
            {
                var keyId = KeyId(input);
                var plaintext = input.RequiredBlob("Plaintext");
                var context = Context(input, "EncryptionContext");
                var tokens = GrantTokens(input);
                var algorithm = input.OptionalString("EncryptionAlgorithm");
                return async () =>
                {
                    var request = new EncryptRequest(keyId, plaintext, context, tokens, algorithm);
                    var encrypted = KeyRouting.TryDirect(caller, region, keyId, out var keyArn)
                        ? await Key(keyArn).Encrypt(caller, request)
                        : await kms.Encrypt(caller, request);
                    return Obj(("CiphertextBlob", Blob(encrypted.CiphertextBlob)), ("KeyId", encrypted.KeyId), ("EncryptionAlgorithm", algorithm ?? KeySpecs.SymmetricDefault));
                };
            }

            case KmsOperations.Decrypt:
            {
                var ciphertext = input.RequiredBlob("CiphertextBlob");
                var context = Context(input, "EncryptionContext");
                var keyId = input.OptionalString("KeyId");
                var tokens = GrantTokens(input);
                var algorithm = input.OptionalString("EncryptionAlgorithm");
                RejectPresent(input, "Recipient", "attested Nitro Enclave recipients");
                RejectTrue(input, "DryRun");
                return async () =>
                {
                    var request = new DecryptRequest(ciphertext, context, keyId, tokens, algorithm);
                    var decrypted = KeyRouting.TryDirectFromCiphertext(caller, region, ciphertext, keyId, out var keyArn)
                        ? await Key(keyArn).Decrypt(caller, request)
                        : await kms.Decrypt(caller, request);
                    return Obj(("KeyId", decrypted.KeyId), ("Plaintext", Blob(decrypted.Plaintext)), ("EncryptionAlgorithm", algorithm ?? KeySpecs.SymmetricDefault));
                };
            }

            case KmsOperations.GenerateDataKey:
            case KmsOperations.GenerateDataKeyWithoutPlaintext:
            {
                var keyId = KeyId(input);
                var context = Context(input, "EncryptionContext");
                var keySpec = input.OptionalString("KeySpec");
                var bytes = input.OptionalInt("NumberOfBytes");
                var tokens = GrantTokens(input);
                // KMS wants exactly one of them; the key grain says so (ValidationException) when both or neither arrive.
                var request = new GenerateDataKeyRequest(keyId, context, keySpec, bytes, tokens);
                var withPlaintext = operation == KmsOperations.GenerateDataKey;
                return async () =>
                {
                    var generated = KeyRouting.TryDirect(caller, region, keyId, out var keyArn) ? await Key(keyArn).GenerateDataKey(caller, request, withPlaintext)
                        : withPlaintext ? await kms.GenerateDataKey(caller, request)
                        : await kms.GenerateDataKeyWithoutPlaintext(caller, request);
                    return Obj(("CiphertextBlob", Blob(generated.CiphertextBlob)), ("KeyId", generated.KeyId),
                        ("Plaintext", withPlaintext && generated.Plaintext is not null ? Blob(generated.Plaintext) : null));
                };
            }

            case KmsOperations.Sign:
            case KmsOperations.Verify:
            {
                var keyId = KeyId(input);
                var message = input.RequiredBlob("Message");
                var algorithm = input.RequiredString("SigningAlgorithm");
                var messageType = input.OptionalString("MessageType");
                var tokens = GrantTokens(input);
                RejectTrue(input, "DryRun");
                if (operation == KmsOperations.Sign)
                {
                    return async () =>
                    {
                        var signed = await kms.Sign(caller, new SignRequest(keyId, message, algorithm, messageType, GrantTokens: tokens));
                        return Obj(("KeyId", signed.KeyArn), ("Signature", Blob(signed.Bytes)), ("SigningAlgorithm", algorithm));
                    };
                }

                var signature = input.RequiredBlob("Signature");
                return async () =>
                {
                    // An invalid signature is KMSInvalidSignatureException, never SignatureValid false.
                    var keyArn = await kms.Verify(caller, new SignRequest(keyId, message, algorithm, messageType, signature, tokens));
                    return Obj(("KeyId", keyArn), ("SignatureValid", true), ("SigningAlgorithm", algorithm));
                };
            }

            case KmsOperations.GetPublicKey:
            {
                var keyId = KeyId(input);
                var tokens = GrantTokens(input);
                return async () =>
                {
                    var key = await kms.GetPublicKey(caller, keyId, tokens);
                    var spec = KeySpecs.Of(key.KeySpec);
                    return Obj(("KeyId", key.KeyId), ("PublicKey", Blob(key.PublicKey)), ("CustomerMasterKeySpec", key.KeySpec), ("KeySpec", key.KeySpec),
                        ("KeyUsage", key.KeyUsage), ("EncryptionAlgorithms", NonEmpty(spec.EncryptionAlgorithmsFor(key.KeyUsage))),
                        ("SigningAlgorithms", NonEmpty(spec.SigningAlgorithmsFor(key.KeyUsage))), ("KeyAgreementAlgorithms", NonEmpty(spec.KeyAgreementAlgorithmsFor(key.KeyUsage))));
                };
            }

            case KmsOperations.GenerateMac:
            case KmsOperations.VerifyMac:
            {
                var keyId = KeyId(input);
                var message = input.RequiredBlob("Message");
                var algorithm = input.RequiredString("MacAlgorithm");
                var tokens = GrantTokens(input);
                RejectTrue(input, "DryRun");
                if (operation == KmsOperations.GenerateMac)
                {
                    return async () =>
                    {
                        var mac = await kms.GenerateMac(caller, new MacRequest(keyId, message, algorithm, GrantTokens: tokens));
                        return Obj(("Mac", Blob(mac.Bytes)), ("MacAlgorithm", algorithm), ("KeyId", mac.KeyArn));
                    };
                }

                var expected = input.RequiredBlob("Mac");
                return async () =>
                {
                    // A MAC that does not match is KMSInvalidMacException, never MacValid false.
                    var keyArn = await kms.VerifyMac(caller, new MacRequest(keyId, message, algorithm, expected, tokens));
                    return Obj(("KeyId", keyArn), ("MacValid", true), ("MacAlgorithm", algorithm));
                };
            }

            case KmsOperations.GenerateDataKeyPair:
            case KmsOperations.GenerateDataKeyPairWithoutPlaintext:
            {
                var keyId = KeyId(input);
                var spec = input.RequiredString("KeyPairSpec");
                var context = Context(input, "EncryptionContext");
                var tokens = GrantTokens(input);
                RejectPresent(input, "Recipient", "attested Nitro Enclave recipients");
                RejectTrue(input, "DryRun");
                var withPlaintext = operation == KmsOperations.GenerateDataKeyPair;
                return async () =>
                {
                    var pair = await kms.GenerateDataKeyPair(caller, new DataKeyPairRequest(keyId, spec, context, tokens), withPlaintext);
                    return Obj(("PrivateKeyCiphertextBlob", Blob(pair.PrivateKeyCiphertextBlob)),
                        ("PrivateKeyPlaintext", pair.PrivateKeyPlaintext is null ? null : Blob(pair.PrivateKeyPlaintext)),
                        ("PublicKey", Blob(pair.PublicKey)), ("KeyId", pair.KeyId), ("KeyPairSpec", pair.KeyPairSpec));
                };
            }

            case KmsOperations.DeriveSharedSecret:
            {
                var keyId = KeyId(input);
                var algorithm = input.RequiredString("KeyAgreementAlgorithm");
                var publicKey = input.RequiredBlob("PublicKey");
                var tokens = GrantTokens(input);
                RejectPresent(input, "Recipient", "attested Nitro Enclave recipients");
                RejectTrue(input, "DryRun");
                return async () =>
                {
                    var secret = await kms.DeriveSharedSecret(caller, new DeriveSharedSecretRequest(keyId, algorithm, publicKey, tokens));
                    return Obj(("KeyId", secret.KeyArn), ("SharedSecret", Blob(secret.Bytes)), ("KeyAgreementAlgorithm", algorithm), ("KeyOrigin", KeyMetadata.AwsKmsOrigin));
                };
            }

            case KmsOperations.GetParametersForImport:
            {
                var keyId = KeyId(input);
                var algorithm = input.RequiredString("WrappingAlgorithm");
                var spec = input.RequiredString("WrappingKeySpec");
                return async () =>
                {
                    var parameters = await kms.GetParametersForImport(caller, keyId, algorithm, spec);
                    return Obj(("KeyId", parameters.KeyArn), ("ImportToken", Blob(parameters.ImportToken)), ("PublicKey", Blob(parameters.PublicKey)),
                        ("ParametersValidTo", Timestamp(parameters.ParametersValidTo)));
                };
            }

            case KmsOperations.ImportKeyMaterial:
            {
                var keyId = KeyId(input);
                var token = input.RequiredBlob("ImportToken");
                var material = input.RequiredBlob("EncryptedKeyMaterial");
                var validTo = input.OptionalTimestamp("ValidTo");
                var expiration = input.OptionalString("ExpirationModel");
                if (input.OptionalString("ImportType") is "NEW_KEY_MATERIAL")
                {
                    throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, "GrantSim does not simulate importing new key material into a key (rotation of imported material).");
                }

                return async () =>
                {
                    var imported = await kms.ImportKeyMaterial(caller, new ImportKeyMaterialRequest(keyId, token, material, validTo, expiration));
                    return Obj(("KeyId", imported.KeyArn), ("KeyMaterialId", imported.KeyMaterialId));
                };
            }

            case KmsOperations.DeleteImportedKeyMaterial:
            {
                var keyId = KeyId(input);
                return async () =>
                {
                    var deleted = await kms.DeleteImportedKeyMaterial(caller, keyId);
                    return Obj(("KeyId", deleted.KeyArn), ("KeyMaterialId", deleted.KeyMaterialId));
                };
            }

            case KmsOperations.GetKeyLastUsage:
            {
                var keyId = KeyId(input);
                return async () =>
                {
                    var usage = await kms.GetKeyLastUsage(caller, keyId);
                    return Obj(("KeyId", usage.KeyArn), ("KeyCreationDate", Timestamp(usage.KeyCreationDate)), ("TrackingStartDate", Timestamp(usage.KeyCreationDate)),
                        ("KeyLastUsage", usage.Operation is null ? null : Obj(("Operation", usage.Operation), ("Timestamp", Timestamp(usage.Timestamp)), ("CloudTrailEventId", usage.EventId))));
                };
            }

            case KmsOperations.ReplicateKey:
            {
                var keyId = KeyId(input);
                var replicaRegion = input.RequiredString("ReplicaRegion");
                var policy = input.OptionalString("Policy");
                var description = input.OptionalString("Description");
                var tags = Tags(input);
                RejectTrue(input, "BypassPolicyLockoutSafetyCheck");
                return async () =>
                {
                    var replica = await kms.ReplicateKey(caller, new ReplicateKeyRequest(keyId, replicaRegion, policy, description, tags));
                    var replicaPolicy = policy ?? DefaultKeyPolicies.CustomerManaged(Regions.PartitionOf(replicaRegion), replica.AwsAccountId);
                    return Obj(("ReplicaKeyMetadata", Metadata(replica)), ("ReplicaPolicy", replicaPolicy),
                        ("ReplicaTags", new JsonArray((tags ?? []).Select(t => (JsonNode)Obj(("TagKey", t.TagKey), ("TagValue", t.TagValue))).ToArray())));
                };
            }

            case KmsOperations.UpdatePrimaryRegion:
            {
                var keyId = KeyId(input);
                var primaryRegion = input.RequiredString("PrimaryRegion");
                return async () =>
                {
                    await kms.UpdatePrimaryRegion(caller, keyId, primaryRegion);
                    return new JsonObject();
                };
            }

            case KmsOperations.CreateGrant:
            {
                var keyId = KeyId(input);
                var grantee = input.RequiredString("GranteePrincipal");
                var operations = input.OptionalStringList("Operations") ?? throw Missing("Operations");
                var retiring = input.OptionalString("RetiringPrincipal");
                var constraints = Constraints(input.OptionalObject("Constraints"));
                var name = input.OptionalString("Name");
                var tokens = GrantTokens(input);
                RejectTrue(input, "DryRun");
                return async () =>
                {
                    var request = new CreateGrantRequest(keyId, grantee, operations, retiring, constraints, name, tokens);
                    var created = KeyRouting.TryDirect(caller, region, keyId, out var keyArn)
                        ? await Key(keyArn).CreateGrant(caller, request)
                        : await kms.CreateGrant(caller, request);
                    return Obj(("GrantId", created.GrantId), ("GrantToken", created.GrantToken));
                };
            }

            case KmsOperations.ListGrants:
            {
                var keyId = KeyId(input);
                var grantId = input.OptionalString("GrantId");
                var grantee = input.OptionalString("GranteePrincipal");
                var limit = input.OptionalInt("Limit");
                var marker = input.OptionalString("Marker");
                return async () => Grants(await kms.ListGrants(caller, new ListGrantsRequest(keyId, grantId, grantee, limit, marker)));
            }

            case KmsOperations.ListRetirableGrants:
            {
                var retiring = input.RequiredString("RetiringPrincipal");
                var limit = input.OptionalInt("Limit");
                var marker = input.OptionalString("Marker");
                return async () => Grants(await kms.ListRetirableGrants(caller, retiring, limit, marker));
            }

            case KmsOperations.RetireGrant:
            {
                var token = input.OptionalString("GrantToken");
                var keyId = input.OptionalString("KeyId");
                var grantId = input.OptionalString("GrantId");
                RejectTrue(input, "DryRun");
                return async () =>
                {
                    var request = new RetireGrantRequest(token, keyId, grantId);
                    if (KeyRouting.TryDirectFromToken(region, token, out var keyArn, out var tokenGrant))
                    {
                        await Key(keyArn).RetireGrant(caller, request, tokenGrant);
                    }
                    else
                    {
                        await kms.RetireGrant(caller, request);
                    }

                    return new JsonObject();
                };
            }

            case KmsOperations.RevokeGrant:
            {
                var keyId = KeyId(input);
                var grantId = input.RequiredString("GrantId");
                RejectTrue(input, "DryRun");
                return async () =>
                {
                    await kms.RevokeGrant(caller, keyId, grantId);
                    return new JsonObject();
                };
            }

            default:
                return null;
        }
    }

    public static JsonObject Metadata(KeyMetadata key)
    {
        var spec = KeySpecs.Of(key.KeySpecName);
        return Obj(
        ("AWSAccountId", key.AwsAccountId),
        ("KeyId", key.KeyId),
        ("Arn", key.Arn),
        ("CreationDate", Timestamp(key.CreationDate)),
        ("Enabled", key.Enabled),
        ("Description", key.Description),
        ("KeyUsage", key.KeyUsageName),
        ("KeyState", key.KeyState.ToString()),
        ("DeletionDate", Timestamp(key.DeletionDate)),
        ("PendingDeletionWindowInDays", key.PendingDeletionWindowInDays),
        ("Origin", key.Origin),
        ("ValidTo", Timestamp(key.ValidTo)),
        ("ExpirationModel", key.Origin == KeyMetadata.ExternalOrigin ? key.ValidTo is null ? "KEY_MATERIAL_DOES_NOT_EXPIRE" : "KEY_MATERIAL_EXPIRES" : null),
        ("KeyManager", key.KeyManager == KeyManager.Aws ? "AWS" : "CUSTOMER"),
        ("CustomerMasterKeySpec", key.KeySpecName),
        ("KeySpec", key.KeySpecName),
        ("EncryptionAlgorithms", NonEmpty(spec.EncryptionAlgorithmsFor(key.KeyUsageName))),
        ("SigningAlgorithms", NonEmpty(spec.SigningAlgorithmsFor(key.KeyUsageName))),
        ("MacAlgorithms", NonEmpty(spec.MacAlgorithmsFor(key.KeyUsageName))),
        ("KeyAgreementAlgorithms", NonEmpty(spec.KeyAgreementAlgorithmsFor(key.KeyUsageName))),
        ("MultiRegion", key.MultiRegion),
        ("MultiRegionConfiguration", key.MultiRegionConfiguration is { } family ? Obj(
            ("MultiRegionKeyType", family.PrimaryRegion == key.Region ? "PRIMARY" : "REPLICA"),
            ("PrimaryKey", RelatedKey(key, family.PrimaryRegion)),
            ("ReplicaKeys", new JsonArray(family.ReplicaRegions.Select(r => (JsonNode)RelatedKey(key, r)).ToArray()))) : null));
    }

    private static JsonObject RelatedKey(KeyMetadata key, string region) =>
        Obj(("Arn", Arn.KmsKey(region, key.AwsAccountId, key.KeyId).ToString()), ("Region", region));

    /// <summary>A list member KMS leaves out when it is empty.</summary>
    private static JsonNode? NonEmpty(IReadOnlyList<string> values) => values.Count == 0 ? null : Strings(values);


    private static JsonObject Grants(ListGrantsResponse page) => Obj(
        ("Grants", new JsonArray(page.Grants.Select(g => (JsonNode)Obj(
            ("KeyId", g.KeyId),
            ("GrantId", g.GrantId),
            ("Name", g.Name ?? ""),
            ("CreationDate", Timestamp(g.CreationDate)),
            ("GranteePrincipal", g.GranteePrincipal),
            ("RetiringPrincipal", g.RetiringPrincipal),
            ("IssuingAccount", g.IssuingAccount),
            ("Operations", Strings(g.Operations)),
            ("Constraints", g.Constraints is null ? null : Obj(
                ("EncryptionContextSubset", g.Constraints.EncryptionContextSubset is null ? null : Map(g.Constraints.EncryptionContextSubset)),
                ("EncryptionContextEquals", g.Constraints.EncryptionContextEquals is null ? null : Map(g.Constraints.EncryptionContextEquals)))))).ToArray())),
        ("NextMarker", page.NextMarker),
        ("Truncated", page.Truncated));

    // ListKeys and ListAliases: the grain answers the whole list; pages are cut here (OffsetPages, as ECR's lists are).
    private static JsonObject Page<T>(IReadOnlyList<T> items, int limit, int start, string member, Func<T, JsonObject> write)
    {
        var (page, next) = OffsetPages.Cut(items, limit, start);
        return Obj((member, new JsonArray(page.Select(i => (JsonNode)write(i)).ToArray())), ("NextMarker", next), ("Truncated", next is not null));
    }

    private static (int Limit, int Start) Paging(JsonInput input, int defaultLimit = 100) =>
        OffsetPages.TryReadCursor(input.OptionalString("Marker"), out var start)
            ? (input.OptionalInt("Limit") ?? defaultLimit, start)
            : throw new AwsServiceException("InvalidMarkerException", "The request was rejected because the marker that specifies where pagination should next begin is not valid.");

    private static string KeyId(JsonInput input) => input.RequiredString("KeyId");

    private static IReadOnlyList<string>? GrantTokens(JsonInput input) => input.OptionalStringList("GrantTokens");

    private static void PolicyName(JsonInput input)
    {
        var name = input.OptionalString("PolicyName");
        if (name is not null && name != KmsOperations.DefaultPolicyName)
        {
            throw new AwsServiceException(AwsErrorCodes.NotFound, $"Policy '{name}' does not exist: a key has only the policy named '{KmsOperations.DefaultPolicyName}'.");
        }
    }

    /// <summary>A value the service model allows and GrantSim does not simulate yet: UnsupportedOperationException, saying which.</summary>
    private static void Simulated(JsonInput input, string name, string supported)
    {
        if (input.OptionalString(name) is { } value && value != supported)
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"GrantSim simulates only {name} {supported}, not {value} (docs/aws-endpoints.md).");
        }
    }

    private static void RejectPresent(JsonInput input, string name, string feature)
    {
        if (input.Has(name))
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"GrantSim does not simulate {feature} ({name}).");
        }
    }

    // Features GrantSim does not model are refused rather than silently ignored.
    private static void RejectTrue(JsonInput input, string name)
    {
        if (input.OptionalBool(name) == true)
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"GrantSim does not simulate {name}.");
        }
    }

    private static EncryptionContext? Context(JsonInput input, string name)
    {
        var map = input.OptionalStringMap(name);
        if (map is null)
        {
            return null;
        }

        try
        {
            return EncryptionContext.From(map);
        }
        catch (ArgumentException error)
        {
            throw new AwsServiceException(AwsErrorCodes.Validation, error.Message);
        }
    }

    private static IReadOnlyList<KeyTag>? Tags(JsonInput input) =>
        input.OptionalObjectList("Tags")?.Select(t => new KeyTag(t.RequiredString("TagKey"), t.RequiredString("TagValue"))).ToArray();

    private static GrantConstraints? Constraints(JsonInput? input) =>
        input is null ? null : new GrantConstraints(Context(input, "EncryptionContextSubset"), Context(input, "EncryptionContextEquals"));

    private static AwsServiceException Missing(string name) =>
        new(AwsErrorCodes.Validation, $"1 validation error detected: Value null at '{char.ToLowerInvariant(name[0]) + name[1..]}' failed to satisfy constraint: Member must not be null");

    private static JsonObject Obj(params (string Name, JsonNode? Value)[] members) => JsonOutput.Object(members);
}
