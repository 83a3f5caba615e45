namespace GrantSim.Model.Tests.Model;

/// <summary>An injected KMS fault: every call to <see cref="Operation"/> (by <see cref="Principal"/>, when set) on the tenant's keys fails with <see cref="ErrorCode"/>.</summary>
public sealed record ModelFault(string Operation, string ErrorCode, Principal? Principal);
