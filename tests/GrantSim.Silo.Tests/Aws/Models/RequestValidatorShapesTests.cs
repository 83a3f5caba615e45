using System.Text;
using GrantSim.Aws;
using GrantSim.Silo.Aws;
using GrantSim.Silo.Aws.Models;

namespace GrantSim.Silo.Tests.Aws.Models;

/// <summary>
/// The validator against a small model of its own, one member per kind of shape and constraint, so that
/// every limit is tried on both sides of its boundary and every message is pinned word for word (the
/// real models' tests, <see cref="RequestValidatorTests"/>, check that AWS's models read as AWS answers).
/// </summary>
public sealed class RequestValidatorShapesTests
{
    private const string ModelJson = """
        {
          "metadata": { "apiVersion": "2020-01-01", "targetPrefix": "Test_V1" },
          "operations": {
            "Act": { "input": { "shape": "ActRequest" } },
            "Ping": { }
          },
          "shapes": {
            "ActRequest": {
              "type": "structure",
              "required": ["Name"],
              "members": {
                "Name": { "shape": "NameType" },
                "Code": { "shape": "CodeType" },
                "Kind": { "shape": "KindType" },
                "Secret": { "shape": "SecretType" },
                "Count": { "shape": "CountType" },
                "Big": { "shape": "BigType" },
                "Ratio": { "shape": "RatioType" },
                "Weight": { "shape": "WeightType" },
                "When": { "shape": "WhenType" },
                "Flag": { "shape": "FlagType" },
                "Data": { "shape": "DataType" },
                "Items": { "shape": "ItemList" },
                "Parts": { "shape": "PartList" },
                "Labels": { "shape": "LabelMap" },
                "Nested": { "shape": "NestedType" },
                "Groups": { "shape": "GroupMap" },
                "Wide": { "shape": "WideType" },
                "Digits": { "shape": "DigitsType" },
                "lowerName": { "shape": "NameType" }
              }
            },
            "NestedType": {
              "type": "structure",
              "required": ["Inner"],
              "members": { "Inner": { "shape": "NameType" } }
            },
            "PartType": {
              "type": "structure",
              "required": ["Id"],
              "members": { "Id": { "shape": "CountType" } }
            },
            "NameType": { "type": "string", "min": 2, "max": 5 },
            "CodeType": { "type": "string", "pattern": "[a-z]+" },
            "KindType": { "type": "string", "enum": ["ONE", "TWO"] },
            "SecretType": { "type": "string", "min": 3, "sensitive": true },
            "CountType": { "type": "integer", "min": 1, "max": 10 },
            "BigType": { "type": "long", "min": 5000000000 },
            "RatioType": { "type": "double", "min": 0.5, "max": 1.5 },
            "WeightType": { "type": "float" },
            "WhenType": { "type": "timestamp" },
            "FlagType": { "type": "boolean" },
            "DataType": { "type": "blob", "min": 2, "max": 4 },
            "ItemList": { "type": "list", "member": { "shape": "NameType" }, "min": 1, "max": 3 },
            "PartList": { "type": "list", "member": { "shape": "PartType" } },
            "GroupMap": { "type": "map", "key": { "shape": "CodeType" }, "value": { "shape": "NestedType" } },
            "WideType": { "type": "integer" },
            "DigitsType": { "type": "string", "pattern": "\\d+" },
            "LabelMap": { "type": "map", "key": { "shape": "NameType" }, "value": { "shape": "CodeType" }, "max": 2 }
          }
        }
        """;

    private static readonly ServiceModel Model = ServiceModel.Parse(System.Text.Json.JsonDocument.Parse(ModelJson).RootElement);

    private static void Validate(string body, string operation = "Act") =>
        RequestValidator.Validate(Model.Operation(operation)!, JsonInput.Parse(Encoding.UTF8.GetBytes(body)).Root);

    private static string Refusal(string body)
    {
        var error = Assert.Throws<AwsServiceException>(() => Validate(body));
        Assert.Equal(AwsErrorCodes.Validation, error.ErrorCode);
        return error.Message;
    }

    private static string Serialization(string body)
    {
        var error = Assert.Throws<AwsServiceException>(() => Validate(body));
        Assert.Equal(RequestValidator.SerializationException, error.ErrorCode);
        return error.Message;
    }

