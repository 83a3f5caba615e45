using Orleans.TestingHost;

namespace GrantSim.Cluster.Tests.Support;

/// <summary>A test cluster of one test class's own, for silo configuration the shared cluster must not have (armed crash points, no reminders).</summary>
public static class OwnCluster
{
    public static async Task<TestCluster> StartAsync<TConfigurator>(short silos = 1)
        where TConfigurator : ISiloConfigurator, new()
    {
        var builder = new TestClusterBuilder(silos);
        builder.AddSiloBuilderConfigurator<TConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public static async Task StopAsync(TestCluster cluster)
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }
}
