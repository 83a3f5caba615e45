using System.Security.Cryptography;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Crypto;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Kms;
using GrantSim.Tests.Shared;

namespace GrantSim.Cluster.Tests.Kms;

/// <summary>
/// The encryption context binds at the ciphertext, through the real calls: whatever comes out of
/// Encrypt or GenerateDataKey under one context opens under that context (its pairs in any order) and
/// under no other — in particular not under the near misses a flat encoding would confuse: a character
/// moved across the key/value boundary or between pairs, a pair split or merged, a case changed, a pair
/// added or dropped. And a KMS_DSSE object needs both of its keys: the storage-managed key alone, or the
/// KMS data key alone, opens nothing.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CiphertextProperties(ClusterFixture fixture)
{
    /// <summary>Characters an encoding could use as separators or quotes, and a few ordinary ones.</summary>
    private static readonly string[] Fragments = ["a", "b", "A", "=", ",", ":", "\"", "{", "}", "|", "&", "é", " ", "\\"];

    public sealed record ContextPair(IReadOnlyList<(string Key, string Value)> Pairs, IReadOnlyList<(string Key, string Value)> Other, string Mutation)
    {
        public override string ToString() => $"{Mutation}: {Show(Pairs)} vs {Show(Other)}";

        private static string Show(IReadOnlyList<(string Key, string Value)> pairs) => "{" + string.Join(", ", pairs.Select(p => $"\"{p.Key}\": \"{p.Value}\"")) + "}";
    }

    public static class Arbitraries
    {
        public static Arbitrary<ContextPair> ContextPairs() =>
            (from pairs in PairsGen()
             from mutation in Gen.Elements("shift a character from key to value", "shift a character from value to next key", "merge two pairs", "split a pair",
                 "change a case", "add a pair", "drop a pair", "swap key and value", "independent")
             from index in Gen.Choose(0, 100)
             from extra in PairsGen()
             select new ContextPair(pairs, Mutate(pairs, mutation, index, extra), mutation)).ToArbitrary();
    }

    [Property(MaxTest = 40, Arbitrary = [typeof(Arbitraries)])]
    public Property ACiphertext_OpensUnderItsContextInAnyOrder_AndUnderNoOther(ContextPair pair) =>
        CheckAsync(pair).GetAwaiter().GetResult().Label(pair.ToString());

    private async Task<bool> CheckAsync(ContextPair pair)
    {
        var (tenant, key) = await SharedKey();
        var context = EncryptionContext.Of([.. pair.Pairs]);
        var reordered = EncryptionContext.Of([.. pair.Pairs.Reverse()]);
        var plaintext = RandomNumberGenerator.GetBytes(24);

        var encrypted = await tenant.Kms.Encrypt(tenant.Admin, new EncryptRequest(key, plaintext, context));
        var generated = await tenant.Kms.GenerateDataKey(tenant.Admin, new GenerateDataKeyRequest(key, context));
        var others = FlatEncodingTwins(pair.Pairs).Prepend(pair.Other)
            .Where(o => o.Count > 0 && o.All(p => p.Key.Length > 0 && p.Value.Length > 0))
            .Select(o => EncryptionContext.Of([.. o]))
            .Where(o => !o.Equals(context))
            .Distinct()
            .ToArray();
        // Every twin against Encrypt's ciphertext; GenerateDataKey's (the same binding, another way in) against the generated near miss.
        foreach (var (blob, expected, wrong) in new[] { (encrypted.CiphertextBlob, plaintext, others), (generated.CiphertextBlob, generated.Plaintext!, others.Take(1).ToArray()) })
        {
            Assert.Equal(expected, (await tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(blob, reordered))).Plaintext);
            foreach (var other in wrong)
            {
                var error = await Assert.ThrowsAsync<AwsServiceException>(() => tenant.Kms.Decrypt(tenant.Admin, new DecryptRequest(blob, other)));
                Assert.True(error.ErrorCode == AwsErrorCodes.InvalidCiphertext, $"opened under {string.Join(", ", other.Pairs.Select(p => $"\"{p.Key}\": \"{p.Value}\""))}: {error.ErrorCode}");
            }
        }

        return true;
    }

    /// <summary>Separators a flat encoding of a context ("k=v,k=v", "k:v;k:v", "k=v&amp;k=v") would use.</summary>
    private static readonly string[] Separators = ["=", ",", ":", "&", ";", "|"];

    /// <summary>
    /// For every pair separator P and key/value separator Q, the contexts whose flat encoding
    /// k1 Q v1 P k2 Q v2 P … is the same text as this one's: two neighbouring pairs merged into one (the
    /// text between them read as part of a value, or as part of a key), and one pair split at a Q inside
    /// its key or value. Any encoding of that kind would open the ciphertext under one of these.
    /// </summary>
    private static IEnumerable<(string Key, string Value)[]> FlatEncodingTwins(IReadOnlyList<(string Key, string Value)> pairs)
    {
        var sorted = pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        foreach (var p in Separators)
        {
            foreach (var q in Separators)
            {
                for (var i = 0; i < sorted.Length; i++)
                {
                    var (k, v) = sorted[i];
                    if (i + 1 < sorted.Length)
                    {
                        var (nextKey, nextValue) = sorted[i + 1];
                        yield return Replace(sorted, i, 2, (k, v + p + nextKey + q + nextValue));
                        yield return Replace(sorted, i, 2, (k + q + v + p + nextKey, nextValue));
                    }

                    for (var at = v.IndexOf(q, StringComparison.Ordinal); at >= 0; at = v.IndexOf(q, at + 1, StringComparison.Ordinal))
                    {
                        yield return Replace(sorted, i, 1, (k + q + v[..at], v[(at + q.Length)..]));
                    }

                    for (var at = k.IndexOf(q, StringComparison.Ordinal); at >= 0; at = k.IndexOf(q, at + 1, StringComparison.Ordinal))
                    {
                        yield return Replace(sorted, i, 1, (k[..at], k[(at + q.Length)..] + q + v));
                    }
                }
            }
        }
    }

    private static (string Key, string Value)[] Replace((string Key, string Value)[] pairs, int at, int count, (string Key, string Value) with) =>
        [.. pairs[..at].Where(p => p.Key != with.Key), with, .. pairs[(at + count)..].Where(p => p.Key != with.Key)];

    /// <summary>
    /// Two independent layers: the outer opens with the storage-managed key and gives only the inner
    /// ciphertext; the inner's data key is wrapped by KMS, not by the storage key; the KMS data key opens
    /// the inner layer and nothing of the stored bytes; the two keys differ.
    /// </summary>
    [Property(MaxTest = 12)]
    public Property ADualLayerObject_NeedsBothKeys(NonEmptyArray<byte> content) =>
        DualLayerAsync(content.Get).GetAwaiter().GetResult().ToProperty();

    private async Task<bool> DualLayerAsync(byte[] content)
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains, Regions.UsGovWest1);
        var key = await tenant.CreateKeyAsync();
        var repository = await tenant.CreateRepositoryAsync("dsse", EncryptionType.KmsDsse, key.Arn);
        var blob = await tenant.EcrApi.UploadBlob(tenant.Ci, "dsse", content);
        var snapshot = await fixture.Grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(tenant.Account, tenant.Region, "dsse")).Inspect();
        var stored = (await fixture.Grains.GetGrain<IStoredObjectGrain>(
            GrainKeys.StoredObject(tenant.Account, tenant.Region, "dsse", snapshot.Incarnation, StoredObjectKind.Blob, blob.Digest)).Get())!;
        var storageKey = await fixture.Grains.GetGrain<IStorageKeyGrain>(GrainKeys.TenantRegion(tenant.Account, tenant.Region)).GetMasterKey();
        var context = EcrEncryptionContext.For(stored.ObjectArn, repository.RepositoryArn);
        var kmsDataKey = (await tenant.Kms.Decrypt(tenant.Root, new DecryptRequest(stored.DataKey.Ciphertext, context))).Plaintext;

        // The storage-managed key alone: it removes the outer layer and is left with ciphertext it cannot open.
        Assert.NotNull(stored.DataKey.KmsKeyArn);
        var inner = ObjectEncryption.RemoveOuterLayer(storageKey, stored.Sealed, stored.OuterKey!, stored.ObjectArn);
        Assert.Equal(content.Length + AesGcmSealer.Overhead, inner.Length);
        Assert.False(AesGcmSealer.TryOpen(storageKey, inner, context.ToCanonicalBytes(), out _));
        Assert.ThrowsAny<AwsServiceException>(() => ObjectEncryption.UnwrapStorageKey(storageKey, stored.DataKey, stored.ObjectArn, ObjectEncryption.InnerLayer));
        var outerKey = ObjectEncryption.UnwrapStorageKey(storageKey, stored.OuterKey!, stored.ObjectArn, ObjectEncryption.OuterLayer);
        Assert.False(AesGcmSealer.TryOpen(outerKey, inner, context.ToCanonicalBytes(), out _));

        // The KMS data key alone: the stored bytes are the outer layer's, which it does not open.
        Assert.False(AesGcmSealer.TryOpen(kmsDataKey, stored.Sealed, context.ToCanonicalBytes(), out _));
        Assert.False(AesGcmSealer.TryOpen(kmsDataKey, stored.Sealed, System.Text.Encoding.UTF8.GetBytes(stored.ObjectArn), out _));
        Assert.False(kmsDataKey.AsSpan().SequenceEqual(outerKey), "the second layer has a key of its own");

        // Both, in order: the content.
        Assert.Equal(content, ObjectEncryption.OpenContent(kmsDataKey, inner, context));
        return true;
    }

    private Task<(TestTenant Tenant, string Key)>? _shared;

    /// <summary>One tenant and key for all the cases of one run (FsCheck runs them on one instance of the class).</summary>
    private Task<(TestTenant Tenant, string Key)> SharedKey() => _shared ??= CreateSharedKeyAsync();

    private async Task<(TestTenant Tenant, string Key)> CreateSharedKeyAsync()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        return (tenant, (await tenant.CreateKeyAsync()).Arn);
    }

    private static Gen<(string Key, string Value)[]> PairsGen() =>
        from count in Gen.Choose(1, 3)
        from pairs in Gen.ArrayOf(Gen.Zip(Text(), Text()), count)
        select pairs.DistinctBy(p => p.Item1, StringComparer.Ordinal).Select(p => (p.Item1, p.Item2)).ToArray();

    private static Gen<string> Text() =>
        from length in Gen.Choose(1, 4)
        from parts in Gen.ArrayOf(Gen.Elements(Fragments), length)
        select string.Concat(parts);

    private static (string Key, string Value)[] Mutate((string Key, string Value)[] pairs, string mutation, int index, (string Key, string Value)[] extra)
    {
        var list = pairs.ToList();
        var i = index % list.Count;
        var (key, value) = list[i];
        switch (mutation)
        {
            case "shift a character from key to value" when key.Length > 1:
                list[i] = (key[..^1], key[^1] + value);
                break;
            case "shift a character from value to next key" when value.Length > 1 && i + 1 < list.Count:
                list[i] = (key, value[..^1]);
                list[i + 1] = (value[^1] + list[i + 1].Key, list[i + 1].Value);
                break;
            case "merge two pairs" when list.Count > 1 && i + 1 < list.Count:
                list[i] = (key, value + list[i + 1].Key + list[i + 1].Value);
                list.RemoveAt(i + 1);
                break;
            case "split a pair" when value.Length > 1:
                list[i] = (key, value[..1]);
                list.Insert(i + 1, (value[1..], key));
                break;
            case "change a case" when (key + value).Any(char.IsLetter):
                list[i] = key.Any(char.IsLetter) ? (ContextChanges.SwapCase(key), value) : (key, ContextChanges.SwapCase(value));
                break;
            case "add a pair":
                list.Add(extra[0]);
                break;
            case "drop a pair":
                list.RemoveAt(i);
                break;
            case "swap key and value":
                list[i] = (value, key);
                break;
            case "independent":
                return extra;
        }

        // Contexts are maps: a mutation that made a duplicate key or an empty key keeps the first and drops the empty.
        return list.Where(p => p.Key.Length > 0 && p.Value.Length > 0).DistinctBy(p => p.Key, StringComparer.Ordinal).ToArray();
    }
}