    [Fact]
    public void TheModel_IsReadWithItsMetadataAndOperations()
    {
        Assert.Equal("2020-01-01", Model.ApiVersion);
        Assert.Equal("Test_V1", Model.TargetPrefix);
        Assert.Equal(["Act", "Ping"], Model.OperationNames.Order(StringComparer.Ordinal));
        Assert.Null(Model.Operation("Ping")!.Input);
        Assert.Null(Model.Operation("Fly"));
        var input = Model.Operation("Act")!.Input!;
        Assert.True(input.Members.Single(m => m.Name == "Name").Required);
        Assert.False(input.Members.Single(m => m.Name == "Code").Required);
        Assert.True(input.Members.Single(m => m.Name == "Secret").Shape.Sensitive);
        Assert.False(input.Members.Single(m => m.Name == "Name").Shape.Sensitive);
        Assert.Equal(ShapeType.Timestamp, input.Members.Single(m => m.Name == "When").Shape.Type);
        Assert.Equal(ShapeType.Float, input.Members.Single(m => m.Name == "Weight").Shape.Type);
    }

    [Fact]
    public void AnOperationWithoutInput_AcceptsAnyBody() => Validate("""{"Anything":[1,{"x":null}]}""", "Ping");

    [Fact]
    public void AValidRequest_AtEveryBoundary_IsAccepted()
    {
        Validate("""{"Name":"ab"}""");
        Validate("""
            {"Name":"abcde","Code":"abc","Kind":"TWO","Secret":"xyz","Count":1,"Big":5000000000,"Ratio":0.5,"Weight":-7.25,
             "When":1700000000.5,"Flag":false,"Data":"AAE=","Items":["ab","cd","ef"],"Parts":[{"Id":10}],
             "Labels":{"ab":"x","cd":"y"},"Nested":{"Inner":"ab"},"lowerName":"abc","Unmodelled":{"any":"thing"}}
            """);
        Validate("""{"Name":"ab","Wide":2147483647,"Digits":"0123456789","Groups":{"g":{"Inner":"ab"}}}""");
        Validate("""{"Name":"ab","Wide":-2147483648}""");
        Validate("""{"Name":"ab","Count":10,"Ratio":1.5,"Data":"AAECAw==","Items":["ab"],"Flag":true,"Big":9000000000}""");
    }

    [Fact]
    public void ANullMember_IsAbsent_AndOnlyARequiredOneIsMissing()
    {
        Validate("""{"Name":"ab","Code":null,"Items":null}""");
        Assert.Equal("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null", Refusal("""{"Name":null}"""));
        Assert.Equal("1 validation error detected: Value null at 'nested.inner' failed to satisfy constraint: Member must not be null", Refusal("""{"Name":"ab","Nested":{}}"""));
    }

