using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Storage;

namespace GrantSim.Hosting;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// What every GrantSim silo needs whatever its storage: the simulation clock and Orleans' own
    /// binary serializer for grain state (version tolerant, and it handles the immutable
    /// collections and private fields of the domain records, which the JSON default would not).
    /// </summary>
    public static ISiloBuilder AddGrantSim(this ISiloBuilder builder, TimeProvider? simulationTime = null, int maxTenantTags = Telemetry.GrantSimMetrics.DefaultTenantLimit)
    {
        builder.Services.TryAddSingleton(new SimulationClock(simulationTime ?? AdjustableTimeProvider.FollowingWallClock()));
        // The services grains share to reach other grains: the trail, IAM, key references.
        builder.Services.TryAddSingleton<Audit.AuditWriter>();
        builder.Services.TryAddSingleton<Iam.IdentityPolicies>();
        builder.Services.TryAddSingleton<Kms.KeyReferences>();
        // Crash points: none armed, unless a test registered an armed set first.
        builder.Services.TryAddSingleton<Faults.ICrashPoints>(Faults.NoCrashPoints.Instance);

        // Metrics per silo, from the host's meter factory; spans follow grain calls from silo to silo.
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton(services => new Telemetry.GrantSimMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), maxTenantTags));
        builder.AddActivityPropagation();
        // Spans, durations, log scopes of AWS requests: one filter for every grain that serves them.
        builder.AddIncomingGrainCallFilter<Telemetry.AwsRequestObserver>();
        builder.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        builder.Services.AddPlacementDirector<SiloBoundPlacement, SiloBoundPlacementDirector>();

        // A silo joining a running cluster takes the cluster's clock before it serves calls.
        builder.AddStartupTask(async (services, _) =>
        {
            var offset = await services.GetRequiredService<IGrainFactory>().GetGrain<Grains.ISimulationClockGrain>(Grains.ISimulationClockGrain.Key).GetOffset();
            services.GetRequiredService<SimulationClock>().MoveTo(offset);
        });
        return builder;
    }

    /// <summary>One process, nothing to install: in-memory grain storage and reminders.</summary>
    public static ISiloBuilder AddGrantSimInMemoryStorage(this ISiloBuilder builder) =>
        builder
            .AddMemoryGrainStorage(StorageNames.Default)
            .UseInMemoryReminderService();
}
