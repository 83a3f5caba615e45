using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace GrantSim.Silo.Aws.Models;

/// <summary>The kinds of shape a JSON-protocol service model has.</summary>
public enum ShapeType
{
    Structure,
    List,
    Map,
    String,
    Integer,
    Long,
    Double,
    Float,
    Boolean,
    Blob,
    Timestamp,
}

/// <summary>One member of a structure: its wire name, its shape, whether it is required.</summary>
public sealed record ShapeMember(string Name, Shape Shape, bool Required);

/// <summary>
/// A shape of AWS's service model, with the constraints the service checks before it acts: length
/// (<see cref="Min"/>/<see cref="Max"/> for strings, blobs, lists and maps), range (for numbers),
/// pattern, enum. Members, list member and map key/value are resolved after loading (shapes refer
/// to each other by name, recursively).
/// </summary>
public sealed class Shape(string name, ShapeType type)
{
    public string Name { get; } = name;

    public ShapeType Type { get; } = type;

    public double? Min { get; init; }

    public double? Max { get; init; }

    public Regex? Pattern { get; init; }

    public string? PatternText { get; init; }

    public IReadOnlyList<string>? Enum { get; init; }

    public bool Sensitive { get; init; }

    public IReadOnlyList<ShapeMember> Members { get; internal set; } = [];

    public Shape? Member { get; internal set; }

    public Shape? Key { get; internal set; }

    public Shape? Value { get; internal set; }
}

/// <summary>One operation of the model: its name and its input structure (none for a few).</summary>
public sealed record ModelOperation(string Name, Shape? Input);

/// <summary>
/// AWS's published service model of a JSON 1.1 service (KMS, ECR), as botocore ships it: the
/// operations and the shapes of their requests. Loaded once from the silo's embedded copy
/// (silo/Aws/Models, with its source and version in SOURCE.md).
/// </summary>
public sealed class ServiceModel
{
    /// <summary>A pattern that takes longer than this on one value is treated as not matching (no regex can stall a request).</summary>
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(50);

    private readonly Dictionary<string, ModelOperation> _operations;

    private ServiceModel(string apiVersion, string targetPrefix, Dictionary<string, ModelOperation> operations)
    {
        ApiVersion = apiVersion;
        TargetPrefix = targetPrefix;
        _operations = operations;
    }

    public static ServiceModel Kms { get; } = Load("kms-2014-11-01");

    public static ServiceModel Ecr { get; } = Load("ecr-2015-09-21");

    public string ApiVersion { get; }

    /// <summary>What X-Amz-Target starts with: <c>TrentService</c>, <c>AmazonEC2ContainerRegistry_V20150921</c>.</summary>
    public string TargetPrefix { get; }

    public IReadOnlyCollection<string> OperationNames => _operations.Keys;

    public ModelOperation? Operation(string name) => _operations.GetValueOrDefault(name);

    public static ServiceModel Load(string resourceName)
    {
        var resource = $"GrantSim.Silo.Aws.Models.{resourceName}.json";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The service model {resource} is not embedded in the silo.");
        using var document = JsonDocument.Parse(stream);
        return Parse(document.RootElement);
    }

    public static ServiceModel Parse(JsonElement root)
    {
        var shapesJson = root.GetProperty("shapes");
        var shapes = new Dictionary<string, Shape>(StringComparer.Ordinal);
        foreach (var property in shapesJson.EnumerateObject())
        {
            shapes[property.Name] = NewShape(property.Name, property.Value);
        }

        foreach (var property in shapesJson.EnumerateObject())
        {
            var shape = shapes[property.Name];
            var json = property.Value;
            switch (shape.Type)
            {
                case ShapeType.Structure:
                    var required = json.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()!).ToHashSet(StringComparer.Ordinal) : [];
                    shape.Members = json.TryGetProperty("members", out var members)
                        ? members.EnumerateObject().Select(m => new ShapeMember(m.Name, shapes[m.Value.GetProperty("shape").GetString()!], required.Contains(m.Name))).ToArray()
                        : [];
                    break;
                case ShapeType.List:
                    shape.Member = shapes[json.GetProperty("member").GetProperty("shape").GetString()!];
                    break;
                case ShapeType.Map:
                    shape.Key = shapes[json.GetProperty("key").GetProperty("shape").GetString()!];
                    shape.Value = shapes[json.GetProperty("value").GetProperty("shape").GetString()!];
                    break;
            }
        }

        var operations = root.GetProperty("operations").EnumerateObject().ToDictionary(
            o => o.Name,
            o => new ModelOperation(o.Name, o.Value.TryGetProperty("input", out var input) ? shapes[input.GetProperty("shape").GetString()!] : null),
            StringComparer.Ordinal);
        var metadata = root.GetProperty("metadata");
        return new ServiceModel(metadata.GetProperty("apiVersion").GetString()!, metadata.GetProperty("targetPrefix").GetString()!, operations);
    }

    private static Shape NewShape(string name, JsonElement json)
    {
        var type = json.GetProperty("type").GetString() switch
        {
            "structure" => ShapeType.Structure,
            "list" => ShapeType.List,
            "map" => ShapeType.Map,
            "string" => ShapeType.String,
            "integer" => ShapeType.Integer,
            "long" => ShapeType.Long,
            "double" => ShapeType.Double,
            "float" => ShapeType.Float,
            "boolean" => ShapeType.Boolean,
            "blob" => ShapeType.Blob,
            "timestamp" => ShapeType.Timestamp,
            var other => throw new InvalidOperationException($"Shape {name} has a type the silo does not read: {other}."),
        };
        var pattern = json.TryGetProperty("pattern", out var p) ? p.GetString() : null;
        return new Shape(name, type)
        {
            Min = json.TryGetProperty("min", out var min) ? min.GetDouble() : null,
            Max = json.TryGetProperty("max", out var max) ? max.GetDouble() : null,
            PatternText = pattern,
            // The models' patterns are Java regular expressions, matched against the whole value; ECMAScript
            // mode gives \w, \d and \s their ASCII meaning, as in Java.
            Pattern = pattern is null ? null : new Regex($"^(?:{pattern})", RegexOptions.ECMAScript | RegexOptions.CultureInvariant, PatternTimeout),
            Enum = json.TryGetProperty("enum", out var values) ? values.EnumerateArray().Select(v => v.GetString()!).ToArray() : null,
            Sensitive = json.TryGetProperty("sensitive", out var sensitive) && sensitive.GetBoolean(),
        };
    }
}
