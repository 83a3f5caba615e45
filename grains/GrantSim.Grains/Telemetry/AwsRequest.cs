using Orleans.Serialization.Invocation;

namespace GrantSim.Telemetry;

/// <summary>
/// One grain call seen as the AWS request it serves: what <see cref="AwsRequestObserver"/> names its span,
/// duration, log scope and log line by.
/// </summary>
/// <param name="ResourceField">The log field of the resource: <c>Repository</c> or <c>KeyArn</c>.</param>
/// <param name="ResourceTag">The span tag of the resource (<see cref="TelemetryTags.Repository"/>, <see cref="TelemetryTags.KeyArn"/>).</param>
/// <param name="EncryptionContextKeys">The names (never the values) of the call's encryption context, for KMS calls that take one.</param>
public sealed record AwsRequest(
    string Service, string Operation, string Account, string Region,
    string ResourceField, string ResourceTag, string Resource, IReadOnlyCollection<string>? EncryptionContextKeys = null);

/// <summary>
/// A grain whose calls are AWS requests (a repository's ECR requests, a key's KMS calls). The grain says
/// which request a call is, and <see cref="AwsRequestObserver"/>, a grain call filter, observes it: the
/// grain itself holds no telemetry code beyond what only it knows (the grant a KMS call used).
/// </summary>
public interface IAwsRequestGrain
{
    /// <summary>The request that a call of <paramref name="method"/> with <paramref name="call"/>'s arguments is, or null for an internal call (inspection, settings, resumption).</summary>
    AwsRequest? RequestFor(string method, IInvokable call);
}
