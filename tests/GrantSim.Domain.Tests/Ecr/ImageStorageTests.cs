using System.Text;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Ecr;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class ImageStorageTests
{
    private const string Name = "app";

    [Fact]
    public void Archive_ThenRestore_GoesArchivedActivatingActive_OnTheClock()
    {
        var state = Active();
        var image = Image("m1");
        var archived = ImageStorage.Update(state, image, ImageStatuses.ArchiveStorageClass, T0);
        Assert.Equal(ImageStatuses.Archived, ImageStorage.StatusAt(archived, T0));
        Assert.Equal(T0, archived.LastArchivedAt);

        var restoring = ImageStorage.Update(state, archived, ImageStatuses.StandardStorageClass, T0.AddHours(1));
        var done = T0.AddHours(1) + ImageStorage.RestoreDuration;
        Assert.Equal(ImageStatuses.Activating, ImageStorage.StatusAt(restoring, done.AddTicks(-1)));
        Assert.Null(ImageStorage.LastActivatedAt(restoring, done.AddTicks(-1)));
        Assert.Equal(ImageStatuses.Active, ImageStorage.StatusAt(restoring, done));
        Assert.Equal(done, ImageStorage.LastActivatedAt(restoring, done));
    }

    [Fact]
    public void AskingForTheClassItIsIn_ChangesNothing_AndArchivingWhileActivating_IsNotSupported()
    {
        var state = Active();
        var image = Image("m1");
        Assert.Same(image, ImageStorage.Update(state, image, ImageStatuses.StandardStorageClass, T0));
        var archived = ImageStorage.Update(state, image, ImageStatuses.ArchiveStorageClass, T0);
        Assert.Same(archived, ImageStorage.Update(state, archived, ImageStatuses.ArchiveStorageClass, T0.AddDays(1)));

        var restoring = ImageStorage.Restore(archived, T0);
        Assert.Same(restoring, ImageStorage.Update(state, restoring, ImageStatuses.StandardStorageClass, T0));
        Assert.Equal(AwsErrorCodes.ImageStorageClassUpdateNotSupported,
            Assert.Throws<AwsServiceException>(() => ImageStorage.Update(state, restoring, ImageStatuses.ArchiveStorageClass, T0)).ErrorCode);
        Assert.Equal(AwsErrorCodes.InvalidParameter,
            Assert.Throws<AwsServiceException>(() => ImageStorage.Update(state, image, "GLACIER", T0)).ErrorCode);
    }

    [Fact]
    public void AnImageAnActiveIndexNames_CannotBeArchivedAlone()
    {
        var child = Image("child");
        var index = new ImageEntry(Digest("index"), MediaTypes.OciIndex, 300, null, [], T0) { ManifestDigests = [child.ManifestDigest] };
        var state = RepositoryLifecycle.PutImage(RepositoryLifecycle.PutImage(Active(), child, null), index, "v1");

        Assert.Equal(AwsErrorCodes.ImageStorageClassUpdateNotSupported,
            Assert.Throws<AwsServiceException>(() => ImageStorage.Update(state, child, ImageStatuses.ArchiveStorageClass, T0)).ErrorCode);
        var archivedIndex = ImageStorage.Update(state, index, ImageStatuses.ArchiveStorageClass, T0);
        state = state with { Images = state.Images.SetItem(index.ManifestDigest, archivedIndex) };
        Assert.True(ImageStorage.Update(state, child, ImageStatuses.ArchiveStorageClass, T0).Archived);
    }

    [Fact]
    public void OnlyAnActiveImage_IsPullable_AndTheRefusalIsImageNotFound()
    {
        var image = Image("m1");
        ImageStorage.RequirePullable(image, T0, Account, Name);
        var archived = image with { Archived = true, LastArchivedAt = T0 };
        var error = Assert.Throws<AwsServiceException>(() => ImageStorage.RequirePullable(archived, T0, Account, Name));
        Assert.Equal(AwsErrorCodes.ImageNotFound, error.ErrorCode);
        Assert.Contains("ARCHIVED", error.Message, StringComparison.Ordinal);
        var restoring = ImageStorage.Restore(archived, T0);
        Assert.Equal(AwsErrorCodes.ImageNotFound, Assert.Throws<AwsServiceException>(() => ImageStorage.RequirePullable(restoring, T0, Account, Name)).ErrorCode);
        ImageStorage.RequirePullable(restoring, T0 + ImageStorage.RestoreDuration, Account, Name);
    }

    [Theory]
    [InlineData(ImageStatuses.Archived, ImageStatuses.Any, true)]
    [InlineData(ImageStatuses.Archived, ImageStatuses.Archived, true)]
    [InlineData(ImageStatuses.Archived, ImageStatuses.Active, false)]
    [InlineData(ImageStatuses.Activating, ImageStatuses.Active, false)]
    public void Passes_MatchesTheFilter_AnyPassesAll(string status, string filter, bool passes) =>
        Assert.Equal(passes, ImageStorage.Passes(status, filter));

    private static RepositoryState Active() => RepositoryLifecycle.CreateAes256(Guid.Parse("0badc0de-0000-4000-8000-000000000003"), T0, Alice.Principal);

    private static ImageEntry Image(string content) => new(Digest(content), MediaTypes.OciManifest, 100, null, [], T0);

    private static string Digest(string content) => ContentDigest.Sha256(Encoding.UTF8.GetBytes(content));
}
