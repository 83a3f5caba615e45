using System.Net;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;

namespace GrantSim.Hosting;

/// <summary>Applies <see cref="GrantSimOptions"/> to a silo or a client: the backend is chosen by configuration, never by code.</summary>
public static class BackendExtensions
{
    public static ISiloBuilder UseGrantSimBackend(this ISiloBuilder builder, GrantSimOptions options)
    {
        options.Validate();
        builder.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });
        builder.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = options.ResponseTimeout);
        var silo = options.Silo;
        switch (options.Backend)
        {
            case Backend.Redis:
                var redis = ConfigurationOptions.Parse(options.Redis.ConnectionString);
                builder
                    .UseRedisClustering(o => o.ConfigurationOptions = redis)
                    .AddRedisGrainStorage(StorageNames.Default, o => o.ConfigurationOptions = redis)
                    .UseRedisReminderService(o => o.ConfigurationOptions = redis);
                if (silo.AdvertisedAddress is { Length: > 0 } address)
                {
                    builder.ConfigureEndpoints(IPAddress.Parse(address), silo.SiloPort, silo.GatewayPort, listenOnAnyHostAddress: true);
                }
                else
                {
                    // The machine's own address: what each container of a compose file should advertise.
                    builder.ConfigureEndpoints(silo.SiloPort, silo.GatewayPort, listenOnAnyHostAddress: true);
                }

                break;
            default:
                builder
                    .UseLocalhostClustering(silo.SiloPort, silo.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId)
                    // One silo, state in its memory: written once, serialized, rather than serialized
                    // and copied again into Orleans' storage grains.
                    .AddGrantSimSharedMemoryStorage(new SharedMemoryGrainStore());
                break;
        }

        return builder;
    }

    public static IClientBuilder UseGrantSimCluster(this IClientBuilder builder, GrantSimOptions options)
    {
        options.Validate();
        builder.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });
        builder.Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = options.ResponseTimeout);
        // A client's spans and the silos' belong to one trace.
        builder.AddActivityPropagation();
        return options.Backend == Backend.Redis
            ? builder.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(options.Redis.ConnectionString))
            : builder.UseLocalhostClustering(options.Silo.PrimaryGatewayPort, options.ServiceId, options.ClusterId);
    }
}
