using System.Reflection;
using System.Text.Json;
using GrantSim.Client.Commands;

namespace GrantSim.Client.Chaos.Reports;

/// <summary>
/// Writes a chaos run's <see cref="ChaosReport"/> as <c>report.json</c> (every figure) and <c>report.html</c>: one
/// self-contained page (inline CSS and JavaScript, the JSON embedded, no network) that draws the charts as SVG.
/// The page is the embedded resource <c>Chaos/Reports/report.html</c> with the JSON put in place of <see cref="DataPlaceholder"/>.
/// </summary>
public static class ChaosReportWriter
{
    public const string JsonFileName = "report.json";
    public const string HtmlFileName = "report.html";

    /// <summary>Where the template takes the report's JSON (inside <c>&lt;script type="application/json" id="report-data"&gt;</c>).</summary>
    public const string DataPlaceholder = "/*REPORT_DATA*/";

    private const string TemplateResource = "GrantSim.Client.Chaos.Reports.report.html";

    private static readonly Lazy<string> Template = new(LoadTemplate);

    /// <summary>Creates <paramref name="directory"/> and writes <c>report.json</c> and <c>report.html</c> into it.</summary>
    public static async Task WriteAsync(ChaosReport report, string directory, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var json = ToJson(report);
        await File.WriteAllTextAsync(Path.Combine(directory, JsonFileName), json, ct);
        await File.WriteAllTextAsync(Path.Combine(directory, HtmlFileName), ToHtml(json), ct);
    }

    /// <summary>The report as <c>report.json</c> holds it: camelCase, indented, enums as strings.</summary>
    public static string ToJson(ChaosReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report, SimulateCommand.JsonOptions);
    }

    /// <summary>The report as <c>report.html</c> holds it.</summary>
    public static string ToHtml(ChaosReport report) => ToHtml(ToJson(report));

    private static string ToHtml(string json) => Template.Value.Replace(DataPlaceholder, EmbeddableJson(json), StringComparison.Ordinal);

    /// <summary>
    /// JSON that cannot end the script element it sits in: in JSON a '&lt;' can only be inside a string, where
    /// <c>\u003c</c> means the same, so no <c>&lt;/script&gt;</c> or <c>&lt;!--</c> survives (nor '&gt;' or '&amp;', for good measure).
    /// </summary>
    internal static string EmbeddableJson(string json) =>
        json.Replace("<", "\\u003c", StringComparison.Ordinal)
            .Replace(">", "\\u003e", StringComparison.Ordinal)
            .Replace("&", "\\u0026", StringComparison.Ordinal);

    private static string LoadTemplate()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(TemplateResource)
            ?? throw new InvalidOperationException($"The embedded resource {TemplateResource} is missing from {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var reader = new StreamReader(stream);
        var template = reader.ReadToEnd();
        if (!template.Contains(DataPlaceholder, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The report template {TemplateResource} has no {DataPlaceholder}.");
        }

        return template;
    }
}
