using System.Reflection;
using GrantSim.Grains;
using GrantSim.Kms;
using NetArchTest.Rules;

namespace GrantSim.Domain.Tests;

/// <summary>
/// The domain decides; grains load, call it, store and call other grains. So the domain may know the
/// wire records and Orleans' serialization attributes (its stored records are serialized), and nothing
/// of what runs a grain: no grain base, grain factory, grain interface, grain context, storage, hosting,
/// dependency injection, logging, HTTP, Redis, files or sockets.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Domain = typeof(GrantLifecycle).Assembly;

    /// <summary>Namespaces and types the domain must not depend on (a name matches itself and everything under it).</summary>
    public static readonly IReadOnlyList<string> Forbidden =
    [
        "Orleans.Grain", "Orleans.IGrainBase", "Orleans.IGrainFactory", "Orleans.IClusterClient", "Orleans.IGrainObserver",
        "Orleans.Runtime", "Orleans.Storage", "Orleans.Hosting", "Orleans.Configuration", "Orleans.Timers", "Orleans.Streams",
        "Microsoft.Extensions.Hosting", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Logging", "Microsoft.Extensions.Options",
        "Microsoft.AspNetCore", "StackExchange.Redis", "OpenTelemetry",
        "System.IO.File", "System.IO.Directory", "System.IO.FileStream", "System.Net.Http", "System.Net.Sockets",
        "GrantSim.Grains", "GrantSim.Hosting", "GrantSim.Telemetry",
    ];

    [Fact]
    public void TheDomain_DependsOnNothingThatRunsAGrain()
    {
        var result = Types.InAssembly(Domain).That().DoNotResideInNamespaceStartingWith("OrleansCodeGen")
            .ShouldNot().HaveDependencyOnAny([.. Forbidden]).GetResult();

        Assert.True(result.IsSuccessful, $"The domain depends on what runs grains: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    /// <summary>Grain interfaces are wire contracts the grains implement: the domain never calls one.</summary>
    [Fact]
    public void TheDomain_CallsNoGrain()
    {
        var grainInterfaces = typeof(IKeyGrain).Assembly.GetTypes()
            .Where(t => t.IsInterface && typeof(Orleans.IGrain).IsAssignableFrom(t))
            .Select(t => t.FullName!)
            .ToArray();
        Assert.NotEmpty(grainInterfaces);

        var result = Types.InAssembly(Domain).That().DoNotResideInNamespaceStartingWith("OrleansCodeGen")
            .ShouldNot().HaveDependencyOnAny(grainInterfaces).GetResult();

        Assert.True(result.IsSuccessful, $"The domain calls grains: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    /// <summary>The serializers Orleans generates for the stored records use its serialization library, not its runtime.</summary>
    [Fact]
    public void TheGeneratedSerializers_DependOnNoGrainRuntimeEither()
    {
        var result = Types.InAssembly(Domain).That().ResideInNamespaceStartingWith("OrleansCodeGen")
            .ShouldNot().HaveDependencyOnAny("Orleans.Storage", "Orleans.Hosting", "Orleans.IGrainFactory", "Orleans.Grain").GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }
}
