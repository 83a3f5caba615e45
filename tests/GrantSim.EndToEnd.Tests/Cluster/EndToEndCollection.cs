namespace GrantSim.EndToEnd.Tests.Cluster;

/// <summary>
/// The end-to-end tests start real processes; one at a time, so they do not fight for two cores.
/// The AWS tests share one silo, started when the first of them needs it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<Aws.AwsSilo>
{
    public const string Name = "end to end";
}
