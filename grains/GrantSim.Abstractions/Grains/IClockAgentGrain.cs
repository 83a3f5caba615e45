namespace GrantSim.Grains;

/// <summary>The clock of one silo, keyed by the silo's address and placed on that silo.</summary>
[Alias("GrantSim.IClockAgentGrain")]
public interface IClockAgentGrain : IGrainWithStringKey
{
    [Alias("SetOffset")] Task SetOffset(TimeSpan offset);
}
