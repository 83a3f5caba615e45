namespace GrantSim.Telemetry;

/// <summary>The tag (attribute) names of GrantSim's spans and metrics: the one place they are spelled.</summary>
public static class TelemetryTags
{
    /// <summary>The AWS account (bounded on metrics by <see cref="TenantTags"/>; exact on spans).</summary>
    public const string Tenant = "grantsim.tenant";

    public const string Region = "cloud.region";

    public const string Operation = "grantsim.operation";

    /// <summary>"OK" or the AWS exception name, exactly as the audit trail counts outcomes.</summary>
    public const string Outcome = "grantsim.outcome";

    public const string EventSource = "grantsim.event_source";

    public const string GrantState = "grantsim.grant.state";

    public const string EncryptionType = "aws.ecr.encryption_type";

    public const string Repository = "aws.ecr.repository_name";

    public const string KeyArn = "aws.kms.key_arn";

    public const string GrantId = "aws.kms.grant_id";

    /// <summary>The names of the encryption context's pairs; their values (object and repository ARNs) stay out of telemetry.</summary>
    public const string EncryptionContextKeys = "aws.kms.encryption_context_keys";

    public const string KmsError = "aws.kms.error";

    public const string ErrorType = "error.type";

    public const string RpcSystem = "rpc.system";

    public const string RpcService = "rpc.service";

    public const string RpcMethod = "rpc.method";
}
