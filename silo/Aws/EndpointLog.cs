namespace GrantSim.Silo.Aws;

/// <summary>
/// The AWS endpoint's log lines, generated at compile time like the grains' (GrantSimLog). Only what
/// went wrong and where: never a credential, a token, a request body or a header's value but the target.
/// </summary>
internal static partial class EndpointLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Error, Message = "AWS request {Target} failed unexpectedly")]
    public static partial void AwsRequestFailed(ILogger logger, Exception error, string? target);

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "Registry credentials could not be read")]
    public static partial void RegistryCredentialsUnreadable(ILogger logger, Exception error);

    [LoggerMessage(EventId = 311, Level = LogLevel.Error, Message = "Registry request {Method} {Path} failed unexpectedly")]
    public static partial void RegistryRequestFailed(ILogger logger, Exception error, string method, string path);
}
