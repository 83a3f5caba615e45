using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GrantSim.Hosting.Tests;

public sealed class SettingsTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void AValueOfTheWrongType_IsNamedAsAnEnvironmentVariable_WithTheValue()
    {
        var error = Assert.Throws<SettingException>(() =>
            Settings.Read<GrantSimOptions>(Configuration(("GrantSim:Silo:WebPort", "eighty")), GrantSimOptions.Section));

        Assert.Equal("GrantSim__Silo__WebPort is 'eighty', which is not an Int32.", error.Message);
    }

    [Fact]
    public void AnUnknownEnumValue_IsNamed()
    {
        var error = Assert.Throws<SettingException>(() =>
            Settings.Read<GrantSimOptions>(Configuration(("GrantSim:Backend", "Cassandra")), GrantSimOptions.Section));

        Assert.StartsWith("GrantSim__Backend is 'Cassandra', which is not a ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GrantSim:Silo:WebPort", "65536", "GrantSim__Silo__WebPort is 65536, which is not a port number (0 to 65535).")]
    [InlineData("GrantSim:Silo:SiloPort", "0", "GrantSim__Silo__SiloPort is 0, which is not a port number (1 to 65535).")]
    [InlineData("GrantSim:Silo:AdvertisedAddress", "silo-1", "GrantSim__Silo__AdvertisedAddress is 'silo-1', which is not an IP address (leave it empty for the machine's own).")]
    [InlineData("GrantSim:ResponseTimeout", "00:00:00", "GrantSim__ResponseTimeout is 00:00:00, which is not a positive time (e.g. 00:00:10).")]
    [InlineData("GrantSim:Backend", "Redis", "GrantSim__Backend is Redis, so GrantSim__Redis__ConnectionString must name the Redis server, e.g. localhost:6379.")]
    [InlineData("GrantSim:Telemetry:MaxTenantTags", "0", "GrantSim__Telemetry__MaxTenantTags is 0; at least 1 tenant keeps its own tag.")]
    [InlineData("GrantSim:Telemetry:OtlpEndpoint", "collector", "GrantSim__Telemetry__OtlpEndpoint is 'collector', which is not an absolute URI (e.g. http://localhost:4317).")]
    public void AValueThatMakesNoSense_IsRefusedWithOneLine(string key, string value, string message)
    {
        var error = Assert.Throws<SettingException>(() =>
            Settings.Read<GrantSimOptions>(Configuration((key, value)), GrantSimOptions.Section, options => options.Invalid()));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void TheDefaults_AreValid() => Assert.Null(new GrantSimOptions().Invalid());

    [Fact]
    public async Task ValidateOnStart_RefusesAValueChangedAfterItWasRead_AndExplainNamesIt()
    {
        var configuration = new ConfigurationManager();
        configuration["GrantSim:Silo:WebPort"] = "8081";
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddValidatedSettings<GrantSimOptions>(configuration, GrantSimOptions.Section, options => options.Invalid());
        configuration["GrantSim:Silo:WebPort"] = "-1";
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GrantSimOptions>>().Value);

        Assert.Equal("GrantSim__Silo__WebPort is -1, which is not a port number (0 to 65535).", Settings.Explain(error, new Dictionary<string, int>()));
    }

    [Fact]
    public void APortAnotherProcessHolds_IsRefusedBeforeStart_NamingTheSettingThatChoseIt()
    {
        var taken = new TcpListener(IPAddress.Any, 0);
        taken.Start();
        var free = new TcpListener(IPAddress.Any, 0);
        free.Start();
        var freePort = ((IPEndPoint)free.LocalEndpoint).Port;
        free.Stop();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;

            var error = Assert.Throws<SettingException>(() =>
                Settings.RequirePortsFree(new Dictionary<string, int> { ["GrantSim__Silo__GatewayPort"] = freePort, ["GrantSim__Silo__SiloPort"] = port, ["GrantSim__Aws__Port"] = 0 }));

            Assert.Equal($"port {port} is already in use; choose another with GrantSim__Silo__SiloPort.", error.Message);
        }
        finally
        {
            taken.Stop();
        }
    }

    [Fact]
    public void APortInUse_WithoutAnAddressInTheMessage_ListsThePortSettings()
    {
        var failure = new InvalidOperationException("silo start failed", new SocketException((int)SocketError.AddressAlreadyInUse));

        var line = Settings.Explain(failure, new Dictionary<string, int> { ["GrantSim__Silo__SiloPort"] = 11111, ["GrantSim__Silo__GatewayPort"] = 30000 });

        Assert.StartsWith("a port is already in use (", line, StringComparison.Ordinal);
        Assert.EndsWith("the ports come from GrantSim__Silo__SiloPort=11111, GrantSim__Silo__GatewayPort=30000.", line, StringComparison.Ordinal);
    }

    [Fact]
    public void APortInUse_IsNamedFromTheMessage_WhenTheMessageSaysWhichAddress()
    {
        var failure = new IOException("Failed to bind to address http://0.0.0.0:8080: address already in use.");

        var line = Settings.Explain(failure, new Dictionary<string, int> { ["GrantSim__Silo__WebPort"] = 8080, ["GrantSim__Aws__Port"] = 4566 });

        Assert.Equal("port 8080 is already in use; choose another with GrantSim__Silo__WebPort.", line);
    }

    [Fact]
    public void AFailureThatIsNotASetting_IsNotExplained_SoItsStackTraceIsShown() =>
        Assert.Null(Settings.Explain(new NullReferenceException(), new Dictionary<string, int> { ["GrantSim__Silo__WebPort"] = 8080 }));
}
