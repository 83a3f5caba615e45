using System.Collections.Concurrent;
using System.Diagnostics;
using GrantSim.Audit;
using GrantSim.Aws;
using Microsoft.Extensions.Logging;

namespace GrantSim.Telemetry;

/// <summary>
/// The telemetry of every AWS request a grain serves, in one place: a span named <c>Service/Operation</c>
/// (a child of the grain call's, which Orleans propagates), a logging scope with the tenant, region,
/// operation and resource for every line written meanwhile, the request's duration by operation and
/// outcome, and the ECR request log line. Outcomes read as the audit trail counts them: "OK" or the AWS
/// exception name; a failure that is not an AWS answer (a storage write, an unreachable grain) by its type.
/// </summary>
public sealed class AwsRequestObserver(GrantSimMetrics metrics, ILoggerFactory loggers) : IIncomingGrainCallFilter
{
    // Logged under the grain's own category (GrantSim.Ecr.RepositoryGrain), as docs/observability.md lists.
    private readonly ConcurrentDictionary<Type, ILogger> _loggers = new();

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.TargetContext.GrainInstance is not IAwsRequestGrain grain || grain.RequestFor(context.MethodName, context.Request) is not { } request)
        {
            await context.Invoke();
            return;
        }

        var logger = _loggers.GetOrAdd(grain.GetType(), loggers.CreateLogger);
        using var activity = GrantSimTelemetry.StartRpc(request.Service, request.Operation, request.Account, request.Region);
        activity?.SetTag(request.ResourceTag, request.Resource);
        if (request.EncryptionContextKeys is { Count: > 0 } keys)
        {
            activity?.SetTag(TelemetryTags.EncryptionContextKeys, keys.Order(StringComparer.Ordinal).ToArray());
        }

        using var scope = logger.BeginScope(new AwsRequestScope(request));
        var started = Stopwatch.GetTimestamp();
        var outcome = AuditCounts.Ok;
        try
        {
            await context.Invoke();
            activity?.SetTag(TelemetryTags.Outcome, outcome);
        }
        catch (AwsServiceException error)
        {
            outcome = error.ErrorCode;
            GrantSimTelemetry.RecordFailure(activity, error.ErrorCode, error.KmsError);
            throw;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            outcome = error.GetType().Name;
            GrantSimTelemetry.RecordFailure(activity, outcome);
            throw;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            metrics.RequestTook(request.Service, request.Account, request.Region, request.Operation, outcome, elapsed);
            if (request.Service == GrantSimTelemetry.EcrService)
            {
                GrantSimLog.EcrRequest(logger, request.Operation, request.Resource, request.Account, request.Region, outcome, elapsed.TotalMilliseconds);
            }
        }
    }
}
