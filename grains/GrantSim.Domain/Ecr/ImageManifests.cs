using System.Text.Json;
using System.Text.Json.Nodes;
using GrantSim.Aws;
using GrantSim.Crypto;

namespace GrantSim.Ecr;

/// <summary>Reads and writes OCI / Docker v2 image manifests and indexes.</summary>
public static class ImageManifests
{
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Parses a manifest. The media type is the one given with the upload, else the manifest's own
    /// <c>mediaType</c> field; an unreadable manifest is InvalidParameterException.
    /// </summary>
    public static ParsedManifest Parse(ReadOnlySpan<byte> manifest, string? mediaType)
    {
        if (manifest.Length is 0 or > MaxManifestBytes)
        {
            throw Invalid($"a manifest must hold 1 to {MaxManifestBytes} bytes");
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(manifest);
        }
        catch (JsonException e)
        {
            throw Invalid($"the manifest is not JSON ({e.Message})");
        }

        if (root is not JsonObject document)
        {
            throw Invalid("the manifest must be a JSON object");
        }

        try
        {
            return Read(document, mediaType);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            throw Invalid($"a field has the wrong type ({e.Message})");
        }
    }

    private static ParsedManifest Read(JsonObject document, string? mediaType)
    {
        var declared = document["mediaType"]?.GetValue<string>();
        var type = string.IsNullOrEmpty(mediaType) ? declared ?? (document["manifests"] is not null ? MediaTypes.OciIndex : MediaTypes.OciManifest) : mediaType;
        if (!string.IsNullOrEmpty(mediaType) && declared is not null && declared != mediaType)
        {
            throw Invalid($"the manifest media type '{mediaType}' does not match the mediaType in the manifest, '{declared}'");
        }

        if (!MediaTypes.IsSupportedManifest(type))
        {
            throw Invalid($"the manifest media type '{type}' is not supported");
        }

        if (document["schemaVersion"]?.GetValue<int>() != 2)
        {
            throw Invalid("schemaVersion must be 2");
        }

        var subject = Subject(document);
        var artifactType = document["artifactType"]?.GetValue<string>();
        var annotations = Annotations(document);
        if (MediaTypes.IsIndex(type))
        {
            return new ParsedManifest(type, null, [], Digests(document["manifests"], "manifests"))
            {
                SubjectDigest = subject, ArtifactType = artifactType, Annotations = annotations,
            };
        }

        var config = document["config"]?["digest"]?.GetValue<string>();
        if (!ContentDigest.IsValid(config))
        {
            throw Invalid("config.digest must be a sha256 digest");
        }

        return new ParsedManifest(type, config, Digests(document["layers"], "layers"), [])
        {
            ConfigMediaType = document["config"]?["mediaType"]?.GetValue<string>(),
            SubjectDigest = subject, ArtifactType = artifactType, Annotations = annotations,
        };
    }

    /// <summary>The digest of the OCI 1.1 <c>subject</c> descriptor; the image it names need not be in the repository (the spec lets it come later).</summary>
    private static string? Subject(JsonObject document)
    {
        if (document["subject"] is not { } subject)
        {
            return null;
        }

        var digest = subject["digest"]?.GetValue<string>();
        return ContentDigest.IsValid(digest) ? digest : throw Invalid("subject.digest must be a sha256 digest");
    }

    private static IReadOnlyDictionary<string, string> Annotations(JsonObject document) =>
        document["annotations"] switch
        {
            null => new Dictionary<string, string>(),
            JsonObject annotations => annotations.ToDictionary(a => a.Key, a => a.Value?.GetValue<string>() ?? throw Invalid("every annotation needs a string value"), StringComparer.Ordinal),
            _ => throw Invalid("annotations must be an object of strings"),
        };

    /// <summary>Builds an OCI image manifest for a config and layers (what an image client pushes).</summary>
    public static byte[] BuildOci(string configDigest, long configSize, IReadOnlyList<(string Digest, long Size)> layers)
    {
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = new JsonObject { ["mediaType"] = MediaTypes.OciConfig, ["digest"] = configDigest, ["size"] = configSize },
            ["layers"] = new JsonArray(layers.Select(l => (JsonNode)new JsonObject
            {
                ["mediaType"] = MediaTypes.OciLayer,
                ["digest"] = l.Digest,
                ["size"] = l.Size,
            }).ToArray()),
        };
        return JsonSerializer.SerializeToUtf8Bytes(manifest);
    }

    private static IReadOnlyList<string> Digests(JsonNode? array, string field)
    {
        if (array is not JsonArray items)
        {
            throw Invalid($"{field} must be an array");
        }

        var digests = new List<string>(items.Count);
        foreach (var item in items)
        {
            string? digest;
            try
            {
                digest = item?["digest"]?.GetValue<string>();
            }
            catch (InvalidOperationException)
            {
                digest = null;
            }

            digests.Add(ContentDigest.IsValid(digest) ? digest! : throw Invalid($"every entry of {field} needs a sha256 digest"));
        }

        return digests;
    }

    private static AwsServiceException Invalid(string why) =>
        new(AwsErrorCodes.InvalidParameter, $"Invalid parameter at 'ImageManifest' failed to satisfy constraint: '{why}'");
}
