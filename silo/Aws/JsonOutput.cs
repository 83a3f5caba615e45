using System.Text.Json.Nodes;

namespace GrantSim.Silo.Aws;

/// <summary>How JSON 1.1 writes values: timestamps as epoch seconds (numbers), blobs as base64.</summary>
public static class JsonOutput
{
    public static JsonNode Timestamp(DateTimeOffset instant) =>
        JsonValue.Create(Math.Round(instant.ToUnixTimeMilliseconds() / 1000.0, 3));

    public static JsonNode? Timestamp(DateTimeOffset? instant) => instant is null ? null : Timestamp(instant.Value);

    public static JsonNode Blob(byte[] bytes) => JsonValue.Create(Convert.ToBase64String(bytes));

    public static JsonArray Strings(IEnumerable<string> items) => new(items.Select(i => (JsonNode)JsonValue.Create(i)).ToArray());

    public static JsonObject Map(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var map = new JsonObject();
        foreach (var (key, value) in pairs)
        {
            map[key] = value;
        }

        return map;
    }

    /// <summary>Drops null members, as AWS leaves absent members out rather than writing null.</summary>
    public static JsonObject Object(params (string Name, JsonNode? Value)[] members)
    {
        var result = new JsonObject();
        foreach (var (name, value) in members)
        {
            if (value is not null)
            {
                result[name] = value;
            }
        }

        return result;
    }
}
