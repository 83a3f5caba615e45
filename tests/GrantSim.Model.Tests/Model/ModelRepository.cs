using System.Collections.Immutable;
using GrantSim.Model.Tests.Commands;

namespace GrantSim.Model.Tests.Model;

public enum ModelEncryption
{
    Aes256,
    Kms,
    KmsDsse,
}

/// <summary>A live repository in the model: its encryption, key, its two grants, and the pushes whose images it holds.</summary>
public sealed record ModelRepository(ModelEncryption Encryption, string? KeySym, string? RegistryGrant, string? StorageGrant, ImmutableHashSet<int> Images)
{
    /// <summary>Which image each tag names (a push's own tag t<i>n</i>, and the shared tags pushes move).</summary>
    public ImmutableDictionary<string, int> Tags { get; init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>When each held image was pushed (or replicated in): what lifecycle rules go by.</summary>
    public ImmutableDictionary<int, DateTimeOffset> PushedAt { get; init; } = ImmutableDictionary<int, DateTimeOffset>.Empty;

    /// <summary>The pushes whose layer and config are stored in the repository (uploaded, whether or not their manifest followed).</summary>
    public ImmutableHashSet<int> Uploaded { get; init; } = [];

    public TagMode Mutability { get; init; } = TagMode.Mutable;

    /// <summary>The account the repository policy lets pull; null while the repository has no policy.</summary>
    public int? PullPolicyGrantee { get; init; }

    public ModelLifecycle? Lifecycle { get; init; }

    /// <summary>Images a lifecycle policy expired whose objects have not been uploaded again since: none of their objects may remain in storage.</summary>
    public ImmutableHashSet<int> Expired { get; init; } = [];

    /// <summary>Whether a push may move <paramref name="tag"/> to another image.</summary>
    public bool IsImmutable(string tag)
    {
        var excluded = tag.StartsWith(Picks.ExclusionFilter.TrimEnd('*'), StringComparison.Ordinal);
        return Mutability switch
        {
            TagMode.Immutable => true,
            TagMode.ImmutableWithExclusion => !excluded,
            TagMode.MutableWithExclusion => excluded,
            _ => false,
        };
    }

    /// <summary>The repository with image <paramref name="pushId"/> held under <paramref name="tag"/> (moved from any other image), pushed <paramref name="now"/> if it is new.</summary>
    public ModelRepository WithImage(int pushId, string? tag, DateTimeOffset now) => this with
    {
        Images = Images.Add(pushId),
        Uploaded = Uploaded.Add(pushId),
        Expired = Expired.Remove(pushId),
        PushedAt = PushedAt.ContainsKey(pushId) ? PushedAt : PushedAt.Add(pushId, now),
        Tags = tag is null ? Tags : Tags.SetItem(tag, pushId),
    };

    /// <summary>The repository without the expired images: their tags, and their objects.</summary>
    public ModelRepository WithoutImages(IReadOnlyCollection<int> expired) => this with
    {
        Images = Images.Except(expired),
        Uploaded = Uploaded.Except(expired),
        PushedAt = PushedAt.RemoveRange(expired),
        Tags = Tags.RemoveRange(Tags.Where(t => expired.Contains(t.Value)).Select(t => t.Key)),
        Expired = Expired.Union(expired),
    };
}

/// <summary>A lifecycle policy of one rule over every image, evaluated every 24 hours after <see cref="InEffectSince"/>; <see cref="EvaluatedUntil"/> the last evaluation.</summary>
public sealed record ModelLifecycle(LifecycleKind Kind, int Number, DateTimeOffset InEffectSince, DateTimeOffset EvaluatedUntil);
