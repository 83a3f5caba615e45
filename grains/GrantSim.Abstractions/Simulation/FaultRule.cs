namespace GrantSim.Simulation;

/// <summary>
/// Fail a share of the calls to <see cref="Operation"/> ("*" for every KMS operation) with
/// <see cref="ErrorCode"/>. <see cref="Principal"/>, when set, limits the rule to calls by that
/// principal (e.g. retire denials for one deleter).
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Simulation.FaultRule")]
public sealed record FaultRule(
    [property: Id(0)] string Operation,
    [property: Id(1)] string ErrorCode,
    [property: Id(2)] double Probability,
    [property: Id(3)] string? Principal = null)
{
    public const string AnyOperation = "*";
}
