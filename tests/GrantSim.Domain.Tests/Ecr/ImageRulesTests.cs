using System.Collections.Immutable;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Ecr;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class ImageRulesTests
{
    private const string Name = "app";

    [Property]
    public bool TagsOf_ListsEachImagesTagsInTheOrderTheyWereLastPut(NonEmptyArray<(byte Image, byte Tag)> pushes)
    {
        // Any sequence of pushes of three images under up to eight tags: an image's tags are those whose last push
        // named it, in the order of those last pushes (a tag moved or put again goes to the end).
        var state = Active();
        var last = new List<(string Tag, string Digest)>();
        foreach (var (imageNumber, tagNumber) in pushes.Get)
        {
            var digest = Digest("m" + (imageNumber % 3));
            var tag = "t" + (tagNumber % 8);
            state = RepositoryLifecycle.PutImage(state, Image(digest), tag);
            last.RemoveAll(t => t.Tag == tag);
            last.Add((tag, digest));
        }

        return Enumerable.Range(0, 3).Select(i => Digest("m" + i)).All(digest =>
            ImageRules.TagsOf(state, digest).SequenceEqual(last.Where(t => t.Digest == digest).Select(t => t.Tag)));
    }

    [Fact]
    public void TagsOf_AStateStoredBeforeTagsWereOrdered_ReportsEveryTagByName()
    {
        var state = Active() with
        {
            Images = ImmutableDictionary<string, ImageEntry>.Empty.Add(Digest("m1"), Image(Digest("m1"))),
            Tags = ImmutableDictionary<string, string>.Empty.Add("zeta", Digest("m1")).Add("alpha", Digest("m1")),
        };

        Assert.Equal(["alpha", "zeta"], ImageRules.TagsOf(state, Digest("m1")));
        Assert.Equal(["alpha", "zeta", "beta"], ImageRules.TagsOf(RepositoryLifecycle.PutImage(state, Image(Digest("m1")), "beta"), Digest("m1")).OrderBy(t => t == "beta"));
    }

    [Fact]
    public void DeleteImage_ForgetsTheOrderOfTheTagsItRemoves()
    {
        var state = RepositoryLifecycle.PutImage(RepositoryLifecycle.PutImage(Active(), Image(Digest("m1")), "a"), Image(Digest("m1")), "b");

        var deleted = RepositoryLifecycle.DeleteImage(state, Account, Name, new ImageIdentifier(ImageTag: "a"));

        Assert.Equal(["b"], deleted.TagOrder);
    }

    [Fact]
    public void SizeInBytes_IsEachDistinctLayerOnce_NotTheConfigNorTheManifest()
    {
        var state = WithBlobs(Active(), ("layer1", 1000), ("layer2", 20), ("config", 7));
        var image = new ImageEntry(Digest("m1"), MediaTypes.DockerManifest, 500, Digest("config"), [Digest("layer1"), Digest("layer2"), Digest("layer1")], T0);

        Assert.Equal(1020, ImageRules.SizeInBytes(state, image));
    }

    [Fact]
    public void SizeInBytes_OfAnIndex_IsTheLargestImageItNames()
    {
        var state = WithBlobs(Active(), ("amd64", 300), ("arm64", 200));
        var amd64 = new ImageEntry(Digest("m-amd64"), MediaTypes.OciManifest, 400, null, [Digest("amd64")], T0);
        var arm64 = new ImageEntry(Digest("m-arm64"), MediaTypes.OciManifest, 400, null, [Digest("arm64")], T0);
        state = RepositoryLifecycle.PutImage(RepositoryLifecycle.PutImage(state, amd64, null), arm64, null);
        var index = Index("index", amd64.ManifestDigest, arm64.ManifestDigest);
        state = RepositoryLifecycle.PutImage(state, index, "v1");

        Assert.Equal(300, ImageRules.SizeInBytes(state, index));
        Assert.Equal(300, RepositoryLifecycle.Detail(state, index, DateTimeOffset.UnixEpoch).ImageSizeInBytes);
        Assert.Null(RepositoryLifecycle.Detail(state, index, DateTimeOffset.UnixEpoch).ArtifactMediaType);
        Assert.Equal([amd64.ManifestDigest, arm64.ManifestDigest], RepositoryLifecycle.Detail(state, index, DateTimeOffset.UnixEpoch).ManifestDigests);
    }

    [Fact]
    public void DeleteImage_OfAnImageAnIndexNames_IsRefused_ByDigestOrByItsLastTag_AndChangesNothing()
    {
        var state = RepositoryLifecycle.PutImage(Active(), Image(Digest("child")), "child-tag");
        state = RepositoryLifecycle.PutImage(state, Index("index", Digest("child")), "v1");

        var byDigest = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.DeleteImage(state, Account, Name, new ImageIdentifier(Digest("child"))));
        var byTag = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.DeleteImage(state, Account, Name, new ImageIdentifier(ImageTag: "child-tag")));

        Assert.Equal(ImageRules.ReferencedByManifestList, byDigest.ErrorCode);
        Assert.Equal(ImageRules.ReferencedByManifestList, byTag.ErrorCode);
        Assert.Contains(Digest("index"), byDigest.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeleteImage_OfTheIndex_LeavesTheImagesItNamed_ThenTheyMayGo()
    {
        var state = RepositoryLifecycle.PutImage(Active(), Image(Digest("child")), null);
        state = RepositoryLifecycle.PutImage(state, Index("index", Digest("child")), "v1");

        state = RepositoryLifecycle.DeleteImage(state, Account, Name, new ImageIdentifier(ImageTag: "v1"));
        Assert.True(state.Images.ContainsKey(Digest("child")));
        state = RepositoryLifecycle.DeleteImage(state, Account, Name, new ImageIdentifier(Digest("child")));

        Assert.Empty(state.Images);
    }

    [Fact]
    public void DeleteImage_AnotherTagOfAReferencedImage_IsAllowed_TheImageStays()
    {
        var state = RepositoryLifecycle.PutImage(RepositoryLifecycle.PutImage(Active(), Image(Digest("child")), "a"), Image(Digest("child")), "b");
        state = RepositoryLifecycle.PutImage(state, Index("index", Digest("child")), "v1");

        state = RepositoryLifecycle.DeleteImage(state, Account, Name, new ImageIdentifier(ImageTag: "a"));

        Assert.Equal(["b"], ImageRules.TagsOf(state, Digest("child")));
    }

    [Fact]
    public void RecordPull_WritesAtMostOnceADay()
    {
        var image = Image(Digest("m1"));

        var first = ImageRules.RecordPull(image, T0);
        Assert.Equal(T0, first!.LastRecordedPullTime);
        Assert.Null(ImageRules.RecordPull(first, T0 + ImageRules.PullRecordInterval - TimeSpan.FromSeconds(1)));
        Assert.Equal(T0 + ImageRules.PullRecordInterval, ImageRules.RecordPull(first, T0 + ImageRules.PullRecordInterval)!.LastRecordedPullTime);
    }

    [Fact]
    public void RequireAccepted_RefusesATypeNotAccepted_AndAcceptsAnyWhenNoneIsNamed()
    {
        var image = Image(Digest("m1"));

        ImageRules.RequireAccepted(image, null);
        ImageRules.RequireAccepted(image, [MediaTypes.DockerManifest, MediaTypes.OciManifest]);
        var refused = Assert.Throws<AwsServiceException>(() => ImageRules.RequireAccepted(image, [MediaTypes.DockerManifest]));

        Assert.Equal(AwsErrorCodes.ImageNotFound, refused.ErrorCode);
        Assert.Contains(MediaTypes.OciManifest, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireDownloadable_NeedsTheLayer_AndAnImageItBelongsTo()
    {
        var state = WithBlobs(Active(), ("layer", 10), ("config", 5), ("loose", 3));
        state = RepositoryLifecycle.PutImage(state, new ImageEntry(Digest("m1"), MediaTypes.OciManifest, 100, Digest("config"), [Digest("layer")], T0), "v1");

        Assert.Equal(10, ImageRules.RequireDownloadable(state, Account, Name, Digest("layer")).Size);
        Assert.Equal(5, ImageRules.RequireDownloadable(state, Account, Name, Digest("config")).Size);
        Assert.Equal(AwsErrorCodes.LayerInaccessible, Assert.Throws<AwsServiceException>(() => ImageRules.RequireDownloadable(state, Account, Name, Digest("loose"))).ErrorCode);
        Assert.Equal(AwsErrorCodes.LayersNotFound, Assert.Throws<AwsServiceException>(() => ImageRules.RequireDownloadable(state, Account, Name, Digest("absent"))).ErrorCode);
    }

    [Fact]
    public void ImageEntry_From_KeepsTheConfigMediaTypeAndTheIndexEntries()
    {
        var manifest = new ParsedManifest(MediaTypes.OciManifest, Digest("config"), [Digest("layer")], []) { ConfigMediaType = MediaTypes.OciConfig };
        var index = new ParsedManifest(MediaTypes.OciIndex, null, [], [Digest("a"), Digest("b")]);

        Assert.Equal(MediaTypes.OciConfig, ImageEntry.From(Digest("m"), 10, manifest, T0).ArtifactMediaType);
        Assert.Equal([Digest("a"), Digest("b")], ImageEntry.From(Digest("i"), 10, index, T0).ManifestDigests);
    }

    private static RepositoryState Active() => RepositoryLifecycle.CreateAes256(Guid.Parse("0badc0de-0000-4000-8000-000000000002"), T0, Alice.Principal);

    private static RepositoryState WithBlobs(RepositoryState state, params (string Content, long Size)[] blobs) =>
        blobs.Aggregate(state, (s, b) => RepositoryLifecycle.AddBlob(s, new BlobEntry(Digest(b.Content), b.Size, StoredObjectKind.Blob)));

    private static ImageEntry Image(string digest) => new(digest, MediaTypes.OciManifest, 100, null, [], T0);

    private static ImageEntry Index(string content, params string[] children) =>
        new(Digest(content), MediaTypes.OciIndex, 300, null, [], T0) { ManifestDigests = children };

    private static string Digest(string content) => ContentDigest.Sha256(System.Text.Encoding.UTF8.GetBytes(content));
}
