using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Kms;
using GrantSim.Model.Tests.Model;

namespace GrantSim.Model.Tests.Runner;

/// <summary>
/// Compares the cluster's real state with the model's: every key's state, the active grants of
/// every key (as the key grains hold them), and every repository's existence, encryption, key and
/// images. Grants are compared by symbol, or only by count when branches ran concurrently.
/// </summary>
public static class StateComparer
{
    public static readonly string[] RepositoryNames = ["app", "web"];

    public static async Task<IReadOnlyList<string>> CompareAsync(IGrainFactory grains, SystemUnderTest system, ModelState model, bool grantsByCountOnly = false)
    {
        var differences = new List<string>();
        foreach (var key in model.Keys)
        {
            var arn = await system.KeyArnAsync(key);
            var grain = grains.GetGrain<IKeyGrain>(GrainKeys.Key(Aws.Arn.Parse(arn)));
            var real = await grain.Peek();
            var expected = key.StatusAt(model.Now);
            if (real is null || Map(real.KeyState) != expected)
            {
                differences.Add($"key {key.Sym} is {real?.KeyState.ToString() ?? "missing"}, the model says {expected}");
            }

            var history = await grain.GetGrantHistory();
            var realActive = history.Where(g => g.Status == GrantStatus.Active).Select(g => system.GrantSymOf(g.Grant.GrantId) ?? "?" + g.Grant.GrantId[..8]).ToList();
            var modelActive = model.Grants.Where(g => g.KeySym == key.Sym && g.Active).Select(g => g.Sym).ToList();
            var agree = grantsByCountOnly ? realActive.Count == modelActive.Count : realActive.Order().SequenceEqual(modelActive.Order());
            if (!agree)
            {
                differences.Add($"key {key.Sym} has active grants [{string.Join(",", realActive)}], the model says [{string.Join(",", modelActive)}]");
            }
        }

        for (var account = 0; account < Facts.Accounts; account++)
        {
            for (var region = 0; region < Facts.Regions.Length; region++)
            {
                foreach (var name in RepositoryNames)
                {
                    var snapshot = await grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(system.Account(account), Facts.Regions[region], name)).Inspect();
                    var modelRepository = model.Repositories.GetValueOrDefault(ModelState.RepositoryKey(account, region, name));
                    var where = $"repository acct{account}/{Facts.Regions[region]}/{name}";
                    if ((snapshot.Status == RepositoryStatus.Active) != (modelRepository is not null) || (snapshot.Status is not (RepositoryStatus.Active or RepositoryStatus.Absent)))
                    {
                        differences.Add($"{where} is {snapshot.Status}, the model says {(modelRepository is null ? "absent" : "active")}");
                        continue;
                    }

                    if (modelRepository is null)
                    {
                        continue;
                    }

                    var configuration = snapshot.Repository!.EncryptionConfiguration;
                    var type = modelRepository.Encryption switch { ModelEncryption.Aes256 => EncryptionType.Aes256, ModelEncryption.Kms => EncryptionType.Kms, _ => EncryptionType.KmsDsse };
                    var keyArn = modelRepository.KeySym is null ? null : await system.KeyArnAsync(model.Key(modelRepository.KeySym));
                    if (configuration.EncryptionType != type || configuration.KmsKey != keyArn)
                    {
                        differences.Add($"{where} is {configuration}, the model says {type} {keyArn}");
                    }

                    var realImages = snapshot.Images.Select(i => i.ImageDigest).Order();
                    var modelImages = modelRepository.Images.Select(Images.DigestOf).Order();
                    if (!realImages.SequenceEqual(modelImages))
                    {
                        differences.Add($"{where} holds {snapshot.Images.Count} images, the model {modelRepository.Images.Count} (images#{string.Join(",", modelRepository.Images.Order())})");
                    }

                    var realTags = snapshot.Images.SelectMany(i => i.ImageTags.Select(t => $"{t}->{i.ImageDigest[7..15]}")).Order(StringComparer.Ordinal);
                    var modelTags = modelRepository.Tags.Select(t => $"{t.Key}->{Images.DigestOf(t.Value)[7..15]}").Order(StringComparer.Ordinal);
                    if (!realTags.SequenceEqual(modelTags))
                    {
                        differences.Add($"{where} has tags [{string.Join(",", realTags)}], the model [{string.Join(",", modelTags)}]");
                    }

                    differences.AddRange(await ExpiredObjectsLeftAsync(grains, system, snapshot, modelRepository, account, region, name));
                }
            }
        }

        return differences;
    }

    /// <summary>
    /// Invariant: an image a lifecycle policy expired leaves storage — its manifest's stored object, and its layer's and
    /// config's, whether the repository still lists the blobs or not (unless a push has uploaded them again since).
    /// </summary>
    private static async Task<IReadOnlyList<string>> ExpiredObjectsLeftAsync(
        IGrainFactory grains, SystemUnderTest system, RepositorySnapshot snapshot, ModelRepository repository, int account, int region, string name)
    {
        var left = new List<string>();
        foreach (var pushId in repository.Expired.Order())
        {
            var image = Images.Expected(pushId);
            var objects = image.Blobs.Select(b => (StoredObjectKind.Blob, b.Digest)).Prepend((StoredObjectKind.Manifest, image.ManifestDigest));
            foreach (var (kind, digest) in objects)
            {
                var listed = kind == StoredObjectKind.Blob && snapshot.BlobDigests.Contains(digest);
                var stored = await grains.GetGrain<IStoredObjectGrain>(GrainKeys.StoredObject(system.Account(account), Facts.Regions[region], name, snapshot.Incarnation, kind, digest)).Get();
                if (listed || stored is not null)
                {
                    left.Add($"repository acct{account}/{Facts.Regions[region]}/{name}: image#{pushId} expired, but its {kind} {digest[..15]} is still {(stored is null ? "listed" : "in storage")}");
                }
            }
        }

        return left;
    }

    private static KeyStatus Map(KeyState state) => state switch
    {
        KeyState.Enabled => KeyStatus.Enabled,
        KeyState.Disabled => KeyStatus.Disabled,
        KeyState.PendingDeletion => KeyStatus.PendingDeletion,
        KeyState.PendingImport => KeyStatus.PendingImport,
        _ => KeyStatus.Deleted,
    };
}