    [Theory]
    [InlineData("""{"Name":"a"}""", "Value 'a' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2")]
    [InlineData("""{"Name":"abcdef"}""", "Value 'abcdef' at 'name' failed to satisfy constraint: Member must have length less than or equal to 5")]
    [InlineData("""{"Name":"ab","lowerName":"x"}""", "Value 'x' at 'lowerName' failed to satisfy constraint: Member must have length greater than or equal to 2")]
    [InlineData("""{"Name":"ab","Code":"abC"}""", "Value 'abC' at 'code' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]+")]
    [InlineData("""{"Name":"ab","Code":"Cab"}""", "Value 'Cab' at 'code' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]+")]
    [InlineData("""{"Name":"ab","Kind":"THREE"}""", "Value 'THREE' at 'kind' failed to satisfy constraint: Member must satisfy enum value set: [ONE, TWO]")]
    [InlineData("""{"Name":"ab","Kind":"one"}""", "Value 'one' at 'kind' failed to satisfy constraint: Member must satisfy enum value set: [ONE, TWO]")]
    [InlineData("""{"Name":"ab","Secret":"xy"}""", "Value at 'secret' failed to satisfy constraint: Member must have length greater than or equal to 3")]
    [InlineData("""{"Name":"ab","Count":0}""", "Value '0' at 'count' failed to satisfy constraint: Member must have value greater than or equal to 1")]
    [InlineData("""{"Name":"ab","Count":11}""", "Value '11' at 'count' failed to satisfy constraint: Member must have value less than or equal to 10")]
    [InlineData("""{"Name":"ab","Big":4999999999}""", "Value '4999999999' at 'big' failed to satisfy constraint: Member must have value greater than or equal to 5000000000")]
    [InlineData("""{"Name":"ab","Ratio":0.25}""", "Value '0.25' at 'ratio' failed to satisfy constraint: Member must have value greater than or equal to 0.5")]
    [InlineData("""{"Name":"ab","Ratio":1.75}""", "Value '1.75' at 'ratio' failed to satisfy constraint: Member must have value less than or equal to 1.5")]
    [InlineData("""{"Name":"ab","Data":"AA=="}""", "Value at 'data' failed to satisfy constraint: Member must have length greater than or equal to 2")]
    [InlineData("""{"Name":"ab","Data":"AAECAwQ="}""", "Value at 'data' failed to satisfy constraint: Member must have length less than or equal to 4")]
    [InlineData("""{"Name":"ab","Items":[]}""", "Value '[]' at 'items' failed to satisfy constraint: Member must have length greater than or equal to 1")]
    [InlineData("""{"Name":"ab","Items":["ab","cd","ef","gh"]}""", "Value '[ab, cd, ef, gh]' at 'items' failed to satisfy constraint: Member must have length less than or equal to 3")]
    [InlineData("""{"Name":"ab","Items":["a","b"]}""", "Value '[a, b]' at 'items' failed to satisfy constraint: Member must satisfy constraint: [Member must have length greater than or equal to 2]")]
    [InlineData("""{"Name":"ab","Parts":[{"Id":1},{"Id":0}]}""", "Value '0' at 'parts.2.member.id' failed to satisfy constraint: Member must have value greater than or equal to 1")]
    [InlineData("""{"Name":"ab","Parts":[{}]}""", "Value null at 'parts.1.member.id' failed to satisfy constraint: Member must not be null")]
    [InlineData("""{"Name":"ab","Labels":{"a":"x"}}""", "Value '{a=x}' at 'labels' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length greater than or equal to 2]")]
    [InlineData("""{"Name":"ab","Labels":{"ab":"X1"}}""", "Value '{ab=X1}' at 'labels' failed to satisfy constraint: Map value must satisfy constraint: [Member must satisfy regular expression pattern: [a-z]+]")]
    [InlineData("""{"Name":"ab","Labels":{"ab":"x","cd":"y","ef":"z"}}""", "Value '{ab=x, cd=y, ef=z}' at 'labels' failed to satisfy constraint: Member must have length less than or equal to 2")]
    [InlineData("""{"Name":"ab","Nested":{"Inner":"abcdef"}}""", "Value 'abcdef' at 'nested.inner' failed to satisfy constraint: Member must have length less than or equal to 5")]
    [InlineData("""{"Name":"ab","Groups":{"g":{"Inner":"x"}}}""", "Value 'x' at 'groups.g.inner' failed to satisfy constraint: Member must have length greater than or equal to 2")]
    [InlineData("""{"Name":"ab","Groups":{"g":{}}}""", "Value null at 'groups.g.inner' failed to satisfy constraint: Member must not be null")]
    [InlineData("""{"Name":"ab","Count":2147483647}""", "Value '2147483647' at 'count' failed to satisfy constraint: Member must have value less than or equal to 10")]
    [InlineData("""{"Name":"ab","Count":-2147483648}""", "Value '-2147483648' at 'count' failed to satisfy constraint: Member must have value greater than or equal to 1")]
    [InlineData("""{"Name":"ab","Digits":"\u0663"}""", "Value '\u0663' at 'digits' failed to satisfy constraint: Member must satisfy regular expression pattern: \\d+")]
    public void OneBrokenConstraint_IsOneValidationError_InAwsWords(string body, string error) =>
        Assert.Equal($"1 validation error detected: {error}", Refusal(body));

    [Fact]
    public void AListOfScalars_ReportsEachBrokenConstraintOnce_WhateverItsMembers()
    {
        Assert.Equal(
            "2 validation errors detected: Value '[a, b, toolong]' at 'items' failed to satisfy constraint: Member must satisfy constraint: [Member must have length greater than or equal to 2]; "
            + "Value '[a, b, toolong]' at 'items' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 5]",
            Refusal("""{"Name":"ab","Items":["a","b","toolong"]}"""));
    }

