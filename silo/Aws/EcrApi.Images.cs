using System.Text.Json.Nodes;
using GrantSim.Grains;

namespace GrantSim.Silo.Aws;

/// <summary>GetDownloadUrlForLayer: checked by the repository, answered with a URL of GrantSim's registry (<see cref="LayerDownloadUrls"/>).</summary>
public sealed partial class EcrApi
{
    private static Func<Task<JsonObject>> GetDownloadUrlForLayer(JsonInput input, AuthenticatedCaller who, string registry, string host, IEcrServiceGrain ecr, LayerDownloadUrls downloads)
    {
        RegistryId(input, who);
        var name = RepositoryName(input);
        var digest = input.RequiredString("layerDigest");
        return async () =>
        {
            // The repository says whether the layer is there and belongs to an image, as the caller may see it; the download
            // itself is the registry's blob GET, which authorizes again and opens the layer through the repository's grant.
            var layer = await ecr.LocateLayer(who.Caller, name, digest);
            var (url, _) = downloads.Issue(host, who.AccessKeyId, who.Account, who.Region, name, layer.Digest, registry);
            return JsonOutput.Object(("downloadUrl", url), ("layerDigest", layer.Digest));
        };
    }
}
