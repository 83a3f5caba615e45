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
    [InlineData("{\"KeyId\": \"\"}", AwsErrorCodes.Validation)]
    [InlineData("{}", AwsErrorCodes.Validation)]
    [InlineData("{\"KeyId\": null}", AwsErrorCodes.Validation)]
    public void RequiredString_RefusesWrongTypesEmptyAndMissing(string body, string errorCode)
    {
        var input = JsonInput.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal(errorCode, Assert.Throws<AwsServiceException>(() => input.RequiredString("KeyId", 1, 2048)).ErrorCode);
    }

    [Fact]
    public void OptionalBlob_DecodesBase64AndChecksItsDecodedLength()
    {
        var input = JsonInput.Parse(Encoding.UTF8.GetBytes($"{{\"Plaintext\": \"{Convert.ToBase64String(new byte[4097])}\", \"Small\": \"AAEC\", \"Bad\": \"!!\"}}"));

        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => input.OptionalBlob("Plaintext", 1, 4096)).ErrorCode);
        Assert.Equal([0, 1, 2], input.OptionalBlob("Small", 1, 4096));
        Assert.Equal(JsonInput.SerializationException, Assert.Throws<AwsServiceException>(() => input.OptionalBlob("Bad", 1, 4096)).ErrorCode);
    }

    [Fact]
    public void OptionalStringMap_RefusesARepeatedKey()
    {
        var input = JsonInput.Parse("{\"EncryptionContext\": {\"a\": \"1\", \"a\": \"2\"}}"u8);

        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => input.OptionalStringMap("EncryptionContext")).ErrorCode);
    }

    [Fact]
    public void OptionalEnum_RefusesAValueOutsideTheEnum()
    {
        var input = JsonInput.Parse("{\"KeySpec\": \"AES_512\"}"u8);

        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => input.OptionalEnum("KeySpec", "AES_256", "AES_128")).ErrorCode);
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
        new("string", i => i.RequiredString("Field", 1, 256)),
        new("int", i => i.OptionalInt("Field", 1, 1000)),
        new("long", i => i.OptionalLong("Field", 0)),
        new("bool", i => i.OptionalBool("Field")),
        new("blob", i => i.OptionalBlob("Field", 1, 4096)),
        new("list", i => i.OptionalStringList("Field", 1, 10, 1, 100)),
        new("map", i => i.OptionalStringMap("Field")),
        new("object", i => i.OptionalObject("Field")),
        new("objects", i => i.OptionalObjectList("Field", 1, 100)),
        new("enum", i => i.OptionalEnum("Field", "A", "B")),
    ];

    // Exact limits and AWS's wording: each reader accepts its boundary and refuses one past it, naming the field as AWS does.
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
    public void Strings_AtTheirLengthLimits_AreAccepted_AndOnePastIsRefusedInAwsWords()
    {
        var input = Body("{\"KeyId\": \"ab\", \"Short\": \"a\", \"Long\": \"abc\", \"Empty\": \"\"}");

        Assert.Equal("ab", input.RequiredString("KeyId", 2, 2));
        Assert.Equal("", input.OptionalString("Empty"));
        Assert.Null(input.OptionalString("Absent"));
        Assert.Equal("1 validation error detected: Value at 'short' failed to satisfy constraint: Member must have length between 2 and 3",
            Refused(() => input.RequiredString("Short", 2, 3), AwsErrorCodes.Validation));
        Assert.Equal("1 validation error detected: Value at 'long' failed to satisfy constraint: Member must have length between 1 and 2",
            Refused(() => input.OptionalString("Long", 1, 2), AwsErrorCodes.Validation));
        Assert.Equal("1 validation error detected: Value at 'empty' failed to satisfy constraint: Member must have length greater than or equal to 1",
            Refused(() => input.RequiredString("Empty"), AwsErrorCodes.Validation));
        Assert.Equal("1 validation error detected: Value null at 'absent' failed to satisfy constraint: Member must not be null",
            Refused(() => input.RequiredString("Absent"), AwsErrorCodes.Validation));
        Assert.Equal("'KeyId' must be a string, not a JSON number.", Refused(() => Body("{\"KeyId\": 5}").RequiredString("KeyId"), JsonInput.SerializationException));
    }

    [Fact]
    public void AnEnum_AcceptsItsValuesExactly_AndListsThemWhenRefusing()
    {
        var input = Body("{\"KeySpec\": \"AES_128\", \"Lower\": \"aes_128\"}");

        Assert.Equal("AES_128", input.OptionalEnum("KeySpec", "AES_256", "AES_128"));
        Assert.Null(input.OptionalEnum("Absent", "AES_256"));
        Assert.Equal("1 validation error detected: Value 'aes_128' at 'lower' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]",
            Refused(() => input.OptionalEnum("Lower", "AES_256", "AES_128"), AwsErrorCodes.Validation));
    }

    [Fact]
    public void Integers_AtTheirRangeLimits_AreAccepted_AndOnePastIsRefusedInAwsWords()
    {
        var input = Body("{\"Low\": 1, \"High\": 1000, \"Zero\": 0, \"Over\": 1001, \"Half\": 1.5, \"Huge\": 3000000000, \"Text\": \"1\"}");

        Assert.Equal(1, input.OptionalInt("Low", 1, 1000));
        Assert.Equal(1000, input.OptionalInt("High", 1, 1000));
        Assert.Null(input.OptionalInt("Absent", 1, 1000));
        Assert.Equal("1 validation error detected: Value '0' at 'zero' failed to satisfy constraint: Member must have value between 1 and 1000",
            Refused(() => input.OptionalInt("Zero", 1, 1000), AwsErrorCodes.Validation));
        Assert.Equal("1 validation error detected: Value '1001' at 'over' failed to satisfy constraint: Member must have value between 1 and 1000",
            Refused(() => input.OptionalInt("Over", 1, 1000), AwsErrorCodes.Validation));
        Assert.Equal("1 validation error detected: Value '0' at 'zero' failed to satisfy constraint: Member must have value greater than or equal to 1",
            Refused(() => input.OptionalInt("Zero", 1, int.MaxValue), AwsErrorCodes.Validation));
        Assert.Equal("'Half' must be an integer, not a JSON number.", Refused(() => input.OptionalInt("Half", 1, 1000), JsonInput.SerializationException));
        Assert.Equal("'Huge' must be an integer, not a JSON number.", Refused(() => input.OptionalInt("Huge", 1, int.MaxValue), JsonInput.SerializationException));
        Assert.Equal("'Text' must be an integer, not a JSON string.", Refused(() => input.OptionalInt("Text", 1, 1000), JsonInput.SerializationException));
    }

    [Fact]
    public void Longs_AtTheirMinimum_AreAccepted_AndOneBelowIsRefusedInAwsWords()
    {
        var input = Body("{\"First\": 0, \"Huge\": 3000000000, \"Negative\": -1, \"Half\": 0.5, \"Text\": \"0\"}");

        Assert.Equal(0, input.OptionalLong("First", 0));
        Assert.Equal(3_000_000_000, input.OptionalLong("Huge", 3_000_000_000));
        Assert.Null(input.OptionalLong("Absent", 0));
        Assert.Equal("1 validation error detected: Value '-1' at 'negative' failed to satisfy constraint: Member must have value greater than or equal to 0",
            Refused(() => input.OptionalLong("Negative", 0), AwsErrorCodes.Validation));
        Assert.Equal("'Half' must be an integer, not a JSON number.", Refused(() => input.OptionalLong("Half", 0), JsonInput.SerializationException));
        Assert.Equal("'Text' must be an integer, not a JSON string.", Refused(() => input.OptionalLong("Text", 0), JsonInput.SerializationException));
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
    public void Blobs_AtTheirDecodedLengthLimits_AreAccepted_AndOnePastIsRefusedInAwsWords()
    {
        var input = Body($"{{\"One\": \"{Convert.ToBase64String(new byte[1])}\", \"Max\": \"{Convert.ToBase64String(new byte[4096])}\", \"Over\": \"{Convert.ToBase64String(new byte[4097])}\", \"Empty\": \"\", \"Bad\": \"AA=\"}}");

        Assert.Single(input.RequiredBlob("One", 1, 4096));
        Assert.Equal(4096, input.OptionalBlob("Max", 1, 4096)!.Length);
        Assert.Null(input.OptionalBlob("Absent", 1, 4096));
        Assert.Equal("1 validation error detected: Value at 'over' failed to satisfy constraint: Member must have length between 1 and 4096",
            Refused(() => input.OptionalBlob("Over", 1, 4096), AwsErrorCodes.Validation));
        Assert.Equal("1 validation error detected: Value at 'empty' failed to satisfy constraint: Member must have length between 1 and 4096",
            Refused(() => input.OptionalBlob("Empty", 1, 4096), AwsErrorCodes.Validation));
        Assert.Equal("'Bad' is not valid base64.", Refused(() => input.OptionalBlob("Bad", 1, 4096), JsonInput.SerializationException));
        Assert.Equal("1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null",
            Refused(() => input.RequiredBlob("CiphertextBlob", 1, 6144), AwsErrorCodes.Validation));
    }

    [Fact]
    public void StringLists_AtTheirCountAndLengthLimits_AreAccepted_AndOnePastIsRefusedInAwsWords()
    {
        var input = Body("{\"Two\": [\"a\", \"bb\"], \"Three\": [\"a\", \"b\", \"c\"], \"Empty\": [], \"Long\": [\"a\", \"ccc\"], \"Blank\": [\"\"], \"Mixed\": [\"a\", 1], \"Text\": \"a\"}");

        Assert.Equal(["a", "bb"], input.OptionalStringList("Two", 1, 2, 1, 2));
        Assert.Equal(["a", "bb"], input.OptionalStringList("Two", 2, 2, 1, 2));
        Assert.Empty(input.OptionalStringList("Empty")!);
        Assert.Null(input.OptionalStringList("Absent"));
        Assert.Equal("1 validation error detected: Value at 'three' failed to satisfy constraint: Member must have length between 1 and 2",
            Refused(() => input.OptionalStringList("Three", 1, 2), AwsErrorCodes.Validation));
        Assert.Equal("1 validation error detected: Value at 'empty' failed to satisfy constraint: Member must have length between 1 and 2",
            Refused(() => input.OptionalStringList("Empty", 1, 2), AwsErrorCodes.Validation));
        Assert.Equal("1 validation error detected: Value at 'long' failed to satisfy constraint: Member must satisfy constraint: [Member must have length between 1 and 2]",
            Refused(() => input.OptionalStringList("Long", 0, 10, 1, 2), AwsErrorCodes.Validation));
        Assert.Equal("1 validation error detected: Value at 'blank' failed to satisfy constraint: Member must satisfy constraint: [Member must have length between 1 and 2]",
            Refused(() => input.OptionalStringList("Blank", 0, 10, 1, 2), AwsErrorCodes.Validation));
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
        Assert.Equal(["a", "b"], input.OptionalObjectList("Ids", 1, 2)!.Select(i => i.RequiredString("imageTag")));
        Assert.Equal(2, input.OptionalObjectList("Ids", 2, 2)!.Count);
        Assert.Null(input.OptionalObjectList("Absent"));
        Assert.Equal("1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length between 1 and 1",
            Refused(() => input.OptionalObjectList("Ids", 1, 1), AwsErrorCodes.Validation));
        Assert.Equal("1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length between 3 and 5",
            Refused(() => input.OptionalObjectList("Ids", 3, 5), AwsErrorCodes.Validation));
        Assert.Equal("'Text' must be a structure, not a JSON string.", Refused(() => input.OptionalObject("Text"), JsonInput.SerializationException));
        Assert.Equal("'Text' must be a list, not a JSON string.", Refused(() => input.OptionalObjectList("Text"), JsonInput.SerializationException));
        Assert.Equal("'Flat[]' must be a structure, not a JSON number.", Refused(() => input.OptionalObjectList("Flat"), JsonInput.SerializationException));
    }
}
