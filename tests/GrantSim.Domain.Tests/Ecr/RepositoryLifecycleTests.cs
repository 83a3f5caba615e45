using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Ecr;
using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class RepositoryLifecycleTests
{
    private const string Name = "team/app";
    private static readonly Guid Incarnation = Guid.Parse("0badc0de-0000-4000-8000-000000000001");
    private static readonly string RepoArn = Arn.EcrRepository(Region, Account, Name).ToString();

    // ---- create: validation ----

    [Fact]
    public void ValidateCreate_WithoutConfiguration_IsAes256()
    {
        Assert.Equal(EncryptionConfiguration.Aes256, RepositoryLifecycle.ValidateCreate(RepositoryState.Absent, Account, Region, Name, null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("alias/team")]
    [InlineData(KeyId)]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")]
    public void ValidateCreate_Kms_WithOrWithoutKey_IsAccepted(string? kmsKey)
    {
        var requested = new EncryptionConfiguration(EncryptionType.Kms, kmsKey);

        Assert.Equal(requested, RepositoryLifecycle.ValidateCreate(RepositoryState.Absent, Account, Region, Name, requested));
    }

    [Theory]
    [InlineData(RepositoryStatus.Creating)]
    [InlineData(RepositoryStatus.Active)]
    [InlineData(RepositoryStatus.Deleting)]
    [InlineData(RepositoryStatus.RollingBack)]
    public void ValidateCreate_NameInUse_IsRepositoryAlreadyExists(RepositoryStatus status)
    {
        var error = Assert.Throws<AwsServiceException>(() =>
            RepositoryLifecycle.ValidateCreate(RepositoryState.Absent with { Status = status }, Account, Region, Name, null));

        Assert.Equal(AwsErrorCodes.RepositoryAlreadyExists, error.ErrorCode);
        Assert.Equal($"The repository with name '{Name}' already exists in the registry with id '{Account}'", error.Message);
    }

    [Fact]
    public void ValidateCreate_Aes256WithKmsKey_IsInvalidParameter()
    {
        var error = Assert.Throws<AwsServiceException>(() =>
            RepositoryLifecycle.ValidateCreate(RepositoryState.Absent, Account, Region, Name, new EncryptionConfiguration(EncryptionType.Aes256, "alias/team")));

        Assert.Equal(AwsErrorCodes.InvalidParameter, error.ErrorCode);
        Assert.Contains("kmsKey", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Regions.UsEast1)]
    [InlineData(Regions.UsWest2)]
    [InlineData(Regions.EuWest1)]
    public void ValidateCreate_KmsDsseOutsideGovCloud_IsInvalidParameter(string region)
    {
        var error = Assert.Throws<AwsServiceException>(() =>
            RepositoryLifecycle.ValidateCreate(RepositoryState.Absent, Account, region, Name, new EncryptionConfiguration(EncryptionType.KmsDsse)));

        Assert.Equal(AwsErrorCodes.InvalidParameter, error.ErrorCode);
        Assert.Contains("KMS_DSSE", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Regions.UsGovWest1)]
    [InlineData(Regions.UsGovEast1)]
    public void ValidateCreate_KmsDsseInGovCloud_IsAccepted(string region)
    {
        var requested = new EncryptionConfiguration(EncryptionType.KmsDsse);

        Assert.Equal(requested, RepositoryLifecycle.ValidateCreate(RepositoryState.Absent, Account, region, Name, requested));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2049)]
    public void ValidateCreate_KmsKeyOfBadLength_IsInvalidParameter(int length)
    {
        Assert.Equal(AwsErrorCodes.InvalidParameter, Assert.Throws<AwsServiceException>(() =>
            RepositoryLifecycle.ValidateCreate(RepositoryState.Absent, Account, Region, Name, new EncryptionConfiguration(EncryptionType.Kms, new string('k', length)))).ErrorCode);
    }

    [Fact]
    public void ValidateCreate_UndefinedEncryptionType_IsInvalidParameter()
    {
        Assert.Equal(AwsErrorCodes.InvalidParameter, Assert.Throws<AwsServiceException>(() =>
            RepositoryLifecycle.ValidateCreate(RepositoryState.Absent, Account, Region, Name, new EncryptionConfiguration((EncryptionType)7))).ErrorCode);
    }

    [Fact]
    public void RequireKeyInRegion_SameRegion_Passes_OtherRegion_IsInvalidParameter()
    {
        Assert.Null(Record.Exception(() => RepositoryLifecycle.RequireKeyInRegion(KeyArn, Regions.UsEast1)));

        var error = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.RequireKeyInRegion(KeyArn, Regions.UsWest2));
        Assert.Equal(AwsErrorCodes.InvalidParameter, error.ErrorCode);
        Assert.Contains(Regions.UsWest2, error.Message, StringComparison.Ordinal);
        Assert.Equal(AwsErrorCodes.InvalidParameter, Assert.Throws<AwsServiceException>(() =>
            RepositoryLifecycle.RequireKeyInRegion(Arn.KmsKey(Regions.UsGovWest1, Account, KeyId).ToString(), Regions.UsGovEast1)).ErrorCode);
    }

    [Fact]
    public void RequireKeyInRegion_NotAnArn_IsInvalidArn()
    {
        Assert.Equal(AwsErrorCodes.InvalidArn, Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.RequireKeyInRegion("alias/team", Region)).ErrorCode);
    }

    // ---- create: steps ----

    [Fact]
    public void CreateAes256_IsActiveWithoutGrants()
    {
        var state = RepositoryLifecycle.CreateAes256(Incarnation, T0, Alice.Principal);

        Assert.Equal(RepositoryStatus.Active, state.Status);
        Assert.Equal(EncryptionConfiguration.Aes256, state.Configuration);
        Assert.Equal(Incarnation, state.Incarnation);
        Assert.Equal(Alice.Principal, state.Creator);
        Assert.Empty(state.Grants);
        Assert.False(state.HasPendingWork);
    }

    [Fact]
    public void BeginKmsCreate_RecordsTwoNamedGrantsNotYetCreated()
    {
        var state = RepositoryLifecycle.BeginKmsCreate(EncryptionType.Kms, KeyArn, Incarnation, T0, Alice.Principal);

        Assert.Equal(RepositoryStatus.Creating, state.Status);
        Assert.True(state.HasPendingWork);
        Assert.Equal(new EncryptionConfiguration(EncryptionType.Kms, KeyArn), state.Configuration);
        Assert.Equal(new[] { RepositoryGrantRole.Registry, RepositoryGrantRole.Storage }, state.Grants.Select(g => g.Role));
        Assert.All(state.Grants, g =>
        {
            Assert.Null(g.GrantId);
            Assert.Equal(RepositoryGrants.Name(Incarnation, g.Role), g.Name);
        });
        Assert.Empty(RepositoryLifecycle.GrantsToRetire(state));
    }

    [Fact]
    public void BeginKmsCreate_ForAes256_Throws()
    {
        Assert.Throws<ArgumentException>(() => RepositoryLifecycle.BeginKmsCreate(EncryptionType.Aes256, KeyArn, Incarnation, T0, Alice.Principal));
    }

    [Fact]
    public void KmsCreate_AllSteps_EndsActiveWithBothGrants()
    {
        var state = CreatedKmsRepository();

        Assert.Equal(RepositoryStatus.Active, state.Status);
        Assert.Equal(new[] { "g-registry", "g-storage" }, state.Grants.Select(g => g.GrantId));
        Assert.Equal("t-storage", state.Grant(RepositoryGrantRole.Storage)!.Token);
        Assert.All(state.Grants, g => Assert.False(g.Retired));
        Assert.Equal(new[] { false, false }, state.Grants.Select(g => g.ToPublic().Retired));
    }

    [Fact]
    public void CompleteCreate_BeforeBothGrantsExist_Throws()
    {
        var state = RepositoryLifecycle.BeginKmsCreate(EncryptionType.Kms, KeyArn, Incarnation, T0, Alice.Principal);
        state = RepositoryLifecycle.RecordGrantCreated(state, RepositoryGrantRole.Registry, "g-registry", "t-registry");

        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.CompleteCreate(state));
    }

    [Fact]
    public void RecordGrantCreated_OutsideCreate_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.RecordGrantCreated(CreatedKmsRepository(), RepositoryGrantRole.Registry, "x", "y"));
        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.RecordGrantCreated(
            RepositoryLifecycle.CreateAes256(Incarnation, T0, Alice.Principal), RepositoryGrantRole.Registry, "x", "y"));
    }

    [Fact]
    public void Rollback_AfterOneGrant_RetiresItAndFreesTheName()
    {
        var state = RepositoryLifecycle.BeginKmsCreate(EncryptionType.Kms, KeyArn, Incarnation, T0, Alice.Principal);
        state = RepositoryLifecycle.RecordGrantCreated(state, RepositoryGrantRole.Registry, "g-registry", "t-registry");

        state = RepositoryLifecycle.BeginRollback(state);
        Assert.Equal(RepositoryStatus.RollingBack, state.Status);
        Assert.True(state.HasPendingWork);
        Assert.Equal(new[] { "g-registry" }, RepositoryLifecycle.GrantsToRetire(state).Select(g => g.GrantId));
        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.CompleteRollback(state));

        state = RepositoryLifecycle.RecordGrantRetired(state, RepositoryGrantRole.Registry);
        Assert.Empty(RepositoryLifecycle.GrantsToRetire(state));
        state = RepositoryLifecycle.CompleteRollback(state);

        Assert.Same(RepositoryState.Absent, state);
        Assert.Equal(EncryptionConfiguration.Aes256, RepositoryLifecycle.ValidateCreate(state, Account, Region, Name, null));
    }

    [Fact]
    public void Rollback_AdoptsTheGrantsOfItsUnrecordedSlots_ByTheirNames_AndNothingElse()
    {
        var state = RepositoryLifecycle.BeginKmsCreate(EncryptionType.Kms, KeyArn, Incarnation, T0, Alice.Principal);
        state = RepositoryLifecycle.RecordGrantCreated(state, RepositoryGrantRole.Registry, "g-registry", "t-registry");
        state = RepositoryLifecycle.BeginRollback(state);
        var unrecorded = state.Grants.Single(g => g.GrantId is null);
        Assert.True(RepositoryLifecycle.HasUnrecordedGrants(state));
        GrantListEntry Retirable(string id, string? name) => new(KeyArn, id, name, T0, "ecr.us-east-1.amazonaws.com", "ecr.us-east-1.amazonaws.com", Account, [], null);

        Assert.Same(state, RepositoryLifecycle.AdoptUnrecordedGrants(state, [Retirable("g-other", "another repository's grant"), Retirable("g-unnamed", null)]));
        var adopted = RepositoryLifecycle.AdoptUnrecordedGrants(state, [Retirable("g-other", "x"), Retirable("g-lost", unrecorded.Name), Retirable("g-registry-again", state.Grants.Single(g => g.GrantId == "g-registry").Name)]);

        Assert.False(RepositoryLifecycle.HasUnrecordedGrants(adopted));
        Assert.Equal(["g-lost", "g-registry"], RepositoryLifecycle.GrantsToRetire(adopted).Select(g => g.GrantId).Order(StringComparer.Ordinal));
        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.AdoptUnrecordedGrants(RepositoryLifecycle.BeginKmsCreate(EncryptionType.Kms, KeyArn, Incarnation, T0, Alice.Principal), []));
    }

    [Fact]
    public void Rollback_BeforeAnyGrant_CompletesAtOnce()
    {
        var state = RepositoryLifecycle.BeginRollback(RepositoryLifecycle.BeginKmsCreate(EncryptionType.Kms, KeyArn, Incarnation, T0, Alice.Principal));

        Assert.Same(RepositoryState.Absent, RepositoryLifecycle.CompleteRollback(state));
    }

    [Fact]
    public void Rollback_OnlyFromCreating()
    {
        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.BeginRollback(CreatedKmsRepository()));
        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.CompleteRollback(CreatedKmsRepository()));
    }

    // ---- delete ----

    [Theory]
    [InlineData(RepositoryStatus.Absent)]
    [InlineData(RepositoryStatus.Creating)]
    [InlineData(RepositoryStatus.Deleting)]
    [InlineData(RepositoryStatus.RollingBack)]
    public void BeginDelete_OfARepositoryThatIsNotActive_IsRepositoryNotFound(RepositoryStatus status)
    {
        var error = Assert.Throws<AwsServiceException>(() =>
            RepositoryLifecycle.BeginDelete(RepositoryState.Absent with { Status = status }, Account, Name, Alice.Principal, force: true, T0));

        Assert.Equal(AwsErrorCodes.RepositoryNotFound, error.ErrorCode);
        Assert.Equal($"The repository with name '{Name}' does not exist in the registry with id '{Account}'", error.Message);
    }

    [Fact]
    public void BeginDelete_WithImagesWithoutForce_IsRepositoryNotEmpty()
    {
        var state = WithImage(CreatedKmsRepository(), Digest("m1"), "latest");

        var error = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.BeginDelete(state, Account, Name, Alice.Principal, force: false, T0));

        Assert.Equal(AwsErrorCodes.RepositoryNotEmpty, error.ErrorCode);
        Assert.Equal($"The repository with name '{Name}' in registry with id '{Account}' cannot be deleted because it still contains images", error.Message);
    }

    [Fact]
    public void BeginDelete_WithImagesAndForce_StartsDeleting()
    {
        var state = RepositoryLifecycle.BeginDelete(WithImage(CreatedKmsRepository(), Digest("m1"), "latest"), Account, Name, Alice.Principal, force: true, T0.AddHours(1));

        Assert.Equal(RepositoryStatus.Deleting, state.Status);
        Assert.Equal(new DeletionProgress(Alice.Principal, T0.AddHours(1), false, false, null), state.Deletion);
        Assert.True(state.HasPendingWork);
    }

    [Fact]
    public void KmsDelete_AllStepsWithBothGrantsRetired_EndsAbsentWithoutReport()
    {
        var state = RepositoryLifecycle.BeginDelete(WithImage(CreatedKmsRepository(), Digest("m1"), "latest"), Account, Name, Alice.Principal, force: true, T0);

        state = RepositoryLifecycle.RecordObjectsDeleted(state);
        Assert.Empty(state.Images);
        Assert.Empty(state.Blobs);
        Assert.Empty(state.Tags);
        Assert.Equal(new[] { RepositoryGrantRole.Registry, RepositoryGrantRole.Storage }, RepositoryLifecycle.GrantsToRetire(state).Select(g => g.Role));
        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.SettleGrants(state, Account, Region, Name, T0));

        state = RepositoryLifecycle.RecordGrantRetired(state, RepositoryGrantRole.Registry);
        state = RepositoryLifecycle.RecordGrantRetired(state, RepositoryGrantRole.Storage);
        state = RepositoryLifecycle.SettleGrants(state, Account, Region, Name, T0);

        Assert.True(state.Deletion!.GrantsSettled);
        Assert.Null(state.Deletion.Leftover);
        Assert.Same(RepositoryState.Absent, RepositoryLifecycle.CompleteDelete(state));
    }

    [Fact]
    public void KmsDelete_WhenARetireFails_ReportsTheDocumentedMessageAndTheGrantLeft()
    {
        var state = RepositoryLifecycle.RecordObjectsDeleted(RepositoryLifecycle.BeginDelete(CreatedKmsRepository(), Account, Name, Alice.Principal, force: false, T0));
        state = RepositoryLifecycle.RecordGrantRetired(state, RepositoryGrantRole.Registry);
        state = RepositoryLifecycle.RecordRetireFailed(state, RepositoryGrantRole.Storage, AwsErrorCodes.AccessDenied);
        Assert.Empty(RepositoryLifecycle.GrantsToRetire(state));

        state = RepositoryLifecycle.SettleGrants(state, Account, Region, Name, T0.AddMinutes(2));

        var leftover = state.Deletion!.Leftover!;
        Assert.Equal(
            $"The repository [{Name}] has been deleted successfully but the grants created by the kmsKey [{KeyArn}] failed to be retired",
            leftover.Message);
        Assert.Equal(new[] { "g-storage" }, leftover.GrantIds);
        Assert.Equal(AwsErrorCodes.AccessDenied, leftover.KmsError);
        Assert.Equal(KeyArn, leftover.KmsKeyArn);
        Assert.Equal(RepoArn, leftover.RepositoryArn);
        Assert.Equal(Name, leftover.RepositoryName);
        Assert.Equal(T0.AddMinutes(2), leftover.ReportedAt);
        Assert.Same(RepositoryState.Absent, RepositoryLifecycle.CompleteDelete(state));
    }

    [Fact]
    public void KmsDelete_WhenBothRetiresFail_ReportsBothGrants()
    {
        var state = RepositoryLifecycle.RecordObjectsDeleted(RepositoryLifecycle.BeginDelete(CreatedKmsRepository(), Account, Name, Alice.Principal, force: false, T0));
        state = RepositoryLifecycle.RecordRetireFailed(state, RepositoryGrantRole.Registry, AwsErrorCodes.AccessDenied);
        state = RepositoryLifecycle.RecordRetireFailed(state, RepositoryGrantRole.Storage, AwsErrorCodes.KmsInvalidState);

        var leftover = RepositoryLifecycle.SettleGrants(state, Account, Region, Name, T0).Deletion!.Leftover!;

        Assert.Equal(new[] { "g-registry", "g-storage" }, leftover.GrantIds);
        Assert.Equal(AwsErrorCodes.AccessDenied, leftover.KmsError);
    }

    [Fact]
    public void Aes256Delete_HasNoGrantsToRetire_AndNoReport()
    {
        var state = RepositoryLifecycle.BeginDelete(RepositoryLifecycle.CreateAes256(Incarnation, T0, Alice.Principal), Account, Name, Alice.Principal, false, T0);
        state = RepositoryLifecycle.RecordObjectsDeleted(state);

        Assert.Empty(RepositoryLifecycle.GrantsToRetire(state));
        state = RepositoryLifecycle.SettleGrants(state, Account, Region, Name, T0);

        Assert.Null(state.Deletion!.Leftover);
        Assert.Same(RepositoryState.Absent, RepositoryLifecycle.CompleteDelete(state));
    }

    [Fact]
    public void CompleteDelete_BeforeObjectsAreGoneAndGrantsSettled_Throws()
    {
        var deleting = RepositoryLifecycle.BeginDelete(CreatedKmsRepository(), Account, Name, Alice.Principal, false, T0);

        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.CompleteDelete(deleting));
        var objectsGone = RepositoryLifecycle.RecordObjectsDeleted(deleting);
        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.CompleteDelete(objectsGone));
    }

    [Fact]
    public void RecordRetireFailed_DuringRollback_Throws()
    {
        var state = RepositoryLifecycle.BeginKmsCreate(EncryptionType.Kms, KeyArn, Incarnation, T0, Alice.Principal);
        state = RepositoryLifecycle.BeginRollback(RepositoryLifecycle.RecordGrantCreated(state, RepositoryGrantRole.Registry, "g", "t"));

        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.RecordRetireFailed(state, RepositoryGrantRole.Registry, AwsErrorCodes.AccessDenied));
    }

    [Fact]
    public void Configuration_NeverChangesThroughCreateImagesAndDeleteSteps()
    {
        var state = CreatedKmsRepository();
        var configuration = state.Configuration;

        state = WithImage(state, Digest("m1"), "latest");
        state = RepositoryLifecycle.DeleteImage(state, Account, Name, new ImageIdentifier(ImageTag: "latest"));
        Assert.Equal(configuration, state.Configuration);
        state = RepositoryLifecycle.RecordObjectsDeleted(RepositoryLifecycle.BeginDelete(state, Account, Name, Alice.Principal, false, T0));
        Assert.Equal(configuration, state.Configuration);
        Assert.Equal(Incarnation, state.Incarnation);
    }

    // ---- images ----

    [Fact]
    public void AddBlob_OnlyWhenActive()
    {
        var blob = new BlobEntry(Digest("layer"), 10, StoredObjectKind.Blob);

        Assert.True(RepositoryLifecycle.AddBlob(CreatedKmsRepository(), blob).Blobs.ContainsKey(blob.Digest));
        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.AddBlob(RepositoryState.Absent, blob));
    }

    [Fact]
    public void RequireReferencesPresent_MissingLayerOrConfig_IsLayersNotFound()
    {
        var state = RepositoryLifecycle.AddBlob(CreatedKmsRepository(), new BlobEntry(Digest("layer1"), 10, StoredObjectKind.Blob));
        var manifest = new ParsedManifest(MediaTypes.OciManifest, Digest("config"), [Digest("layer1"), Digest("layer2")], []);

        var error = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.RequireReferencesPresent(state, manifest));

        Assert.Equal(AwsErrorCodes.LayersNotFound, error.ErrorCode);
        Assert.Contains(Digest("layer2"), error.Message, StringComparison.Ordinal);
        Assert.Contains(Digest("config"), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Digest("layer1"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireReferencesPresent_EverythingPresent_Passes()
    {
        var state = RepositoryLifecycle.AddBlob(CreatedKmsRepository(), new BlobEntry(Digest("layer1"), 10, StoredObjectKind.Blob));
        state = RepositoryLifecycle.AddBlob(state, new BlobEntry(Digest("config"), 5, StoredObjectKind.Blob));

        Assert.Null(Record.Exception(() =>
            RepositoryLifecycle.RequireReferencesPresent(state, new ParsedManifest(MediaTypes.OciManifest, Digest("config"), [Digest("layer1")], []))));
    }

    [Fact]
    public void RequireReferencesPresent_IndexWithMissingImage_IsReferencedImagesNotFound()
    {
        var state = WithImage(CreatedKmsRepository(), Digest("m1"), null);
        var index = new ParsedManifest(MediaTypes.OciIndex, null, [], [Digest("m1"), Digest("m2")]);

        var error = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.RequireReferencesPresent(state, index));

        Assert.Equal(AwsErrorCodes.ReferencedImagesNotFound, error.ErrorCode);
        Assert.Contains(Digest("m2"), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("v1.2.3")]
    [InlineData("_build-7")]
    [InlineData("A")]
    public void ValidateTag_ValidTag_Passes(string tag)
    {
        Assert.Null(Record.Exception(() => RepositoryLifecycle.ValidateTag(tag)));
    }

    [Fact]
    public void ValidateTag_NoTagOr300Characters_Passes()
    {
        Assert.Null(Record.Exception(() => RepositoryLifecycle.ValidateTag(null)));
        Assert.Null(Record.Exception(() => RepositoryLifecycle.ValidateTag(new string('t', RepositoryLifecycle.MaxTagLength))));
    }

    [Fact]
    public void ValidateTag_Of301Characters_IsInvalidParameter()
    {
        Assert.Equal(AwsErrorCodes.InvalidParameter,
            Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.ValidateTag(new string('t', RepositoryLifecycle.MaxTagLength + 1))).ErrorCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("-flag")]
    [InlineData("a b")]
    [InlineData("a:b")]
    [InlineData("a/b")]
    public void ValidateTag_InvalidTag_IsInvalidParameter(string tag)
    {
        Assert.Equal(AwsErrorCodes.InvalidParameter, Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.ValidateTag(tag)).ErrorCode);
    }

    [Fact]
    public void ValidateTag_EndingInANewline_IsInvalidParameter()
    {
        Assert.Equal(AwsErrorCodes.InvalidParameter, Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.ValidateTag("latest\n")).ErrorCode);
    }

    [Fact]
    public void RequireNotAlreadyPushed_SameDigestWithoutNewTag_IsImageAlreadyExists()
    {
        var state = WithImage(CreatedKmsRepository(), Digest("m1"), "latest");

        Assert.Equal(AwsErrorCodes.ImageAlreadyExists,
            Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.RequireNotAlreadyPushed(state, Digest("m1"), null)).ErrorCode);
        Assert.Equal(AwsErrorCodes.ImageAlreadyExists,
            Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.RequireNotAlreadyPushed(state, Digest("m1"), "latest")).ErrorCode);
        Assert.Null(Record.Exception(() => RepositoryLifecycle.RequireNotAlreadyPushed(state, Digest("m1"), "v2")));
        Assert.Null(Record.Exception(() => RepositoryLifecycle.RequireNotAlreadyPushed(state, Digest("m2"), "latest")));
    }

    [Fact]
    public void PutImage_TagMovesToTheNewImage_AndTheOldImageStays()
    {
        var state = WithImage(CreatedKmsRepository(), Digest("m1"), "latest");

        state = WithImage(state, Digest("m2"), "latest");

        Assert.Equal(Digest("m2"), RepositoryLifecycle.FindImage(state, Account, Name, new ImageIdentifier(ImageTag: "latest")).ManifestDigest);
        Assert.Equal(Digest("m1"), RepositoryLifecycle.FindImage(state, Account, Name, new ImageIdentifier(Digest("m1"))).ManifestDigest);
        Assert.Equal(2, state.Images.Count);
    }

    [Fact]
    public void PutImage_SameDigestWithAnotherTag_AddsTheTagToTheSameImage()
    {
        var first = WithImage(CreatedKmsRepository(), Digest("m1"), "latest");
        var state = RepositoryLifecycle.PutImage(first, Image(Digest("m1")) with { PushedAt = T0.AddDays(1) }, "v1");

        Assert.Single(state.Images);
        Assert.Equal(T0, state.Images[Digest("m1")].PushedAt);
        Assert.Equal(new[] { "latest", "v1" }, RepositoryLifecycle.Detail(state, state.Images[Digest("m1")], DateTimeOffset.UnixEpoch).ImageTags);
    }

    [Fact]
    public void PutImage_OnlyWhenActive()
    {
        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.PutImage(RepositoryState.Absent, Image(Digest("m1")), null));
    }

    [Fact]
    public void FindImage_ByTagAndDigest_MustAgree()
    {
        var state = WithImage(WithImage(CreatedKmsRepository(), Digest("m1"), "v1"), Digest("m2"), "v2");

        Assert.Equal(Digest("m1"), RepositoryLifecycle.FindImage(state, Account, Name, new ImageIdentifier(Digest("m1"), "v1")).ManifestDigest);
        var error = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.FindImage(state, Account, Name, new ImageIdentifier(Digest("m1"), "v2")));
        Assert.Equal(AwsErrorCodes.ImageNotFound, error.ErrorCode);
        Assert.Contains($"with name '{Name}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindImage_UnknownTagOrDigestOrNeither_IsImageNotFound()
    {
        var state = WithImage(CreatedKmsRepository(), Digest("m1"), "v1");

        Assert.Equal(AwsErrorCodes.ImageNotFound,
            Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.FindImage(state, Account, Name, new ImageIdentifier(ImageTag: "v9"))).ErrorCode);
        Assert.Equal(AwsErrorCodes.ImageNotFound,
            Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.FindImage(state, Account, Name, new ImageIdentifier(Digest("m9")))).ErrorCode);
        Assert.Equal(AwsErrorCodes.ImageNotFound,
            Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.FindImage(state, Account, Name, new ImageIdentifier())).ErrorCode);
    }

    [Fact]
    public void DeleteImage_ByDigest_RemovesTheImageAndAllItsTags()
    {
        var state = RepositoryLifecycle.PutImage(WithImage(CreatedKmsRepository(), Digest("m1"), "v1"), Image(Digest("m1")), "latest");

        state = RepositoryLifecycle.DeleteImage(state, Account, Name, new ImageIdentifier(Digest("m1")));

        Assert.Empty(state.Images);
        Assert.Empty(state.Tags);
    }

    [Fact]
    public void DeleteImage_ByOneOfSeveralTags_KeepsTheImage_AndByTheLastTag_RemovesIt()
    {
        var state = RepositoryLifecycle.PutImage(WithImage(CreatedKmsRepository(), Digest("m1"), "v1"), Image(Digest("m1")), "latest");

        state = RepositoryLifecycle.DeleteImage(state, Account, Name, new ImageIdentifier(ImageTag: "v1"));
        Assert.True(state.Images.ContainsKey(Digest("m1")));
        Assert.Equal(new[] { "latest" }, state.Tags.Keys);

        state = RepositoryLifecycle.DeleteImage(state, Account, Name, new ImageIdentifier(ImageTag: "latest"));
        Assert.Empty(state.Images);
        Assert.Empty(state.Tags);
    }

    [Fact]
    public void DeleteImage_Unknown_IsImageNotFound()
    {
        Assert.Equal(AwsErrorCodes.ImageNotFound, Assert.Throws<AwsServiceException>(() =>
            RepositoryLifecycle.DeleteImage(CreatedKmsRepository(), Account, Name, new ImageIdentifier(ImageTag: "latest"))).ErrorCode);
    }

    /// <summary>Random puts and deletes against a model of tags and images: the same images and tags, and no tag ever points nowhere.</summary>
    [Property(MaxTest = 200)]
    public bool ImageOperations_AgreeWithAModelOfTagsAndImages(byte[] steps)
    {
        var state = CreatedKmsRepository();
        var images = new HashSet<string>(StringComparer.Ordinal);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] tagNames = ["latest", "v1", "v2"];
        foreach (var step in steps)
        {
            var digest = Digest("m" + (step % 4));
            var tag = tagNames[(step / 4) % 3];
            switch ((step / 12) % 4)
            {
                case 0:
                    state = RepositoryLifecycle.PutImage(state, Image(digest), tag);
                    images.Add(digest);
                    tags[tag] = digest;
                    break;
                case 1:
                    state = RepositoryLifecycle.PutImage(state, Image(digest), null);
                    images.Add(digest);
                    break;
                case 2:
                    var byDigest = Record.Exception(() => state = RepositoryLifecycle.DeleteImage(state, Account, Name, new ImageIdentifier(digest)));
                    if ((byDigest is null) != images.Remove(digest))
                    {
                        return false;
                    }

                    foreach (var t in tags.Where(t => t.Value == digest).Select(t => t.Key).ToArray())
                    {
                        tags.Remove(t);
                    }

                    break;
                default:
                    var byTag = Record.Exception(() => state = RepositoryLifecycle.DeleteImage(state, Account, Name, new ImageIdentifier(ImageTag: tag)));
                    if ((byTag is null) != tags.Remove(tag, out var tagged))
                    {
                        return false;
                    }

                    if (tagged is not null && !tags.ContainsValue(tagged))
                    {
                        images.Remove(tagged);
                    }

                    break;
            }

            if (!images.SetEquals(state.Images.Keys) || tags.Count != state.Tags.Count
                || tags.Any(t => state.Tags.GetValueOrDefault(t.Key) != t.Value) || state.Tags.Values.Any(d => !state.Images.ContainsKey(d)))
            {
                return false;
            }
        }

        return true;
    }

    // ---- describe ----

    [Fact]
    public void Detail_IsTheSizeOfTheLayers_AndListsTagsInPushOrder()
    {
        var state = RepositoryLifecycle.AddBlob(CreatedKmsRepository(), new BlobEntry(Digest("layer"), 100, StoredObjectKind.Blob));
        state = RepositoryLifecycle.AddBlob(state, new BlobEntry(Digest("config"), 10, StoredObjectKind.Blob));
        var image = new ImageEntry(Digest("m1"), MediaTypes.OciManifest, 1, Digest("config"), [Digest("layer")], T0);
        state = RepositoryLifecycle.PutImage(RepositoryLifecycle.PutImage(state, image, "zeta"), image, "alpha");

        var detail = RepositoryLifecycle.Detail(state, image, DateTimeOffset.UnixEpoch);

        Assert.Equal(100, detail.ImageSizeInBytes);
        Assert.Equal(new[] { "zeta", "alpha" }, detail.ImageTags);
        Assert.Equal(Digest("config"), detail.ConfigDigest);
    }

    [Fact]
    public void Describe_ActiveRepository_HasArnUriAndResolvedConfiguration()
    {
        var description = RepositoryLifecycle.Describe(CreatedKmsRepository(), Account, Region, Name);

        Assert.Equal(RepoArn, description.RepositoryArn);
        Assert.Equal($"{Account}.dkr.ecr.us-east-1.amazonaws.com/{Name}", description.RepositoryUri);
        Assert.Equal(Account, description.RegistryId);
        Assert.Equal(new EncryptionConfiguration(EncryptionType.Kms, KeyArn), description.EncryptionConfiguration);
    }

    [Fact]
    public void Describe_AbsentRepository_IsRepositoryNotFound()
    {
        Assert.Equal(AwsErrorCodes.RepositoryNotFound,
            Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.Describe(RepositoryState.Absent, Account, Region, Name)).ErrorCode);
    }

    [Fact]
    public void ArnAndManifestDigest_UseTheSharedFormats()
    {
        Assert.Equal(RepoArn, RepositoryLifecycle.Arn(Account, Region, Name));
        Assert.Equal(ContentDigest.Sha256([1, 2, 3]), RepositoryLifecycle.ManifestDigest([1, 2, 3]));
    }

    private static RepositoryState CreatedKmsRepository()
    {
        var state = RepositoryLifecycle.BeginKmsCreate(EncryptionType.Kms, KeyArn, Incarnation, T0, Alice.Principal);
        state = RepositoryLifecycle.RecordGrantCreated(state, RepositoryGrantRole.Registry, "g-registry", "t-registry");
        state = RepositoryLifecycle.RecordGrantCreated(state, RepositoryGrantRole.Storage, "g-storage", "t-storage");
        return RepositoryLifecycle.CompleteCreate(state);
    }

    private static ImageEntry Image(string digest) => new(digest, MediaTypes.OciManifest, 100, null, [], T0);

    private static RepositoryState WithImage(RepositoryState state, string digest, string? tag) =>
        RepositoryLifecycle.PutImage(state, Image(digest), tag);

    private static string Digest(string content) => ContentDigest.Sha256(System.Text.Encoding.UTF8.GetBytes(content));

    // ---- create: validation messages and boundaries ----

    [Fact]
    public void ValidateCreate_KmsKeyOf2048Characters_IsAccepted()
    {
        var requested = new EncryptionConfiguration(EncryptionType.Kms, new string('k', 2048));

        Assert.Equal(requested, RepositoryLifecycle.ValidateCreate(RepositoryState.Absent, Account, Region, Name, requested));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2049)]
    public void ValidateCreate_KmsKeyOfBadLength_NamesTheFieldAndTheLimit(int length)
    {
        var error = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.ValidateCreate(
            RepositoryState.Absent, Account, Region, Name, new EncryptionConfiguration(EncryptionType.Kms, new string('k', length))));

        Assert.Contains("'encryptionConfiguration.kmsKey'", error.Message, StringComparison.Ordinal);
        Assert.Contains("between 1 and 2048", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateCreate_UndefinedEncryptionType_NamesTheFieldAndTheAllowedTypes()
    {
        var error = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.ValidateCreate(
            RepositoryState.Absent, Account, Region, Name, new EncryptionConfiguration((EncryptionType)7)));

        Assert.Contains("'encryptionConfiguration.encryptionType'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AES256, KMS, KMS_DSSE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateCreate_Aes256WithKmsKey_SaysWhichTypesTakeAKey()
    {
        var error = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.ValidateCreate(
            RepositoryState.Absent, Account, Region, Name, new EncryptionConfiguration(EncryptionType.Aes256, KeyArn)));

        Assert.Contains("'encryptionConfiguration.kmsKey'", error.Message, StringComparison.Ordinal);
        Assert.Contains("KMS or KMS_DSSE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateCreate_KmsDsseOutsideGovCloud_NamesTheFieldAndTheRegion()
    {
        var error = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.ValidateCreate(
            RepositoryState.Absent, Account, Regions.EuWest1, Name, new EncryptionConfiguration(EncryptionType.KmsDsse)));

        Assert.Contains("'encryptionConfiguration.encryptionType'", error.Message, StringComparison.Ordinal);
        Assert.Contains(Regions.EuWest1, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireKeyInRegion_OtherRegion_NamesTheKmsKeyField()
    {
        var error = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.RequireKeyInRegion(KeyArn, Regions.UsWest2));

        Assert.Contains("'encryptionConfiguration.kmsKey'", error.Message, StringComparison.Ordinal);
    }

    // ---- steps out of order ----

    [Fact]
    public void CompleteCreate_OfARepositoryNotBeingCreated_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.CompleteCreate(RepositoryState.Absent));
        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.CompleteCreate(CreatedKmsRepository()));
        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.CompleteCreate(
            RepositoryLifecycle.BeginDelete(CreatedKmsRepository(), Account, Name, Alice.Principal, force: false, T0)));
    }

    [Fact]
    public void CompleteRollback_OfACreateThatIsNotRollingBack_Throws()
    {
        var creating = RepositoryLifecycle.BeginKmsCreate(EncryptionType.Kms, KeyArn, Incarnation, T0, Alice.Principal);

        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.CompleteRollback(creating));
        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.CompleteRollback(RepositoryLifecycle.CreateAes256(Incarnation, T0, Alice.Principal)));
    }

    [Fact]
    public void RecordObjectsDeleted_OfARepositoryNotBeingDeleted_Throws_AndKeepsItsImages()
    {
        var active = WithImage(CreatedKmsRepository(), Digest("m1"), "latest");

        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.RecordObjectsDeleted(active));
        Assert.Single(active.Images);
    }

    [Fact]
    public void RecordGrantRetired_OutsideDeleteOrRollback_Throws()
    {
        var creating = RepositoryLifecycle.RecordGrantCreated(
            RepositoryLifecycle.BeginKmsCreate(EncryptionType.Kms, KeyArn, Incarnation, T0, Alice.Principal), RepositoryGrantRole.Registry, "g", "t");

        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.RecordGrantRetired(CreatedKmsRepository(), RepositoryGrantRole.Registry));
        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.RecordGrantRetired(creating, RepositoryGrantRole.Registry));
    }

    [Fact]
    public void SettleGrants_OutsideDelete_Throws()
    {
        var rollingBack = RepositoryLifecycle.BeginRollback(RepositoryLifecycle.BeginKmsCreate(EncryptionType.Kms, KeyArn, Incarnation, T0, Alice.Principal));

        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.SettleGrants(
            RepositoryLifecycle.CreateAes256(Incarnation, T0, Alice.Principal), Account, Region, Name, T0));
        Assert.Throws<InvalidOperationException>(() => RepositoryLifecycle.SettleGrants(rollingBack, Account, Region, Name, T0));
    }

    [Fact]
    public void Grant_OfARepositoryWithoutGrants_IsNull()
    {
        var aes256 = RepositoryLifecycle.CreateAes256(Incarnation, T0, Alice.Principal);

        Assert.Null(aes256.Grant(RepositoryGrantRole.Registry));
        Assert.Null(RepositoryState.Absent.Grant(RepositoryGrantRole.Storage));
    }

    // ---- images: what the errors say ----

    [Fact]
    public void RequireReferencesPresent_ListsEachMissingLayerOnce_SeparatedByCommas()
    {
        var state = RepositoryLifecycle.AddBlob(CreatedKmsRepository(), new BlobEntry(Digest("config"), 10, StoredObjectKind.Blob));
        var manifest = new ParsedManifest(MediaTypes.OciManifest, Digest("config"), [Digest("layer1"), Digest("layer2"), Digest("layer1")], []);

        var error = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.RequireReferencesPresent(state, manifest));

        Assert.EndsWith($": {Digest("layer1")}, {Digest("layer2")}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireReferencesPresent_ListsEachMissingImageOnce_SeparatedByCommas()
    {
        var index = new ParsedManifest(MediaTypes.OciIndex, null, [], [Digest("m1"), Digest("m2"), Digest("m2")]);

        var error = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.RequireReferencesPresent(CreatedKmsRepository(), index));

        Assert.EndsWith($": {Digest("m1")}, {Digest("m2")}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateTag_Invalid_NamesTheImageTagField()
    {
        var error = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.ValidateTag("-latest"));

        Assert.Contains("'imageTag'", error.Message, StringComparison.Ordinal);
        Assert.Contains("300", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireNotAlreadyPushed_WithTheSameTag_NamesTheDigestAndTheTag()
    {
        var state = WithImage(CreatedKmsRepository(), Digest("m1"), "latest");

        var error = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.RequireNotAlreadyPushed(state, Digest("m1"), "latest"));

        Assert.Contains($"digest '{Digest("m1")}' and tag 'latest' already exists", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireNotAlreadyPushed_WithoutTag_NamesOnlyTheDigest()
    {
        var state = WithImage(CreatedKmsRepository(), Digest("m1"), "latest");

        var error = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.RequireNotAlreadyPushed(state, Digest("m1"), null));

        Assert.Contains($"digest '{Digest("m1")}' already exists", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tag", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindImage_Unknown_NamesTheImageIdAsAsked_WithNullForWhatWasNotGiven()
    {
        var state = WithImage(CreatedKmsRepository(), Digest("m1"), "v1");

        var byDigest = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.FindImage(state, Account, Name, new ImageIdentifier(Digest("m9"))));
        var byTag = Assert.Throws<AwsServiceException>(() => RepositoryLifecycle.FindImage(state, Account, Name, new ImageIdentifier(ImageTag: "v9")));

        Assert.Contains($"{{imageDigest:'{Digest("m9")}', imageTag:'null'}}", byDigest.Message, StringComparison.Ordinal);
        Assert.Contains("{imageDigest:'null', imageTag:'v9'}", byTag.Message, StringComparison.Ordinal);
        Assert.Contains($"in the registry with id '{Account}'", byTag.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detail_OfAnIndexNamingNothingPresent_HasNoConfigDigest_AndSizeZero()
    {
        var index = new ImageEntry(Digest("index"), MediaTypes.OciIndex, 42, null, [], T0);
        var state = RepositoryLifecycle.PutImage(CreatedKmsRepository(), index, "multi");

        var detail = RepositoryLifecycle.Detail(state, index, DateTimeOffset.UnixEpoch);

        Assert.Equal("", detail.ConfigDigest);
        Assert.Equal(0, detail.ImageSizeInBytes);
        Assert.Equal(MediaTypes.OciIndex, detail.ImageManifestMediaType);
    }
}
