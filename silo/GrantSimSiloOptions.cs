namespace GrantSim.Silo;

/// <summary>The silo's settings, from the <c>GrantSim:Silo</c> section (or <c>GrantSim__Silo__...</c> environment variables).</summary>
public sealed class GrantSimSiloOptions
{
    public const string Section = "GrantSim:Silo";

    public string ClusterId { get; set; } = "grantsim";

    public string ServiceId { get; set; } = "grantsim";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;
}
