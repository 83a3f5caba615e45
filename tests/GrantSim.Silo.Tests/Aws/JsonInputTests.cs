using System.Text;
using System.Text.Json.Nodes;
using GrantSim.Aws;
using GrantSim.Silo.Aws;

namespace GrantSim.Silo.Tests.Aws;

public sealed class JsonInputTests
{
    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("\"KeyId\"")]
    [InlineData("null")]
    [InlineData("{\"KeyId\": 1,}")]
    public void Parse_AnythingButAJsonObject_IsASerializationException(string body)
    {
        var error = Assert.Throws<AwsServiceException>(() => JsonInput.Parse(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(JsonInput.SerializationException, error.ErrorCode);
    }

    [Fact]
    public void Parse_AnEmptyBody_IsAnEmptyRequest() => Assert.False(JsonInput.Parse([]).Has("KeyId"));

    [Theory]
    [InlineData("{\"KeyId\": 5}", JsonInput.SerializationException)]
    [InlineData("{}", AwsErrorCodes.Validation)]
    [InlineData("{\"KeyId\": null}", AwsErrorCodes.Validation)]
    public void RequiredString_RefusesWrongTypesAndMissing(string body, string errorCode)
    {
        var input = JsonInput.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal(errorCode, Assert.Throws<AwsServiceException>(() => input.RequiredString("KeyId")).ErrorCode);
    }

    [Fact]
    public void OptionalStringMap_RefusesARepeatedKey()
    {
        var input = JsonInput.Parse("{\"EncryptionContext\": {\"a\": \"1\", \"a\": \"2\"}}"u8);

        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => input.OptionalStringMap("EncryptionContext")).ErrorCode);
    }

    private static readonly Gen<JsonNode?> AnyJsonValue = Gen.OneOf(
        Gen.Constant<JsonNode?>(null),
        ArbMap.Default.GeneratorFor<bool>().Select(b => (JsonNode?)b),
        ArbMap.Default.GeneratorFor<int>().Select(i => (JsonNode?)i),
        ArbMap.Default.GeneratorFor<long>().Select(l => (JsonNode?)l),
        ArbMap.Default.GeneratorFor<double>().Where(double.IsFinite).Select(d => (JsonNode?)d),
        ArbMap.Default.GeneratorFor<string>().Where(s => s is not null).Select(s => (JsonNode?)s),
        Gen.Constant<JsonNode?>(new JsonArray(1, "two")),
        Gen.Constant<JsonNode?>(new JsonObject { ["a"] = 1 }),
        Gen.Constant<JsonNode?>(new JsonObject { ["a"] = "b" }));

    /// <summary>Whatever JSON value arrives in a field, reading it either succeeds or fails as AWS fails: never another exception (which would be a 500).</summary>
    [Property(MaxTest = 300)]
    public Property Reading_AnyValueOfAnyField_FailsOnlyAsAwsDoes() =>
        Prop.ForAll(AnyJsonValue.ToArbitrary(), Gen.Elements(Readers).ToArbitrary(), (value, reader) =>
        {
            var body = new JsonObject { ["Field"] = value?.DeepClone() }.ToJsonString();
            var input = JsonInput.Parse(Encoding.UTF8.GetBytes(body));
            try
            {
                reader.Read(input);
                return true;
            }
            catch (AwsServiceException error)
            {
                return error.ErrorCode is JsonInput.SerializationException or AwsErrorCodes.Validation;
            }
        });

    public sealed record Reader(string Name, Action<JsonInput> Read)
    {
        public override string ToString() => Name;
    }

    private static readonly Reader[] Readers =
    [
        new("string", i => i.RequiredString("Field")),
        new("int", i => i.OptionalInt("Field")),
        new("long", i => i.OptionalLong("Field")),
        new("bool", i => i.OptionalBool("Field")),
        new("blob", i => i.OptionalBlob("Field")),
        new("list", i => i.OptionalStringList("Field")),
        new("map", i => i.OptionalStringMap("Field")),
        new("object", i => i.OptionalObject("Field")),
        new("objects", i => i.OptionalObjectList("Field")),
    ];

    // Limits are the model's (RequestValidatorTests); these read types, and name the field as AWS does.
    private static JsonInput Body(string json) => JsonInput.Parse(Encoding.UTF8.GetBytes(json));

    private static string Refused(Action read, string errorCode)
    {
        var error = Assert.Throws<AwsServiceException>(read);
        Assert.Equal(errorCode, error.ErrorCode);
        return error.Message;
    }

    [Fact]
    public void Parse_NamesWhatIsWrongWithTheBody()
    {
        Assert.StartsWith("The request body is not valid JSON: ", Refused(() => Body("{"), JsonInput.SerializationException), StringComparison.Ordinal);
        Assert.Equal("The request body must be a JSON object.", Refused(() => Body("[1]"), JsonInput.SerializationException));
        Assert.Equal("The request body holds text that is not valid UTF-8 (or an unpaired surrogate).", Refused(() => Body("{\"a\":[{\"b\":\"\\ud800\"}]}"), JsonInput.SerializationException));
        Assert.Equal("The request body holds text that is not valid UTF-8 (or an unpaired surrogate).", Refused(() => Body("{\"a\":{\"\\udc00\":1}}"), JsonInput.SerializationException));
        Assert.Equal(System.Text.Json.JsonValueKind.Object, JsonInput.Parse([]).Root.ValueKind);
    }

    [Fact]
    public void Parse_AcceptsThirtyTwoLevelsOfNesting_AndNoMore()
    {
        static string Nested(int depth) => "{\"a\":" + new string('[', depth - 1) + new string(']', depth - 1) + "}";

        Assert.True(Body(Nested(32)).Has("a"));
        Assert.StartsWith("The request body is not valid JSON: ", Refused(() => Body(Nested(33)), JsonInput.SerializationException), StringComparison.Ordinal);
    }

    [Fact]
    public void Has_IsFalseForAbsentAndNullFields()
    {
        var input = Body("{\"A\": 1, \"B\": null, \"C\": \"\"}");

        Assert.True(input.Has("A"));
        Assert.False(input.Has("B"));
        Assert.True(input.Has("C"));
        Assert.False(input.Has("D"));
    }

    [Fact]
    public void Strings_AreReadAsTheyAre_AndAWrongTypeIsASerializationException()
    {
        var input = Body("{\"KeyId\": \"ab\", \"Empty\": \"\"}");

        Assert.Equal("ab", input.RequiredString("KeyId"));
        Assert.Equal("", input.OptionalString("Empty"));
        Assert.Null(input.OptionalString("Absent"));
        Assert.Equal("1 validation error detected: Value null at 'absent' failed to satisfy constraint: Member must not be null",
            Refused(() => input.RequiredString("Absent"), AwsErrorCodes.Validation));
        Assert.Equal("'KeyId' must be a string, not a JSON number.", Refused(() => Body("{\"KeyId\": 5}").RequiredString("KeyId"), JsonInput.SerializationException));
    }

    [Fact]
    public void Integers_AreReadWhole_AndAFractionTooLargeOrTextIsASerializationException()
    {
        var input = Body("{\"Low\": -1, \"High\": 2147483647, \"Half\": 1.5, \"Huge\": 3000000000, \"Text\": \"1\"}");

        Assert.Equal(-1, input.OptionalInt("Low"));
        Assert.Equal(int.MaxValue, input.OptionalInt("High"));
        Assert.Null(input.OptionalInt("Absent"));
        Assert.Equal("'Half' must be an integer, not a JSON number.", Refused(() => input.OptionalInt("Half"), JsonInput.SerializationException));
        Assert.Equal("'Huge' must be an integer, not a JSON number.", Refused(() => input.OptionalInt("Huge"), JsonInput.SerializationException));
        Assert.Equal("'Text' must be an integer, not a JSON string.", Refused(() => input.OptionalInt("Text"), JsonInput.SerializationException));
    }

    [Fact]
    public void Longs_AreReadWhole_AndAFractionOrTextIsASerializationException()
    {
        var input = Body("{\"First\": 0, \"Huge\": 3000000000, \"Half\": 0.5, \"Text\": \"0\"}");

        Assert.Equal(0, input.OptionalLong("First"));
        Assert.Equal(3_000_000_000, input.OptionalLong("Huge"));
        Assert.Null(input.OptionalLong("Absent"));
        Assert.Equal("'Half' must be an integer, not a JSON number.", Refused(() => input.OptionalLong("Half"), JsonInput.SerializationException));
        Assert.Equal("'Text' must be an integer, not a JSON string.", Refused(() => input.OptionalLong("Text"), JsonInput.SerializationException));
    }

    [Fact]
    public void Booleans_AreTrueFalseOrAbsent()
    {
        var input = Body("{\"Yes\": true, \"No\": false, \"Text\": \"true\"}");

        Assert.True(input.OptionalBool("Yes"));
        Assert.False(input.OptionalBool("No"));
        Assert.Null(input.OptionalBool("Absent"));
        Assert.Equal("'Text' must be a boolean, not a JSON string.", Refused(() => input.OptionalBool("Text"), JsonInput.SerializationException));
    }

    [Fact]
    public void Blobs_AreBase64Decoded_AndBadBase64IsASerializationException()
    {
        var input = Body($"{{\"One\": \"{Convert.ToBase64String(new byte[1])}\", \"Max\": \"{Convert.ToBase64String(new byte[4097])}\", \"Empty\": \"\", \"Bad\": \"AA=\"}}");

        Assert.Single(input.RequiredBlob("One"));
        Assert.Equal(4097, input.OptionalBlob("Max")!.Length);
        Assert.Empty(input.OptionalBlob("Empty")!);
        Assert.Null(input.OptionalBlob("Absent"));
        Assert.Equal("'Bad' is not valid base64.", Refused(() => input.OptionalBlob("Bad"), JsonInput.SerializationException));
        Assert.Equal("1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null",
            Refused(() => input.RequiredBlob("CiphertextBlob"), AwsErrorCodes.Validation));
    }

    [Fact]
    public void StringLists_AreReadWhole_AndAnItemOfTheWrongTypeIsNamed()
    {
        var input = Body("{\"Two\": [\"a\", \"bb\"], \"Empty\": [], \"Mixed\": [\"a\", 1], \"Text\": \"a\"}");

        Assert.Equal(["a", "bb"], input.OptionalStringList("Two"));
        Assert.Empty(input.OptionalStringList("Empty")!);
        Assert.Null(input.OptionalStringList("Absent"));
        Assert.Equal("'Mixed[]' must be a string, not a JSON number.", Refused(() => input.OptionalStringList("Mixed"), JsonInput.SerializationException));
        Assert.Equal("'Text' must be a list, not a JSON string.", Refused(() => input.OptionalStringList("Text"), JsonInput.SerializationException));
    }

    [Fact]
    public void StringMaps_AreReadWhole_AndNameAValueOfTheWrongType()
    {
        var input = Body("{\"Context\": {\"b\": \"2\", \"a\": \"1\"}, \"BadValue\": {\"a\": 1}, \"Twice\": {\"k\": \"1\", \"k\": \"1\"}, \"List\": []}");

        Assert.Equal(["a=1", "b=2"], input.OptionalStringMap("Context")!.Select(entry => $"{entry.Key}={entry.Value}").Order(StringComparer.Ordinal));
        Assert.Null(input.OptionalStringMap("Absent"));
        Assert.Equal("'BadValue.a' must be a string, not a JSON number.", Refused(() => input.OptionalStringMap("BadValue"), JsonInput.SerializationException));
        Assert.Equal("'Twice' holds the key 'k' twice.", Refused(() => input.OptionalStringMap("Twice"), AwsErrorCodes.Validation));
        Assert.Equal("'List' must be a map, not a JSON array.", Refused(() => input.OptionalStringMap("List"), JsonInput.SerializationException));
    }

    [Fact]
    public void Objects_AreReadAsInputsOfTheirOwn()
    {
        var input = Body("{\"Filter\": {\"tagStatus\": \"TAGGED\"}, \"Ids\": [{\"imageTag\": \"a\"}, {\"imageTag\": \"b\"}], \"Text\": \"x\", \"Flat\": [1]}");

        Assert.Equal("TAGGED", input.OptionalObject("Filter")!.OptionalString("tagStatus"));
        Assert.Null(input.OptionalObject("Absent"));
        Assert.Equal(["a", "b"], input.OptionalObjectList("Ids")!.Select(i => i.RequiredString("imageTag")));
        Assert.Null(input.OptionalObjectList("Absent"));
        Assert.Equal("'Text' must be a structure, not a JSON string.", Refused(() => input.OptionalObject("Text"), JsonInput.SerializationException));
        Assert.Equal("'Text' must be a list, not a JSON string.", Refused(() => input.OptionalObjectList("Text"), JsonInput.SerializationException));
        Assert.Equal("'Flat[]' must be a structure, not a JSON number.", Refused(() => input.OptionalObjectList("Flat"), JsonInput.SerializationException));
    }
}
