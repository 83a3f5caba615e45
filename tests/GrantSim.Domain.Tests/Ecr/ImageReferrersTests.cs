using System.Text;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Ecr;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class ImageReferrersTests
{
    private const string Sbom = "application/spdx+json";
    private const string Signature = "application/vnd.cncf.notary.signature";

    [Fact]
    public void AManifestWithASubject_IsParsed_WithItsArtifactTypeAndAnnotations()
    {
        var subject = Digest("subject");
        var manifest = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}","artifactType":"{{{Sbom}}}",
             "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{{Digest("{}")}}}","size":2},
             "layers":[{"mediaType":"{{{Sbom}}}","digest":"{{{Digest("sbom")}}}","size":4}],
             "subject":{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{subject}}}","size":10},
             "annotations":{"org.opencontainers.image.created":"2026-12-01T00:00:00Z"}}
            """);
        var parsed = ImageManifests.Parse(manifest, null);
        var entry = ImageEntry.From(Digest("referrer"), manifest.Length, parsed, T0);

        Assert.Equal(subject, entry.SubjectDigest);
        Assert.Equal(Sbom, entry.ArtifactType);
        Assert.Equal("2026-12-01T00:00:00Z", entry.Annotations["org.opencontainers.image.created"]);
    }

    [Fact]
    public void WithoutAnArtifactType_TheConfigMediaTypeIsTheArtifactType_AndABadSubjectIsRefused()
    {
        var parsed = new ParsedManifest(MediaTypes.OciManifest, Digest("config"), [], []) { ConfigMediaType = Signature, SubjectDigest = Digest("s") };
        Assert.Equal(Signature, ImageEntry.From(Digest("r"), 10, parsed, T0).ArtifactType);

        var bad = Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}","config":{"digest":"{{{Digest("c")}}}"},"layers":[],"subject":{"digest":"md5:x"}}""");
        Assert.Equal(AwsErrorCodes.InvalidParameter, Assert.Throws<AwsServiceException>(() => ImageManifests.Parse(bad, null)).ErrorCode);
    }

    [Fact]
    public void Of_ListsTheSubjectsReferrers_OldestFirst_FilteredByTypeAndStatus()
    {
        var subject = Digest("subject");
        var sbom = Referrer("sbom", subject, Sbom, T0.AddMinutes(2));
        var signature = Referrer("sig", subject, Signature, T0.AddMinutes(1)) with { Archived = true };
        var unrelated = Referrer("other", Digest("another"), Sbom, T0);
        var state = new[] { sbom, signature, unrelated }.Aggregate(Active(), (s, i) => RepositoryLifecycle.PutImage(s, i, null));

        Assert.Equal([signature.ManifestDigest, sbom.ManifestDigest], ImageReferrers.Of(state, subject, null, ImageStatuses.Any, T0).Select(r => r.Digest));
        Assert.Equal([sbom.ManifestDigest], ImageReferrers.Of(state, subject, null, ImageStatuses.Active, T0).Select(r => r.Digest));
        Assert.Equal([signature.ManifestDigest], ImageReferrers.Of(state, subject, [Signature], ImageStatuses.Any, T0).Select(r => r.Digest));
        var listed = Assert.Single(ImageReferrers.Of(state, subject, [Signature], ImageStatuses.Archived, T0));
        Assert.Equal((MediaTypes.OciManifest, 123L, ImageStatuses.Archived), (listed.MediaType, listed.Size, listed.ArtifactStatus));
        Assert.Empty(ImageReferrers.Of(state, Digest("nobody"), null, ImageStatuses.Any, T0));
    }

    [Fact]
    public void Of_RefusesABadDigestTooManyTypesAndAnUnknownStatus()
    {
        var state = Active();
        Assert.Equal(AwsErrorCodes.InvalidParameter, Assert.Throws<AwsServiceException>(() => ImageReferrers.Of(state, "latest", null, ImageStatuses.Any, T0)).ErrorCode);
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => ImageReferrers.Of(state, Digest("s"), ["a", "b", "c", "d", "e", "f"], ImageStatuses.Any, T0)).ErrorCode);
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => ImageReferrers.Of(state, Digest("s"), null, "GONE", T0)).ErrorCode);
    }

    private static ImageEntry Referrer(string content, string subject, string artifactType, DateTimeOffset pushedAt) =>
        new(Digest(content), MediaTypes.OciManifest, 123, Digest("config"), [], pushedAt) { SubjectDigest = subject, ArtifactType = artifactType };

    private static RepositoryState Active() => RepositoryLifecycle.CreateAes256(Guid.Parse("0badc0de-0000-4000-8000-000000000004"), T0, Alice.Principal);

    private static string Digest(string content) => ContentDigest.Sha256(Encoding.UTF8.GetBytes(content));
}
