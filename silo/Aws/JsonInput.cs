using System.Text.Json;
using GrantSim.Aws;

namespace GrantSim.Silo.Aws;

/// <summary>
/// A JSON 1.1 request body, read field by field: a wrong JSON type is a SerializationException, what
/// AWS answers, and never anything that becomes a 500. Lengths, ranges, patterns, enums and required
/// members are the service model's to check (<see cref="Models.RequestValidator"/>, before any field is
/// read): this class restates none of them. Unknown fields are ignored, as AWS does.
/// </summary>
public sealed class JsonInput
{
    public const string SerializationException = "SerializationException";

    private readonly JsonElement _root;

    private JsonInput(JsonElement root) => _root = root;

    /// <summary>Parses the body: empty means {}; anything but a JSON object is a SerializationException.</summary>
    public static JsonInput Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return new JsonInput(JsonDocument.Parse("{}").RootElement);
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
            root = document.RootElement.Clone();
        }
        catch (JsonException error)
        {
            throw new AwsServiceException(SerializationException, $"The request body is not valid JSON: {error.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new AwsServiceException(SerializationException, "The request body must be a JSON object.");
        }

        RequireValidText(root);
        return new JsonInput(root);
    }

    /// <summary>The body as a JSON element, for validation against the service model.</summary>
    public JsonElement Root => _root;

    /// <summary>
    /// Every string and member name must be text: invalid UTF-8, or an escaped lone surrogate
    /// (<c>"\ud800"</c>), is a SerializationException, as AWS answers — here, before anything reads a field.
    /// </summary>
    private static void RequireValidText(JsonElement element)
    {
        try
        {
            Walk(element);
        }
        catch (InvalidOperationException)
        {
            throw new AwsServiceException(SerializationException, "The request body holds text that is not valid UTF-8 (or an unpaired surrogate).");
        }

        static void Walk(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item);
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        _ = property.Name;
                        Walk(property.Value);
                    }

                    break;
            }
        }
    }

    private JsonInput Nested(JsonElement element) => new(element);

    private JsonElement? Field(string name) =>
        _root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public bool Has(string name) => Field(name) is not null;

    public string RequiredString(string name) => OptionalString(name) ?? throw Missing(name);

    public string? OptionalString(string name) => Field(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString()!,
        { } value => throw WrongType(name, "a string", value),
    };

    public int? OptionalInt(string name)
    {
        if (Field(name) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : throw WrongType(name, "an integer", value);
    }

    /// <summary>A timestamp as JSON 1.1 writes one: seconds since the epoch, fractions allowed.</summary>
    public DateTimeOffset? OptionalTimestamp(string name)
    {
        if (Field(name) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && seconds is >= 0 and < 253402300800
            ? DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Round(seconds * 1000))
            : throw WrongType(name, "a timestamp", value);
    }

    public long? OptionalLong(string name)
    {
        if (Field(name) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : throw WrongType(name, "an integer", value);
    }

    public bool? OptionalBool(string name) => Field(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { } value => throw WrongType(name, "a boolean", value),
    };

    /// <summary>A blob: base64 text, decoded.</summary>
    public byte[]? OptionalBlob(string name)
    {
        var text = OptionalString(name);
        if (text is null)
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new AwsServiceException(SerializationException, $"'{name}' is not valid base64.");
        }
    }

    public byte[] RequiredBlob(string name) => OptionalBlob(name) ?? throw Missing(name);

    public IReadOnlyList<string>? OptionalStringList(string name)
    {
        if (Field(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(name, "a list", value);
        }

        return value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : throw WrongType(name + "[]", "a string", item)).ToList();
    }

    public IReadOnlyDictionary<string, string>? OptionalStringMap(string name)
    {
        if (Field(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(name, "a map", value);
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                throw WrongType($"{name}.{property.Name}", "a string", property.Value);
            }

            // A JSON object may repeat a name; a context may not hold a key twice.
            if (!map.TryAdd(property.Name, property.Value.GetString()!))
            {
                throw new AwsServiceException(AwsErrorCodes.Validation, $"'{name}' holds the key '{property.Name}' twice.");
            }
        }

        return map;
    }

    public JsonInput? OptionalObject(string name) => Field(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } value => Nested(value),
        { } value => throw WrongType(name, "a structure", value),
    };

    public IReadOnlyList<JsonInput>? OptionalObjectList(string name)
    {
        if (Field(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(name, "a list", value);
        }

        return value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Object ? Nested(item) : throw WrongType(name + "[]", "a structure", item)).ToList();
    }

    /// <summary>In AWS's words; the model's validation has already refused a missing required member, so this guards only what the model leaves optional.</summary>
    private static AwsServiceException Missing(string name) =>
        new(AwsErrorCodes.Validation, $"1 validation error detected: Value null at '{Camel(name)}' failed to satisfy constraint: Member must not be null");

    private static AwsServiceException WrongType(string name, string expected, JsonElement value) =>
        new(SerializationException, $"'{name}' must be {expected}, not a JSON {value.ValueKind.ToString().ToLowerInvariant()}.");

    private static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
