namespace GrantSim.Grains;

/// <summary>
/// A grain that does nothing: the benchmark's ceiling for a grain call in this silo, against which
/// the KMS and ECR calls are measured as ratios.
/// </summary>
[Alias("GrantSim.IBenchEchoGrain")]
public interface IBenchEchoGrain : IGrainWithIntegerKey
{
    [Alias("Echo")] Task<int> Echo(int value);
}
