using System.Security.Cryptography;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Grains;
using GrantSim.Identity;
using GrantSim.Kms;

namespace GrantSim.Ecr;

/// <summary>
/// The objects (layers, configs, manifests) of one repository in storage, sealed as ECR seals them:
/// a data key per object, from KMS through the repository's grant (KMS, KMS_DSSE) or from the
/// region's storage key (AES256), bound to the object's encryption context; KMS_DSSE adds a second,
/// independent layer. What ECR's KMS calls fail with becomes ECR's KmsException here.
/// </summary>
internal sealed class RepositoryObjects(IGrainFactory grains, string account, string region, string name)
{
    private readonly CallerIdentity _ecr = CallerIdentity.Service(Regions.EcrServicePrincipal(region));
    private byte[]? _storageMasterKey;

    private string RepositoryArn => RepositoryLifecycle.Arn(account, region, name);

    public async Task Store(RepositoryState repository, StoredObjectKind kind, string digest, byte[] content, string operation)
    {
        var objectArn = ObjectArns.For(region, repository.Incarnation, kind, digest);
        var context = EcrEncryptionContext.For(objectArn, RepositoryArn);
        var configuration = repository.EncryptionConfiguration;
        byte[] dataKey;
        WrappedDataKey wrapped;
        if (configuration.EncryptionType.UsesKms())
        {
            var keyArn = repository.KmsKeyArn;
            var request = new GenerateDataKeyRequest(keyArn, context, DataKeys.Aes256, null, GrantTokensFor(repository, kind));
            GenerateDataKeyResponse generated;
            try
            {
                generated = await Key(keyArn).GenerateDataKey(_ecr, request, withPlaintext: true);
            }
            catch (AwsServiceException error)
            {
                throw EcrKmsRules.KmsException(operation, error);
            }

            dataKey = generated.Plaintext ?? throw new InvalidOperationException("GenerateDataKey, asked for a plaintext, answered none.");
            wrapped = new WrappedDataKey(generated.CiphertextBlob, keyArn);
        }
        else
        {
            dataKey = AesGcmSealer.NewKey();
            wrapped = ObjectEncryption.WrapWithStorageKey(await StorageMasterKey(), dataKey, objectArn, ObjectEncryption.InnerLayer);
        }

        var sealedContent = ObjectEncryption.SealContent(dataKey, content, context);
        CryptographicOperations.ZeroMemory(dataKey);
        WrappedDataKey? outerKey = null;
        if (configuration.EncryptionType == EncryptionType.KmsDsse)
        {
            (sealedContent, outerKey) = ObjectEncryption.AddOuterLayer(await StorageMasterKey(), sealedContent, objectArn);
        }

        await StoredObject(repository, kind, digest).Put(new StoredObject(objectArn, digest, content.LongLength, kind, sealedContent, wrapped, outerKey));
    }

    public async Task<byte[]> Load(RepositoryState repository, StoredObjectKind kind, string digest, string operation)
    {
        var stored = await StoredObject(repository, kind, digest).Get()
            ?? throw new AwsServiceException(AwsErrorCodes.Server, $"The object {digest} of {RepositoryArn} is missing from storage.");
        var context = EcrEncryptionContext.For(stored.ObjectArn, RepositoryArn);
        var inner = stored.OuterKey is { } outerKey
            ? ObjectEncryption.RemoveOuterLayer(await StorageMasterKey(), stored.Sealed, outerKey, stored.ObjectArn)
            : stored.Sealed;
        byte[] dataKey;
        if (stored.DataKey.KmsKeyArn is { } keyArn)
        {
            try
            {
                var decrypted = await Key(keyArn).Decrypt(_ecr, new DecryptRequest(stored.DataKey.Ciphertext, context, keyArn, GrantTokensFor(repository, kind)));
                dataKey = decrypted.Plaintext;
            }
            catch (AwsServiceException error)
            {
                throw EcrKmsRules.KmsException(operation, error);
            }
        }
        else
        {
            dataKey = ObjectEncryption.UnwrapStorageKey(await StorageMasterKey(), stored.DataKey, stored.ObjectArn, ObjectEncryption.InnerLayer);
        }

        // No digest check here: the content was hashed when it was stored, and AES-GCM's tag binds it
        // to the object ARN, which names that digest, so opening it proves it is that content.
        var content = ObjectEncryption.OpenContent(dataKey, inner, context);
        CryptographicOperations.ZeroMemory(dataKey);
        return content;
    }

    public Task Delete(RepositoryState repository, StoredObjectKind kind, string digest) => StoredObject(repository, kind, digest).Delete();

    /// <summary>Every object the repository holds: what a delete removes.</summary>
    public Task DeleteAll(RepositoryState repository) =>
        Task.WhenAll(repository.Blobs.Keys.Select(d => Delete(repository, StoredObjectKind.Blob, d))
            .Concat(repository.Images.Keys.Select(d => Delete(repository, StoredObjectKind.Manifest, d))));

    private static IReadOnlyList<string>? GrantTokensFor(RepositoryState repository, StoredObjectKind kind) =>
        repository.Grant(RepositoryGrants.RoleFor(kind))?.Token is { } token ? [token] : null;

    private async Task<byte[]> StorageMasterKey() =>
        _storageMasterKey ??= await grains.GetGrain<IStorageKeyGrain>(GrainKeys.TenantRegion(account, region)).GetMasterKey();

    private IKeyGrain Key(string keyArn) => grains.GetGrain<IKeyGrain>(GrainKeys.Key(Arn.Parse(keyArn)));

    private IStoredObjectGrain StoredObject(RepositoryState repository, StoredObjectKind kind, string digest) =>
        grains.GetGrain<IStoredObjectGrain>(GrainKeys.StoredObject(account, region, name, repository.Incarnation, kind, digest));
}
