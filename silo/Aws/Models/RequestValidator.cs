using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using GrantSim.Aws;

namespace GrantSim.Silo.Aws.Models;

/// <summary>
/// Checks a JSON 1.1 request body against its operation's input shape before anything acts on it,
/// as AWS does: a value of the wrong JSON type (or not base64 where a blob belongs) is a
/// SerializationException; a missing required member, or a value outside its length, range,
/// pattern or enum, is a ValidationException in AWS's words —
/// <c>1 validation error detected: Value 'X' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [...]</c>,
/// or <c>N validation errors detected: …; …</c>. Members the model does not have are ignored, as AWS does.
/// </summary>
public static class RequestValidator
{
    public const string SerializationException = "SerializationException";

    /// <summary>Past this many, the message stops listing (AWS's messages list every one; a request can hold thousands).</summary>
    private const int MaxListed = 10;

    public static void Validate(ModelOperation operation, JsonElement body)
    {
        if (operation.Input is null)
        {
            return;
        }

        var errors = new List<string>();
        Structure(operation.Input, body, "", errors);
        if (errors.Count > 0)
        {
            var listed = string.Join("; ", errors.Take(MaxListed)) + (errors.Count > MaxListed ? $"; (and {errors.Count - MaxListed} more)" : "");
            throw new AwsServiceException(AwsErrorCodes.Validation,
                errors.Count == 1 ? $"1 validation error detected: {listed}" : $"{errors.Count} validation errors detected: {listed}");
        }
    }

    private static void Structure(Shape shape, JsonElement value, string path, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(path, "a structure", value);
        }

