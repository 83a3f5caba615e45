using System.Text;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Ecr;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class ImageManifestsTests
{
    private static readonly string Config = Digest("config");
    private static readonly string Layer1 = Digest("layer1");
    private static readonly string Layer2 = Digest("layer2");

    [Fact]
    public void Parse_OciManifest_ReadsConfigAndLayers()
    {
        var json = $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
             "config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{Config}}","size":7},
             "layers":[{"mediaType":"{{MediaTypes.OciLayer}}","digest":"{{Layer1}}","size":1},{"mediaType":"{{MediaTypes.OciLayer}}","digest":"{{Layer2}}","size":2}]}
            """;

        var parsed = Parse(json, null);

        Assert.Equal(MediaTypes.OciManifest, parsed.MediaType);
        Assert.Equal(Config, parsed.ConfigDigest);
        Assert.Equal(new[] { Layer1, Layer2 }, parsed.LayerDigests);
        Assert.Empty(parsed.ManifestDigests);
    }

    [Fact]
    public void Parse_DockerManifest_TakesTheUploadedMediaType()
    {
        var json = $$"""
            {"schemaVersion":2,"config":{"mediaType":"{{MediaTypes.DockerConfig}}","digest":"{{Config}}","size":7},
             "layers":[{"mediaType":"{{MediaTypes.DockerLayer}}","digest":"{{Layer1}}","size":1}]}
            """;

        var parsed = Parse(json, MediaTypes.DockerManifest);

        Assert.Equal(MediaTypes.DockerManifest, parsed.MediaType);
        Assert.Equal(new[] { Layer1 }, parsed.LayerDigests);
    }

    [Fact]
    public void Parse_WithoutAnyMediaType_IsAnOciManifest()
    {
        var parsed = Parse($$"""{"schemaVersion":2,"config":{"digest":"{{Config}}"},"layers":[]}""", null);

        Assert.Equal(MediaTypes.OciManifest, parsed.MediaType);
        Assert.Empty(parsed.LayerDigests);
    }

    [Theory]
    [InlineData(MediaTypes.OciIndex)]
    [InlineData(MediaTypes.DockerManifestList)]
    public void Parse_Index_ReadsTheManifestDigests(string mediaType)
    {
        var json = $$"""
            {"schemaVersion":2,"mediaType":"{{mediaType}}",
             "manifests":[{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{Layer1}}","size":1,"platform":{"os":"linux","architecture":"amd64"} },
                          {"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{Layer2}}","size":2}]}
            """;

        var parsed = Parse(json, null);

        Assert.Equal(mediaType, parsed.MediaType);
        Assert.Null(parsed.ConfigDigest);
        Assert.Empty(parsed.LayerDigests);
        Assert.Equal(new[] { Layer1, Layer2 }, parsed.ManifestDigests);
    }

    [Fact]
    public void Parse_WithManifestsAndNoMediaType_IsAnOciIndex()
    {
        var parsed = Parse($$"""{"schemaVersion":2,"manifests":[{"digest":"{{Layer1}}"}]}""", null);

        Assert.Equal(MediaTypes.OciIndex, parsed.MediaType);
        Assert.Equal(new[] { Layer1 }, parsed.ManifestDigests);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"schemaVersion\":2,")]
    [InlineData("[]")]
    [InlineData("\"manifest\"")]
    [InlineData("null")]
    [InlineData("2")]
    public void Parse_NotAJsonObject_IsInvalidParameter(string json)
    {
        AssertInvalid(json, null);
    }

    [Fact]
    public void Parse_Empty_IsInvalidParameter()
    {
        Assert.Equal(AwsErrorCodes.InvalidParameter, Assert.Throws<AwsServiceException>(() => ImageManifests.Parse([], null)).ErrorCode);
    }

    [Fact]
    public void Parse_LargerThan4MiB_IsInvalidParameter()
    {
        Assert.Equal(AwsErrorCodes.InvalidParameter,
            Assert.Throws<AwsServiceException>(() => ImageManifests.Parse(new byte[ImageManifests.MaxManifestBytes + 1], null)).ErrorCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"schemaVersion\":1,")]
    [InlineData("\"schemaVersion\":3,")]
    [InlineData("\"schemaVersion\":\"2\",")]
    [InlineData("\"schemaVersion\":2.5,")]
    [InlineData("\"schemaVersion\":null,")]
    [InlineData("\"schemaVersion\":{},")]
    [InlineData("\"schemaVersion\":99999999999999999999,")]
    public void Parse_SchemaVersionOtherThanTwo_IsInvalidParameter(string schemaVersion)
    {
        AssertInvalid($$"""{{{schemaVersion}}"config":{"digest":"{{Config}}"},"layers":[]}""", null);
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("md5:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("")]
    public void Parse_BadConfigDigest_IsInvalidParameter(string digest)
    {
        AssertInvalid($$"""{"schemaVersion":2,"config":{"digest":"{{digest}}"},"layers":[]}""", null);
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"layers":[]}""")]
    [InlineData("""{"schemaVersion":2,"config":{},"layers":[]}""")]
    [InlineData("""{"schemaVersion":2,"config":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","layers":[]}""")]
    [InlineData("""{"schemaVersion":2,"config":[],"layers":[]}""")]
    [InlineData("""{"schemaVersion":2,"config":{"digest":7},"layers":[]}""")]
    public void Parse_MissingOrMistypedConfig_IsInvalidParameter(string json)
    {
        AssertInvalid(json, null);
    }

    [Theory]
    [InlineData("")]
    [InlineData(",\"layers\":{}")]
    [InlineData(",\"layers\":\"x\"")]
    [InlineData(",\"layers\":[\"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"]")]
    [InlineData(",\"layers\":[{}]")]
    [InlineData(",\"layers\":[null]")]
    [InlineData(",\"layers\":[{\"digest\":1}]")]
    [InlineData(",\"layers\":[{\"digest\":\"sha256:1234\"}]")]
    public void Parse_MissingOrBadLayers_IsInvalidParameter(string layers)
    {
        AssertInvalid($$"""{"schemaVersion":2,"config":{"digest":"{{Config}}"}{{layers}}}""", null);
    }

    [Theory]
    [InlineData("\"manifests\":{}")]
    [InlineData("\"manifests\":[{\"digest\":\"nope\"}]")]
    [InlineData("\"layers\":[]")]
    public void Parse_IndexWithoutValidManifests_IsInvalidParameter(string body)
    {
        AssertInvalid($$"""{"schemaVersion":2,{{body}}}""", MediaTypes.OciIndex);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData(MediaTypes.OciConfig)]
    [InlineData("application/vnd.docker.distribution.manifest.v1+json")]
    public void Parse_UnsupportedMediaType_IsInvalidParameter(string mediaType)
    {
        AssertInvalid($$"""{"schemaVersion":2,"config":{"digest":"{{Config}}"},"layers":[]}""", mediaType);
        AssertInvalid($$"""{"schemaVersion":2,"mediaType":"{{mediaType}}","config":{"digest":"{{Config}}"},"layers":[]}""", null);
    }

    [Fact]
    public void Parse_MediaTypeFieldOfTheWrongType_IsInvalidParameter()
    {
        AssertInvalid($$"""{"schemaVersion":2,"mediaType":7,"config":{"digest":"{{Config}}"},"layers":[]}""", null);
    }

    [Fact]
    public void Parse_DuplicateField_IsInvalidParameterOrReadsOneOfThem()
    {
        var json = $$"""{"schemaVersion":2,"schemaVersion":2,"config":{"digest":"{{Config}}"},"layers":[]}""";

        var exception = Record.Exception(() => ImageManifests.Parse(Encoding.UTF8.GetBytes(json), null));

        Assert.True(exception is null or AwsServiceException { ErrorCode: AwsErrorCodes.InvalidParameter }, exception?.ToString());
    }

    [Fact]
    public void Parse_InvalidUtf8_IsInvalidParameter()
    {
        var bytes = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"XX","config":{"digest":"{{Config}}"},"layers":[]}""");
        var at = Encoding.UTF8.GetString(bytes).IndexOf("XX", StringComparison.Ordinal);
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;

        Assert.Equal(AwsErrorCodes.InvalidParameter, Assert.Throws<AwsServiceException>(() => ImageManifests.Parse(bytes, null)).ErrorCode);
    }

    [Property]
    public bool BuildOci_ParsesBackToTheSameConfigAndLayers(NonEmptyArray<byte> config, byte[][] layers)
    {
        var configDigest = ContentDigest.Sha256(config.Get);
        var layerList = (layers ?? []).Where(l => l is not null).Select(l => (ContentDigest.Sha256(l), (long)l.Length)).ToArray();

        var parsed = ImageManifests.Parse(ImageManifests.BuildOci(configDigest, config.Get.Length, layerList), null);

        return parsed.MediaType == MediaTypes.OciManifest
            && parsed.ConfigDigest == configDigest
            && parsed.LayerDigests.SequenceEqual(layerList.Select(l => l.Item1))
            && parsed.ManifestDigests.Count == 0;
    }

    [Fact]
    public void BuildOci_IsAnOciManifestWithSizesAndMediaTypes()
    {
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(ImageManifests.BuildOci(Config, 7, [(Layer1, 11)]))!;

        Assert.Equal(2, manifest["schemaVersion"]!.GetValue<int>());
        Assert.Equal(MediaTypes.OciManifest, manifest["mediaType"]!.GetValue<string>());
        Assert.Equal(MediaTypes.OciConfig, manifest["config"]!["mediaType"]!.GetValue<string>());
        Assert.Equal(7, manifest["config"]!["size"]!.GetValue<long>());
        Assert.Equal(MediaTypes.OciLayer, manifest["layers"]![0]!["mediaType"]!.GetValue<string>());
        Assert.Equal(11, manifest["layers"]![0]!["size"]!.GetValue<long>());
    }

    [Fact]
    public void MediaTypes_IndexAndSupported()
    {
        Assert.True(MediaTypes.IsIndex(MediaTypes.OciIndex));
        Assert.True(MediaTypes.IsIndex(MediaTypes.DockerManifestList));
        Assert.False(MediaTypes.IsIndex(MediaTypes.OciManifest));
        Assert.True(MediaTypes.IsSupportedManifest(MediaTypes.DockerManifest));
        Assert.False(MediaTypes.IsSupportedManifest(MediaTypes.OciLayer));
    }

    [Fact]
    public void Parse_KeepsTheConfigMediaType_AsTheArtifactMediaType()
    {
        var json = $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"application/vnd.example.artifact+json","digest":"{{Config}}","size":7},"layers":[]}
            """;

        Assert.Equal("application/vnd.example.artifact+json", Parse(json, null).ConfigMediaType);
    }

    [Fact]
    public void Parse_ManifestListAndOciIndex_NameTheirImages()
    {
        foreach (var type in new[] { MediaTypes.DockerManifestList, MediaTypes.OciIndex })
        {
            var json = $$"""
                {"schemaVersion":2,"mediaType":"{{type}}","manifests":[
                  {"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{Layer1}}","size":10,"platform":{"architecture":"amd64","os":"linux"} },
                  {"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{Layer2}}","size":10,"platform":{"architecture":"arm64","os":"linux"} }]}
                """;

            var parsed = Parse(json, type);

            Assert.True(parsed.IsIndex);
            Assert.Equal([Layer1, Layer2], parsed.ManifestDigests);
            Assert.Null(parsed.ConfigDigest);
            Assert.Null(parsed.ConfigMediaType);
        }
    }

    [Fact]
    public void Parse_AMediaTypeThatContradictsTheManifest_IsInvalid()
    {
        var json = $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[]}
            """;

        AssertInvalid(json, MediaTypes.DockerManifestList);
    }

    private static ParsedManifest Parse(string json, string? mediaType) => ImageManifests.Parse(Encoding.UTF8.GetBytes(json), mediaType);

    private static void AssertInvalid(string json, string? mediaType)
    {
        var error = Assert.Throws<AwsServiceException>(() => Parse(json, mediaType));
        Assert.Equal(AwsErrorCodes.InvalidParameter, error.ErrorCode);
        Assert.StartsWith("Invalid parameter at 'ImageManifest' failed to satisfy constraint: '", error.Message, StringComparison.Ordinal);
    }

    private static string Digest(string content) => ContentDigest.Sha256(Encoding.UTF8.GetBytes(content));

    [Fact]
    public void Parse_ManifestOfExactly4MiB_IsAccepted()
    {
        var json = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"config":{"digest":"{{Config}}"},"layers":[]}""");
        var padded = new byte[ImageManifests.MaxManifestBytes];
        json.CopyTo(padded, 0);
        padded.AsSpan(json.Length).Fill((byte)' ');

        Assert.Equal(Config, ImageManifests.Parse(padded, null).ConfigDigest);
    }

    [Theory]
    [InlineData("not json", null, "not JSON")]
    [InlineData("[]", null, "JSON object")]
    [InlineData("""{"schemaVersion":2,"mediaType":7,"layers":[]}""", null, "wrong type")]
    [InlineData("""{"schemaVersion":2,"layers":[]}""", "application/json", "'application/json'")]
    [InlineData("""{"schemaVersion":1,"layers":[]}""", null, "schemaVersion")]
    [InlineData("""{"schemaVersion":2,"manifests":{}}""", MediaTypes.OciIndex, "manifests")]
    [InlineData("""{"schemaVersion":2,"manifests":[{"digest":"x"}]}""", MediaTypes.OciIndex, "manifests")]
    [InlineData("""{"schemaVersion":2,"config":{"digest":"x"},"layers":[]}""", null, "config.digest")]
    [InlineData("""{"schemaVersion":2,"config":{"digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}}""", null, "layers")]
    [InlineData("""{"schemaVersion":2,"config":{"digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},"layers":[{}]}""", null, "layers")]
    public void Parse_Invalid_SaysWhichPartOfTheManifestIsWrong(string json, string? mediaType, string named)
    {
        var error = Assert.Throws<AwsServiceException>(() => Parse(json, mediaType));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LargerThan4MiB_SaysTheLimit()
    {
        var error = Assert.Throws<AwsServiceException>(() => ImageManifests.Parse(new byte[ImageManifests.MaxManifestBytes + 1], null));

        Assert.Contains(ImageManifests.MaxManifestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }
}
