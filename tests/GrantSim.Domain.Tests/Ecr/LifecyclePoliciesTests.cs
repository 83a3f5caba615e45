using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Ecr;
using static GrantSim.Domain.Tests.Ecr.LifecyclePolicyParserTests;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class LifecyclePoliciesTests
{
    private const string Name = "app";
    private static readonly string KeepTwo = Policy(Rule(1, """{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":2}"""));
    private static readonly string UntaggedOlderThanThreeDays = Policy(Rule(1, """{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":3}"""));

    private static string Digest(string content) => ContentDigest.Sha256(System.Text.Encoding.UTF8.GetBytes(content));

    private static RepositoryState Repository() => RepositoryLifecycle.CreateAes256(Guid.NewGuid(), T0, Alice.Principal);

    /// <summary>Pushes an image whose config is its own and whose layer is shared by every image ("base").</summary>
    private static RepositoryState Push(RepositoryState state, string name, DateTimeOffset at, string? tag)
    {
        foreach (var blob in new[] { "base", "config-" + name })
        {
            state = RepositoryLifecycle.AddBlob(state, new BlobEntry(Digest(blob), 10, StoredObjectKind.Blob));
        }

        return RepositoryLifecycle.PutImage(state, new ImageEntry(Digest(name), MediaTypes.OciManifest, 100, Digest("config-" + name), [Digest("base")], at), tag);
    }

    [Fact]
    public void Get_WithoutAPolicy_IsLifecyclePolicyNotFound_InEcrsWording()
    {
        var error = Assert.Throws<AwsServiceException>(() => LifecyclePolicies.Describe(Repository(), Account, Name));

        Assert.Equal(AwsErrorCodes.LifecyclePolicyNotFound, error.ErrorCode);
        Assert.Equal($"Lifecycle policy does not exist for the repository with name 'app' in the registry with id '{Account}'", error.Message);
        Assert.Equal(AwsErrorCodes.LifecyclePolicyNotFound, Assert.Throws<AwsServiceException>(() => LifecyclePolicies.Delete(Repository(), Account, Name)).ErrorCode);
        Assert.Equal(AwsErrorCodes.LifecyclePolicyPreviewNotFound, Assert.Throws<AwsServiceException>(() => LifecyclePolicies.Preview(Repository(), Account, Name)).ErrorCode);
    }

    [Fact]
    public void Put_AnInvalidPolicy_ChangesNothing()
    {
        var state = LifecyclePolicies.Put(Repository(), KeepTwo, T0);

        Assert.Throws<AwsServiceException>(() => LifecyclePolicies.Put(state, "{}", T0.AddDays(1)));
        Assert.Equal(KeepTwo, LifecyclePolicies.Describe(state, Account, Name).PolicyText);
    }

    [Fact]
    public void Evaluations_FallDueEvery24HoursAfterThePut_AndAReplacedPolicyStartsAgain()
    {
        var settings = LifecyclePolicies.SettingsOf(LifecyclePolicies.Put(Repository(), KeepTwo, T0));

        Assert.Empty(LifecyclePolicies.DueEvaluations(settings, T0.AddHours(23)));
        Assert.Equal([T0.AddDays(1)], LifecyclePolicies.DueEvaluations(settings, T0.AddDays(1)));
        Assert.Equal([T0.AddDays(1), T0.AddDays(2), T0.AddDays(3)], LifecyclePolicies.DueEvaluations(settings, T0.AddDays(3.5)));
        Assert.Equal([T0.AddDays(3)], LifecyclePolicies.DueEvaluations(settings with { LastEvaluatedAt = T0.AddDays(2) }, T0.AddDays(3.5)));

        var replaced = settings with { LastEvaluatedAt = T0.AddDays(2), InEffectSince = T0.AddDays(2.5) };
        Assert.Equal([T0.AddDays(3.5)], LifecyclePolicies.DueEvaluations(replaced, T0.AddDays(4)));
        Assert.Empty(LifecyclePolicies.DueEvaluations(settings with { PolicyText = null }, T0.AddDays(9)));
    }

    [Fact]
    public void CatchUp_ExpiresTheOldestBeyondTheCount_WithTheirTagsAndOnlyTheBlobsNoOtherImageUses()
    {
        var state = Push(Push(Push(Repository(), "one", T0, "v1"), "two", T0.AddHours(1), "v2"), "three", T0.AddHours(2), "v3");
        state = RepositoryLifecycle.AddBlob(state, new BlobEntry(Digest("uploading"), 5, StoredObjectKind.Blob));
        state = LifecyclePolicies.Put(state, KeepTwo, T0.AddHours(3));

        Assert.Null(LifecyclePolicies.CatchUp(state, T0.AddHours(26)));
        var next = LifecyclePolicies.CatchUp(state, T0.AddHours(27))!;

        var pending = LifecyclePolicies.PendingOf(next);
        Assert.Equal([Digest("one")], pending.Expired.Select(e => e.ImageDigest));
        Assert.Equal(T0.AddHours(27), pending.Expired[0].EvaluatedAt);
        Assert.Equal([Digest("one")], pending.ManifestDigests);
        Assert.Equal([Digest("config-one")], pending.BlobDigests);
        Assert.False(pending.Recorded);
        Assert.Equal(new[] { Digest("two"), Digest("three") }.Order(StringComparer.Ordinal), next.Images.Keys.Order(StringComparer.Ordinal));
        Assert.False(next.Tags.ContainsKey("v1"));
        Assert.True(next.Blobs.ContainsKey(Digest("base")));
        Assert.True(next.Blobs.ContainsKey(Digest("uploading")));
        Assert.False(next.Blobs.ContainsKey(Digest("config-one")));
        Assert.Equal(T0.AddHours(27), LifecyclePolicies.SettingsOf(next).LastEvaluatedAt);

        // Unfinished, it is not decided again; finished, the next evaluation is a day later.
        Assert.Null(LifecyclePolicies.CatchUp(next, T0.AddDays(5)));
        var done = LifecyclePolicies.CompleteExpiry(LifecyclePolicies.RecordTrailWritten(next));
        Assert.Null(LifecyclePolicies.SettingsOf(done).Pending);
        Assert.Null(LifecyclePolicies.CatchUp(done, T0.AddHours(50)));
        Assert.Null(LifecyclePolicies.SettingsOf(LifecyclePolicies.CatchUp(done, T0.AddHours(51))!).Pending);
    }

    [Fact]
    public void CatchUp_RunsEachMissedEvaluation_AsOfItsOwnTime()
    {
        var state = Push(Push(Repository(), "old", T0, null), "young", T0.AddDays(2), null);
        state = LifecyclePolicies.Put(state, UntaggedOlderThanThreeDays, T0);

        var next = LifecyclePolicies.CatchUp(state, T0.AddDays(10))!;

        var expired = LifecyclePolicies.PendingOf(next).Expired;
        Assert.Equal([(Digest("old"), T0.AddDays(4)), (Digest("young"), T0.AddDays(6))], expired.Select(e => (e.ImageDigest, e.EvaluatedAt)));
        Assert.Empty(next.Images);
        Assert.Empty(next.Blobs);
        Assert.Equal(T0.AddDays(10), LifecyclePolicies.SettingsOf(next).LastEvaluatedAt);
    }

    [Fact]
    public void CatchUp_WithNothingToExpire_OnlyMovesTheLastEvaluation()
    {
        var state = LifecyclePolicies.Put(Push(Repository(), "only", T0, "v1"), KeepTwo, T0);

        var next = LifecyclePolicies.CatchUp(state, T0.AddDays(1))!;

        Assert.Null(LifecyclePolicies.SettingsOf(next).Pending);
        Assert.Equal(T0.AddDays(1), LifecyclePolicies.Describe(next, Account, Name).LastEvaluatedAt);
        Assert.Single(next.Images);
    }

    [Fact]
    public void Preview_ExpiresNothing_AndDeletingThePolicyStopsEvaluations()
    {
        var state = Push(Push(Push(Repository(), "one", T0, "v1"), "two", T0, "v2"), "three", T0, "v3");

        var previewed = LifecyclePolicies.StartPreview(state, KeepTwo, Account, Name, T0);

        Assert.Equal(state.Images, previewed.Images);
        var preview = LifecyclePolicies.Preview(previewed, Account, Name);
        Assert.Equal(LifecyclePreviewStatus.Complete, preview.Status);
        Assert.Single(preview.Results);
        Assert.Equal(AwsErrorCodes.LifecyclePolicyNotFound, Assert.Throws<AwsServiceException>(() => LifecyclePolicies.StartPreview(state, null, Account, Name, T0)).ErrorCode);

        var withPolicy = LifecyclePolicies.Put(previewed, KeepTwo, T0);
        var deleted = LifecyclePolicies.Delete(withPolicy, Account, Name);
        Assert.Null(LifecyclePolicies.CatchUp(deleted, T0.AddDays(30)));
    }

    /// <summary>
    /// Whatever is pushed and whenever the clock is looked at: the catch-up removes exactly the images it reports,
    /// no tag points at a removed image, every blob a remaining image uses stays, and a removed blob was used by an expired image only.
    /// </summary>
    [Property(MaxTest = 200)]
    public bool CatchUp_RemovesExactlyWhatItReports(byte[] pushes, byte keep, byte lookAfterHours)
    {
        var state = Repository();
        foreach (var (b, i) in (pushes ?? []).Take(12).Select((b, i) => (b, i)))
        {
            state = Push(state, "image" + i, T0.AddHours(b % 72), b % 3 == 0 ? null : "t" + i);
        }

        state = LifecyclePolicies.Put(state, Policy(Rule(1, $$"""{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":{{1 + (keep % 5)}}}""")), T0.AddHours(72));
        var next = LifecyclePolicies.CatchUp(state, T0.AddHours(72 + lookAfterHours));
        if (next is null)
        {
            return lookAfterHours < 24;
        }

        var expired = LifecyclePolicies.SettingsOf(next).Pending?.Expired.Select(e => e.ImageDigest).ToHashSet() ?? [];
        var blobsGone = state.Blobs.Keys.Except(next.Blobs.Keys).ToHashSet();
        return next.Images.Count == Math.Min(state.Images.Count, 1 + (keep % 5))
            && state.Images.Keys.All(d => next.Images.ContainsKey(d) != expired.Contains(d))
            && next.Tags.Values.All(next.Images.ContainsKey)
            && next.Images.Values.All(i => next.Blobs.ContainsKey(i.ConfigDigest!) && i.LayerDigests.All(next.Blobs.ContainsKey))
            && blobsGone.SetEquals(LifecyclePolicies.SettingsOf(next).Pending?.BlobDigests ?? [])
            && blobsGone.All(d => state.Images.Values.Where(i => expired.Contains(i.ManifestDigest)).Any(i => i.ConfigDigest == d || i.LayerDigests.Contains(d)));
    }
}