    [Fact]
    public void AStringBreakingEveryConstraint_ListsThemInAwsOrder_EnumPatternLength()
    {
        var model = ServiceModel.Parse(System.Text.Json.JsonDocument.Parse("""
            {"metadata":{"apiVersion":"1","targetPrefix":"T"},"operations":{"Op":{"input":{"shape":"R"}}},
             "shapes":{"R":{"type":"structure","members":{"S":{"shape":"S"}}},"S":{"type":"string","enum":["aa"],"pattern":"[a]+","max":2}}}
            """).RootElement);

        var error = Assert.Throws<AwsServiceException>(() => RequestValidator.Validate(model.Operation("Op")!, JsonInput.Parse("""{"S":"bbb"}"""u8).Root));

        Assert.Equal(
            "3 validation errors detected: Value 'bbb' at 's' failed to satisfy constraint: Member must satisfy enum value set: [aa]; "
            + "Value 'bbb' at 's' failed to satisfy constraint: Member must satisfy regular expression pattern: [a]+; "
            + "Value 'bbb' at 's' failed to satisfy constraint: Member must have length less than or equal to 2",
            error.Message);
    }

    [Fact]
    public void MoreThanTenErrors_ListTheFirstTenAndCountTheRest()
    {
        var message = Refusal("""{"Name":"a","Code":"A","Kind":"X","Secret":"","Count":0,"Big":1,"Ratio":0,"Data":"","Items":[],"Labels":{"a":"B","b":"C","c":"D"},"Nested":{},"lowerName":"z"}""");

        Assert.StartsWith("14 validation errors detected: Value 'a' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2; ", message, StringComparison.Ordinal);
        Assert.EndsWith("; (and 4 more)", message, StringComparison.Ordinal);
        Assert.Equal(10, message.Split("; ").Length - 1);
    }

    [Fact]
    public void ExactlyTenErrors_AreAllListed_WithNothingMore()
    {
        var message = Refusal("""{"Name":"a","Code":"A","Kind":"X","Secret":"","Count":0,"Big":1,"Ratio":0,"Data":"","Items":[],"lowerName":"z"}""");

        Assert.StartsWith("10 validation errors detected: ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("more)", message, StringComparison.Ordinal);
        Assert.Equal(10, message.Split("; ").Length);
    }

    [Theory]
    [InlineData("""{"Name":5}""", "The value at 'name' must be a string, not a JSON number.")]
    [InlineData("""{"Name":"ab","Count":"1"}""", "The value at 'count' must be an integer, not a JSON string.")]
    [InlineData("""{"Name":"ab","Count":1.5}""", "The value at 'count' must be an integer, not a JSON number.")]
    [InlineData("""{"Name":"ab","Count":2147483648}""", "The value at 'count' must be an integer, not a JSON number.")]
    [InlineData("""{"Name":"ab","Count":-2147483649}""", "The value at 'count' must be an integer, not a JSON number.")]
    [InlineData("""{"Name":"ab","Big":true}""", "The value at 'big' must be a long integer, not a JSON true.")]
    [InlineData("""{"Name":"ab","Ratio":"1"}""", "The value at 'ratio' must be a number, not a JSON string.")]
    [InlineData("""{"Name":"ab","Weight":[]}""", "The value at 'weight' must be a number, not a JSON array.")]
    [InlineData("""{"Name":"ab","When":"2020-01-01"}""", "The value at 'when' must be a timestamp (seconds since 1970), not a JSON string.")]
    [InlineData("""{"Name":"ab","Flag":"true"}""", "The value at 'flag' must be a boolean, not a JSON string.")]
    [InlineData("""{"Name":"ab","Data":7}""", "The value at 'data' must be a base64 string, not a JSON number.")]
    [InlineData("""{"Name":"ab","Data":"!!!!"}""", "The value at 'data' is not valid base64.")]
    [InlineData("""{"Name":"ab","Items":"ab"}""", "The value at 'items' must be a list, not a JSON string.")]
    [InlineData("""{"Name":"ab","Items":["ab",3]}""", "The value at 'items.2.member' must be a string, not a JSON number.")]
    [InlineData("""{"Name":"ab","Parts":[7]}""", "The value at 'parts.1.member' must be a structure, not a JSON number.")]
    [InlineData("""{"Name":"ab","Labels":[]}""", "The value at 'labels' must be a map, not a JSON array.")]
    [InlineData("""{"Name":"ab","Labels":{"ab":1}}""", "The value at 'labels' must be a string, not a JSON number.")]
    [InlineData("""{"Name":"ab","Nested":"x"}""", "The value at 'nested' must be a structure, not a JSON string.")]
    public void AValueOfTheWrongJsonType_IsASerializationException_NamingWhereAndWhat(string body, string message) =>
        Assert.Equal(message, Serialization(body));

