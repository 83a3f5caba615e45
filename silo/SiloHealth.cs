using Orleans.Runtime;

namespace GrantSim.Silo;

/// <summary>/health: this silo's address and status, and the cluster's active members as this silo sees them.</summary>
internal static class SiloHealth
{
    public static readonly DateTimeOffset FrozenEpoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<IResult> ReportAsync(ILocalSiloDetails silo, IGrainFactory grains)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return Results.Json(new
        {
            status = "ok",
            silo = silo.SiloAddress.ToString(),
            name = silo.Name,
            activeMembers = hosts.Keys.Select(h => h.ToString()).Order(StringComparer.Ordinal).ToArray(),
        });
    }
}
