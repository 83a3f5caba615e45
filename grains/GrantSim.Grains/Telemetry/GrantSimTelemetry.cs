using System.Diagnostics;

namespace GrantSim.Telemetry;

/// <summary>
/// The names GrantSim's telemetry is published under: one <see cref="System.Diagnostics.Metrics.Meter"/>
/// and one <see cref="ActivitySource"/>, both called <see cref="Name"/>, so that one
/// <c>AddMeter("GrantSim")</c> / <c>AddSource("GrantSim")</c> picks up everything.
/// </summary>
public static class GrantSimTelemetry
{
    public const string Name = "GrantSim";

    /// <summary>
    /// Static, unlike the meter: an ActivitySource holds no per-silo state, and spans from any silo
    /// of a process belong to the same traces.
    /// </summary>
    public static ActivitySource Source { get; } = new(Name);

    /// <summary>The <c>rpc.system</c> of every AWS-shaped span, as the AWS SDK instrumentation spells it.</summary>
    public const string RpcSystem = "aws-api";

    public const string KmsService = "KMS";

    public const string EcrService = "ECR";

    /// <summary>A span for one call of an AWS-shaped API: named <c>Service/Operation</c>, as OpenTelemetry's RPC conventions say.</summary>
    public static Activity? StartRpc(string service, string operation, string account, string region)
    {
        var activity = Source.StartActivity($"{service}/{operation}", ActivityKind.Internal);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag(TelemetryTags.RpcSystem, RpcSystem);
        activity.SetTag(TelemetryTags.RpcService, service);
        activity.SetTag(TelemetryTags.RpcMethod, operation);
        activity.SetTag(TelemetryTags.Tenant, account);
        activity.SetTag(TelemetryTags.Region, region);
        return activity;
    }

    /// <summary>
    /// Tags the span of the AWS request in progress (made by <see cref="AwsRequestObserver"/>) with what only the
    /// grain knows, such as the grant a KMS call used; nothing when nobody listens.
    /// </summary>
    public static void TagRequest(string name, object? value)
    {
        if (Activity.Current is { } current && current.Source == Source)
        {
            current.SetTag(name, value);
        }
    }

    /// <summary>Marks a span failed with the AWS exception name (and, for ECR's KmsException, the KMS one) — never the message's secrets, as none are in names.</summary>
    public static void RecordFailure(Activity? activity, string errorCode, string? kmsError = null)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(TelemetryTags.ErrorType, errorCode);
        if (kmsError is not null)
        {
            activity.SetTag(TelemetryTags.KmsError, kmsError);
        }

        activity.SetStatus(ActivityStatusCode.Error, kmsError is null ? errorCode : $"{errorCode}({kmsError})");
    }
}