        foreach (var member in shape.Members)
        {
            var memberPath = path.Length == 0 ? Camel(member.Name) : $"{path}.{Camel(member.Name)}";
            if (!value.TryGetProperty(member.Name, out var memberValue) || memberValue.ValueKind == JsonValueKind.Null)
            {
                if (member.Required)
                {
                    errors.Add($"Value null at '{memberPath}' failed to satisfy constraint: Member must not be null");
                }

                continue;
            }

            Member(member.Shape, memberValue, memberPath, errors);
        }
    }

    private static void Member(Shape shape, JsonElement value, string path, List<string> errors)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure:
                Structure(shape, value, path, errors);
                return;
            case ShapeType.List:
                List(shape, value, path, errors);
                return;
            case ShapeType.Map:
                Map(shape, value, path, errors);
                return;
            default:
                foreach (var constraint in Scalar(shape, value, path))
                {
                    errors.Add($"{ValueAt(shape, value, path)} failed to satisfy constraint: {constraint}");
                }

                return;
        }
    }

    private static void List(Shape shape, JsonElement value, string path, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(path, "a list", value);
        }

        var count = value.GetArrayLength();
        if (Length(shape, count) is { } length)
        {
            errors.Add($"{ValueAt(shape, value, path)} failed to satisfy constraint: {length}");
        }

        var item = shape.Member!;
        var index = 0;
        var itemConstraints = new List<string>();
        foreach (var element in value.EnumerateArray())
        {
            index++;
            if (item.Type is ShapeType.Structure or ShapeType.List or ShapeType.Map)
            {
                Member(item, element, $"{path}.{index}.member", errors);
            }
            else
            {
                itemConstraints.AddRange(Scalar(item, element, $"{path}.{index}.member"));
            }
        }

        // AWS reports a list of scalars once, with what its members must satisfy.
        foreach (var constraint in itemConstraints.Distinct(StringComparer.Ordinal))
        {
            errors.Add($"{ValueAt(shape, value, path)} failed to satisfy constraint: Member must satisfy constraint: [{constraint}]");
        }
    }

    private static void Map(Shape shape, JsonElement value, string path, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(path, "a map", value);
        }

        var entries = value.EnumerateObject().ToArray();
        if (Length(shape, entries.Length) is { } length)
        {
            errors.Add($"{ValueAt(shape, value, path)} failed to satisfy constraint: {length}");
        }

        var keyConstraints = new List<string>();
        var valueConstraints = new List<string>();
        foreach (var entry in entries)
        {
            using var key = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(entry.Name));
            keyConstraints.AddRange(Scalar(shape.Key!, key.RootElement, path));
            if (shape.Value!.Type is ShapeType.Structure or ShapeType.List or ShapeType.Map)
            {
                Member(shape.Value, entry.Value, $"{path}.{entry.Name}", errors);
            }
            else if (entry.Value.ValueKind != JsonValueKind.Null)
            {
                valueConstraints.AddRange(Scalar(shape.Value, entry.Value, path));
            }
        }

        foreach (var constraint in keyConstraints.Distinct(StringComparer.Ordinal))
        {
            errors.Add($"{ValueAt(shape, value, path)} failed to satisfy constraint: Map keys must satisfy constraint: [{constraint}]");
        }

        foreach (var constraint in valueConstraints.Distinct(StringComparer.Ordinal))
        {
            errors.Add($"{ValueAt(shape, value, path)} failed to satisfy constraint: Map value must satisfy constraint: [{constraint}]");
        }
    }

    /// <summary>The constraints a scalar value breaks; a value of the wrong JSON type is thrown as a SerializationException.</summary>
    private static IEnumerable<string> Scalar(Shape shape, JsonElement value, string path)
    {
        var broken = new List<string>();
        switch (shape.Type)
        {
            case ShapeType.String:
            {
                if (value.ValueKind != JsonValueKind.String)
                {
                    throw WrongType(path, "a string", value);
                }

                var text = value.GetString()!;
                if (shape.Enum is { } allowed && !allowed.Contains(text, StringComparer.Ordinal))
                {
                    broken.Add($"Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
                }

                if (shape.Pattern is { } pattern && !Matches(pattern, text))
                {
                    broken.Add($"Member must satisfy regular expression pattern: {shape.PatternText}");
                }

                if (Length(shape, text.Length) is { } length)
                {
                    broken.Add(length);
                }

                break;
            }

            case ShapeType.Blob:
            {
                if (value.ValueKind != JsonValueKind.String)
                {
                    throw WrongType(path, "a base64 string", value);
                }

                var text = value.GetString()!;
                var bytes = new byte[(text.Length * 3 / 4) + 3];
                if (!Convert.TryFromBase64String(text, bytes, out var decoded))
                {
                    throw new AwsServiceException(SerializationException, $"The value at '{path}' is not valid base64.");
                }

                if (Length(shape, decoded) is { } length)
                {
                    broken.Add(length);
                }

                break;
            }

            case ShapeType.Integer or ShapeType.Long:
            {
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number)
                    || (shape.Type == ShapeType.Integer && number is < int.MinValue or > int.MaxValue))
                {
                    throw WrongType(path, shape.Type == ShapeType.Integer ? "an integer" : "a long integer", value);
                }

                if (Range(shape, number) is { } range)
                {
                    broken.Add(range);
                }

                break;
            }

            case ShapeType.Double or ShapeType.Float or ShapeType.Timestamp:
            {
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    throw WrongType(path, shape.Type == ShapeType.Timestamp ? "a timestamp (seconds since 1970)" : "a number", value);
                }

                if (Range(shape, number) is { } range)
                {
                    broken.Add(range);
                }

                break;
            }

            case ShapeType.Boolean:
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw WrongType(path, "a boolean", value);
                }

                break;
            default:
                throw new InvalidOperationException($"{shape.Name} is not a scalar shape.");
        }

        return broken;
    }

    private static string? Length(Shape shape, long length) =>
        shape.Min is { } min && length < min ? $"Member must have length greater than or equal to {Number(min)}"
        : shape.Max is { } max && length > max ? $"Member must have length less than or equal to {Number(max)}"
        : null;

    private static string? Range(Shape shape, double value) =>
        shape.Min is { } min && value < min ? $"Member must have value greater than or equal to {Number(min)}"
        : shape.Max is { } max && value > max ? $"Member must have value less than or equal to {Number(max)}"
        : null;

    private static bool Matches(Regex pattern, string text)
    {
        try
        {
            var match = pattern.Match(text);
            return match.Success && match.Length == text.Length;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>How AWS names the value in its message: quoted, lists and maps as Java prints them; sensitive values and blobs not at all.</summary>
    private static string ValueAt(Shape shape, JsonElement value, string path) =>
        shape.Sensitive || shape.Type == ShapeType.Blob || Render(value) is not { } shown ? $"Value at '{path}'" : $"Value '{shown}' at '{path}'";

    private static string? Render(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array => "[" + string.Join(", ", value.EnumerateArray().Select(v => Render(v) ?? "null")) + "]",
        JsonValueKind.Object => "{" + string.Join(", ", value.EnumerateObject().Select(p => $"{p.Name}={Render(p.Value) ?? "null"}")) + "}",
        _ => null,
    };

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Camel(string name) => name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static AwsServiceException WrongType(string path, string expected, JsonElement value) =>
        new(SerializationException, $"The value at '{(path.Length == 0 ? "the request body" : path)}' must be {expected}, not a JSON {value.ValueKind.ToString().ToLowerInvariant()}.");
}
