using GrantSim.Grains;
using GrantSim.Identity;
using GrantSim.Kms;

namespace GrantSim.Client.Simulation;

/// <summary>Reads every page of a paginated KMS listing, the way a client following NextMarker does.</summary>
public static class KmsPaging
{
    /// <summary>All grants on <paramref name="keyArn"/>; <paramref name="call"/> wraps each page's call (to retry it, for one).</summary>
    public static async Task<IReadOnlyList<GrantListEntry>> AllGrantsAsync(
        IKmsServiceGrain kms, CallerIdentity caller, string keyArn, Func<Func<Task<ListGrantsResponse>>, Task<ListGrantsResponse>>? call = null)
    {
        var all = new List<GrantListEntry>();
        string? marker = null;
        do
        {
            var request = new ListGrantsRequest(keyArn, Limit: 100, Marker: marker);
            var page = call is null ? await kms.ListGrants(caller, request) : await call(() => kms.ListGrants(caller, request));
            all.AddRange(page.Grants);
            marker = page.NextMarker;
        }
        while (marker is not null);
        return all;
    }
}
