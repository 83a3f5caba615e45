namespace GrantSim.EndToEnd.Tests.Cluster;

/// <summary>The end-to-end tests start real processes; one at a time, so they do not fight for two cores.</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection
{
    public const string Name = "end to end";
}
