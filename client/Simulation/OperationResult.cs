namespace GrantSim.Client.Simulation;

/// <summary>How one operation ended: "OK", or the exception name (with the KMS error inside a KmsException), and the error's message.</summary>
public sealed record OperationResult(string Outcome, string? Message)
{
    public bool Ok => Outcome == OperationKinds.Ok;
}
