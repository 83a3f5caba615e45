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
                    var modelImages = modelRepository.Images.Select(id => Images.Expected(id).ManifestDigest).Order();
                    if (!realImages.SequenceEqual(modelImages))
                    {
                        differences.Add($"{where} holds {snapshot.Images.Count} images, the model {modelRepository.Images.Count} (images#{string.Join(",", modelRepository.Images.Order())})");
                    }
                }
            }
        }

        return differences;
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
