namespace GrantSim.Hosting.Tests;

public sealed class TelemetryOptionsTests
{
    private static string? NoVariables(string name) => null;

    [Fact]
    public void Defaults_ExportNothingButThePrometheusEndpoint()
    {
        var options = new TelemetryOptions();

        Assert.False(options.OtlpEnabled(NoVariables));
        Assert.False(options.Console);
        Assert.False(options.JsonLogs);
        Assert.True(options.Prometheus);
    }

    [Fact]
    public void Otlp_IsOn_WhenAskedForByTheSwitch_AnEndpoint_OrOpenTelemetrysOwnVariable()
    {
        Assert.True(new TelemetryOptions { Otlp = true }.OtlpEnabled(NoVariables));
        Assert.True(new TelemetryOptions { OtlpEndpoint = "http://collector:4317" }.OtlpEnabled(NoVariables));
        Assert.True(new TelemetryOptions().OtlpEnabled(name => name == TelemetryOptions.OtlpEndpointVariable ? "http://collector:4317" : null));
        Assert.False(new TelemetryOptions().OtlpEnabled(name => name == TelemetryOptions.OtlpEndpointVariable ? " " : null));
    }
}
