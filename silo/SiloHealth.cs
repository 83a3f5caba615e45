namespace GrantSim.Silo;

/// <summary>
/// /health: this silo's address and status, the cluster's active members as this silo sees them, and
/// the layer uploads in progress on its AWS endpoint (how many, how many bytes), when it has one.
/// </summary>
internal static class SiloHealth
{
    public static async Task<IResult> ReportAsync(ILocalSiloDetails silo, IGrainFactory grains, IServiceProvider services)
    {
        var uploads = services.GetService<GrantSim.Silo.Aws.UploadSessions>();
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return Results.Json(new
        {
            status = "ok",
            silo = silo.SiloAddress.ToString(),
            name = silo.Name,
            activeMembers = hosts.Keys.Select(h => h.ToString()).Order(StringComparer.Ordinal).ToArray(),
            uploads = uploads is null ? null : new { inProgress = uploads.Count, bytes = uploads.Bytes },
        });
    }
}
