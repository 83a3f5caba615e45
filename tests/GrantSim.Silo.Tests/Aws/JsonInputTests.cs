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
}