    [Fact]
    public void ABodyThatIsNoStructure_IsNamedAsTheRequestBody()
    {
        using var array = System.Text.Json.JsonDocument.Parse("[]");

        var error = Assert.Throws<AwsServiceException>(() => RequestValidator.Validate(Model.Operation("Act")!, array.RootElement));

        Assert.Equal(RequestValidator.SerializationException, error.ErrorCode);
        Assert.Equal("The value at 'the request body' must be a structure, not a JSON array.", error.Message);
    }

    [Fact]
    public void ANullMapValue_IsNotChecked()
    {
        Validate("""{"Name":"ab","Labels":{"ab":null}}""");
    }

    [Fact]
    public void AWrongTypeIsFoundEvenAfterValidationErrors_AndWins()
    {
        // AWS cannot validate what it cannot read: the request fails to deserialize before any constraint is judged.
        Assert.Equal("The value at 'flag' must be a boolean, not a JSON number.", Serialization("""{"Name":"a","Flag":1}"""));
    }

    [Fact]
    public void ABlobOfEveryLengthUpToItsMaximum_DecodesIntoItsBuffer()
    {
        // The decoder's buffer is sized from the text; a maximum-length blob, padded or not, must fit.
        foreach (var length in new[] { 2, 3, 4 })
        {
            Validate($$"""{"Name":"ab","Data":"{{Convert.ToBase64String(new byte[length])}}"}""");
        }
    }

    [Fact]
    public void APatternMustMatchTheWholeValue_NotAPrefix() =>
        Assert.Contains("regular expression pattern", Refusal("""{"Name":"ab","Code":"abc1"}"""), StringComparison.Ordinal);

    [Fact]
    public void APatternThatTakesTooLong_IsTreatedAsNotMatching()
    {
        var model = ServiceModel.Parse(System.Text.Json.JsonDocument.Parse("""
            {"metadata":{"apiVersion":"1","targetPrefix":"T"},"operations":{"Op":{"input":{"shape":"R"}}},
             "shapes":{"R":{"type":"structure","members":{"S":{"shape":"S"}}},"S":{"type":"string","pattern":"(a+)+b"}}}
            """).RootElement);
        var body = Encoding.UTF8.GetBytes($$"""{"S":"{{new string('a', 40)}}c"}""");

        var error = Assert.Throws<AwsServiceException>(() => RequestValidator.Validate(model.Operation("Op")!, JsonInput.Parse(body).Root));

        Assert.Equal(AwsErrorCodes.Validation, error.ErrorCode);
        Assert.Contains("Member must satisfy regular expression pattern: (a+)+b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AShapeOfAnUnknownType_StopsTheModelFromLoading()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ServiceModel.Parse(System.Text.Json.JsonDocument.Parse("""
            {"metadata":{"apiVersion":"1","targetPrefix":"T"},"operations":{},"shapes":{"S":{"type":"document"}}}
            """).RootElement));

        Assert.Equal("Shape S has a type the silo does not read: document.", error.Message);
    }

    [Fact]
    public void AModelNotEmbedded_IsNamed() =>
        Assert.Equal("The service model GrantSim.Silo.Aws.Models.sqs-2012-11-05.json is not embedded in the silo.",
            Assert.Throws<InvalidOperationException>(() => ServiceModel.Load("sqs-2012-11-05")).Message);

    [Fact]
    public void AMapInAMessage_IsPrintedAsJavaPrintsIt_NullsIncluded() =>
        Assert.Equal(
            "1 validation error detected: Value '{ab=null, cd=x, ef=y}' at 'labels' failed to satisfy constraint: Member must have length less than or equal to 2",
            Refusal("""{"Name":"ab","Labels":{"ab":null,"cd":"x","ef":"y"}}"""));

    [Fact]
    public void ANullInAListOfStrings_IsASerializationException() =>
        Assert.Equal("The value at 'items.2.member' must be a string, not a JSON null.", Serialization("""{"Name":"ab","Items":["ab",null]}"""));
}
