using GrantSim.Hosting;
using GrantSim.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

// One silo on this machine: localhost clustering, in-memory storage and reminders.
var builder = Host.CreateApplicationBuilder(args);
var options = builder.Configuration.GetSection(GrantSimSiloOptions.Section).Get<GrantSimSiloOptions>() ?? new GrantSimSiloOptions();
builder.UseOrleans(silo => silo
    .UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId)
    .Configure<ClusterOptions>(cluster =>
    {
        cluster.ClusterId = options.ClusterId;
        cluster.ServiceId = options.ServiceId;
    })
    .AddGrantSim()
    .AddGrantSimInMemoryStorage());

await builder.Build().RunAsync();
