using GrantSim.Aws;
using GrantSim.Client.Hosting;

namespace GrantSim.EndToEnd.Tests.Support;

/// <summary>Where, relative to one of the client's calls, its gateway silo dies.</summary>
public enum KillPoint
{
    /// <summary>Killed, then the call is made: it goes to a gateway that is gone.</summary>
    BeforeTheCall,

    /// <summary>The gateway is stopped (SIGSTOP), the call sent to it, then the gateway killed: the call is in flight when it dies.</summary>
    DuringTheCall,

    /// <summary>The call is answered, then the gateway killed before the next one.</summary>
    BetweenCalls,
}

/// <summary>What happened at one planned kill: the call it was planned around and how that call ended.</summary>
public sealed record GatewayKill(int CallNumber, KillPoint Point, string Call, string KilledSilo, string Outcome, TimeSpan HealedIn);

/// <summary>
/// A client-side call filter that kills the client's gateway silo (SIGKILL, as a crash) at planned
/// application calls, at a planned point of each. After each kill it makes the client's gateway list
/// name a surviving silo, starts a replacement silo and holds the call until the cluster has all its
/// silos again: a barrier, so that the next kill lands on a whole cluster, and no sleep anywhere.
/// </summary>
public sealed class GatewayKiller(RedisCluster cluster, OneGatewayList gateways, IReadOnlyDictionary<int, KillPoint> plan) : IOutgoingGrainCallFilter
{
    private readonly List<GatewayKill> _kills = [];
    private int _calls;

    public IReadOnlyList<GatewayKill> Kills
    {
        get
        {
            lock (_kills)
            {
                return _kills.ToArray();
            }
        }
    }

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        // Only the simulation's own calls are counted: GrantSim's grain interfaces.
        if (context.InterfaceMethod?.DeclaringType?.Namespace != "GrantSim.Grains")
        {
            await context.Invoke();
            return;
        }

        var number = Interlocked.Increment(ref _calls);
        if (!plan.TryGetValue(number, out var point))
        {
            await context.Invoke();
            return;
        }

        var gateway = cluster.Silos.Single(s => s.GatewayPort == gateways.CurrentPort && !s.Process.HasExited);
        var call = $"{context.InterfaceMethod.DeclaringType.Name}.{context.MethodName}";
        var outcome = "OK";
        try
        {
            switch (point)
            {
                case KillPoint.BeforeTheCall:
                    Kill(gateway);
                    await context.Invoke();
                    break;
                case KillPoint.DuringTheCall:
                    gateway.Pause();
                    var inFlight = context.Invoke();
                    Kill(gateway);
                    await inFlight;
                    break;
                default:
                    await context.Invoke();
                    Kill(gateway);
                    break;
            }
        }
        catch (Exception error) when (error is AwsServiceException || ClusterFailures.IsClusterFailure(error))
        {
            // An AWS answer, or none (the outcome is unknown): both are the client's to handle. Anything else is a finding.
            outcome = error is AwsServiceException aws ? aws.ErrorCode : $"unknown ({error.GetType().Name})";
            throw;
        }
        catch (Exception error)
        {
            outcome = $"crashed: {error.GetType().Name}: {error.Message}";
            throw;
        }
        finally
        {
            var healedIn = await HealAsync();
            lock (_kills)
            {
                _kills.Add(new GatewayKill(number, point, call, gateway.Process.Name, outcome, healedIn));
            }
        }
    }

    private void Kill(SiloProcess gateway)
    {
        gateway.Kill();
        gateways.Use(cluster.Silos.First(s => !s.Process.HasExited).GatewayPort);
    }

    private Task<TimeSpan> HealAsync()
    {
        cluster.StartSilo();
        return cluster.WaitForLiveSilosAsMembersAsync();
    }
}
