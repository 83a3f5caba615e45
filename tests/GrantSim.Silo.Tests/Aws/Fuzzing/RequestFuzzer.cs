using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using GrantSim.Aws;
using GrantSim.Identity;
using GrantSim.Silo.Aws;
using GrantSim.Silo.Aws.Models;
using Microsoft.AspNetCore.Http;

namespace GrantSim.Silo.Tests.Aws.Fuzzing;

/// <summary>What a fuzzing run did: cases, time, and every input that broke the readers, by its kind of failure.</summary>
public sealed record FuzzReport(long Cases, TimeSpan Elapsed, int Seed, IReadOnlyDictionary<string, (long Count, string Example)> Crashes)
{
    public override string ToString() =>
        $"{Cases:N0} cases in {Elapsed.TotalSeconds:0.0} s ({Cases / Math.Max(0.001, Elapsed.TotalSeconds):N0}/s), seed {Seed}: {Crashes.Count} unique crash(es)"
        + string.Concat(Crashes.Select(c => $"{Environment.NewLine}  {c.Key} ×{c.Value.Count}: {c.Value.Example}"));
}

/// <summary>
/// A mutational, grammar-aware fuzzer of the AWS endpoint's request readers: the JSON 1.1 path (parse,
/// check against the service model, read into a call — everything before a grain is called) for every
/// operation of both models, and the registry's route, Content-Range and token readers, and SigV4's
/// header parsing. Seeds are requests built from the models; mutations flip and insert bytes (invalid
/// UTF-8 and JSON punctuation among them), cut, repeat and splice, swap values for other JSON kinds,
/// nest deeply and stretch strings. A reader may refuse (an AwsServiceException, or ArgumentException,
/// which the endpoint answers as a 400); anything else it throws is a crash — what would have been a 500.
/// </summary>
public sealed class RequestFuzzer
{
    private static readonly byte[][] Interesting =
    [
        [0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], "\""u8.ToArray(), "\\"u8.ToArray(), "\\u"u8.ToArray(), "\\ud800"u8.ToArray(),
        "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), ","u8.ToArray(), ":"u8.ToArray(), "null"u8.ToArray(), "1e999"u8.ToArray(),
        "-0"u8.ToArray(), "99999999999999999999"u8.ToArray(), [0], "\t"u8.ToArray(), "/*"u8.ToArray(),
    ];

    private static readonly string[] Values = ["null", "true", "0", "-1", "1.5", "1e308", "9223372036854775808", "\"\"", "\"x\"", "\"QUJD\"", "[]", "[null]", "[\"a\",1]", "{}", "{\"a\":{}}"];

    private readonly Random _random;
    private readonly List<(string Target, ModelOperation Operation, byte[] Body)> _corpus = [];
    private readonly KmsApi _kms;
    private readonly EcrApi _ecr;
    private readonly RegistryToken _tokens;
    private readonly string _token;
    private readonly AuthenticatedCaller _caller;

    public RequestFuzzer(int seed)
    {
        Seed = seed;
        _random = new Random(seed);
        var grains = DispatchProxy.Create<IGrainFactory, NoGrains>();
        var uploads = new UploadSessions(new UploadLimits(), TimeProvider.System);
        _tokens = new RegistryToken("a fuzzing secret of thirty-two bytes!!"u8.ToArray(), TimeProvider.System);
        _token = _tokens.Issue("AKIDFUZZ", "123456789012", Regions.UsEast1).Password;
        _kms = new KmsApi(grains);
        _ecr = new EcrApi(grains, uploads, _tokens);
        _caller = new AuthenticatedCaller(CallerIdentity.Root("aws", "123456789012"), "123456789012", Regions.UsEast1, "kms", "AKIDFUZZ");
        foreach (var (model, prefix) in new[] { (ServiceModel.Kms, "TrentService."), (ServiceModel.Ecr, "AmazonEC2ContainerRegistry_V20150921.") })
        {
            foreach (var name in model.OperationNames)
            {
                var operation = model.Operation(name)!;
                _corpus.Add((prefix + name, operation, Encoding.UTF8.GetBytes(Build(operation.Input, 0)?.ToJsonString() ?? "{}")));
            }
        }
    }

    public int Seed { get; }

    /// <summary>Runs until <paramref name="cases"/> or <paramref name="budget"/>, whichever comes first.</summary>
    public FuzzReport Run(long cases, TimeSpan budget)
    {
        var crashes = new Dictionary<string, (long Count, string Example)>(StringComparer.Ordinal);
        var stopwatch = Stopwatch.StartNew();
        long done = 0;
        for (; done < cases && stopwatch.Elapsed < budget; done++)
        {
            var (what, input, action) = _random.Next(10) < 7 ? JsonCase() : _random.Next(2) == 0 ? RegistryCase() : SigV4Case();
            try
            {
                action();
            }
            catch (Exception error) when (error is AwsServiceException or ArgumentException)
            {
                // A refusal: what the endpoint answers with a 4xx.
            }
            catch (Exception error)
            {
                var frame = new StackTrace(error).GetFrames().FirstOrDefault(f => f.GetMethod()?.DeclaringType?.Namespace?.StartsWith("GrantSim", StringComparison.Ordinal) == true);
                var signature = $"{error.GetType().Name} in {frame?.GetMethod()?.DeclaringType?.Name}.{frame?.GetMethod()?.Name} ({what})";
                var example = Convert.ToBase64String(input.Length > 2000 ? input[..2000] : input);
                crashes[signature] = crashes.TryGetValue(signature, out var seen) ? (seen.Count + 1, seen.Example) : (1, $"{error.Message} — input (base64) {example}");
            }
        }

        return new FuzzReport(done, stopwatch.Elapsed, Seed, crashes);
    }

    // ---- the JSON 1.1 path ----

    private (string What, byte[] Input, Action Run) JsonCase()
    {
        var (target, operation, seed) = _corpus[_random.Next(_corpus.Count)];
        var body = Mutate(seed);
        var service = target.StartsWith("TrentService.", StringComparison.Ordinal) ? "kms" : "ecr";
        var name = target[(target.IndexOf('.', StringComparison.Ordinal) + 1)..];
        return (target, body, () =>
        {
            var input = JsonInput.Parse(body);
            RequestValidator.Validate(operation, input.Root);
            _ = service == "kms" ? _kms.Prepare(name, input, _caller.Caller, _caller.Region) : _ecr.Prepare(name, input, _caller, "127.0.0.1:4566");
        });
    }

    private byte[] Mutate(byte[] seed)
    {
        var bytes = seed.ToList();
        for (var rounds = _random.Next(1, 5); rounds > 0; rounds--)
        {
            switch (_random.Next(9))
            {
                case 0 when bytes.Count > 0:
                    bytes[_random.Next(bytes.Count)] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1:
                    bytes.InsertRange(_random.Next(bytes.Count + 1), Interesting[_random.Next(Interesting.Length)]);
                    break;
                case 2 when bytes.Count > 0:
                {
                    var at = _random.Next(bytes.Count);
                    bytes.RemoveRange(at, _random.Next(1, Math.Min(16, bytes.Count - at) + 1));
                    break;
                }

                case 3 when bytes.Count > 0:
                {
                    var at = _random.Next(bytes.Count);
                    var length = _random.Next(1, Math.Min(32, bytes.Count - at) + 1);
                    bytes.InsertRange(_random.Next(bytes.Count + 1), bytes.GetRange(at, length));
                    break;
                }

                case 4:
                {
                    var other = _corpus[_random.Next(_corpus.Count)].Body;
                    var cut = _random.Next(bytes.Count + 1);
                    bytes = [.. bytes.Take(cut), .. other.Skip(_random.Next(other.Length + 1))];
                    break;
                }

                case 5:
                    bytes = [.. ReplaceAValue(bytes.ToArray())];
                    break;
                case 6:
                {
                    var depth = _random.Next(20, 200);
                    bytes.InsertRange(_random.Next(bytes.Count + 1), Encoding.ASCII.GetBytes(new string('[', depth) + new string(']', depth)));
                    break;
                }

                case 7:
                    bytes.InsertRange(_random.Next(bytes.Count + 1), Encoding.UTF8.GetBytes("\"" + new string((char)_random.Next(32, 0x2FFF), _random.Next(100, 20000)) + "\""));
                    break;
                default:
                    if (bytes.Count > 0)
                    {
                        bytes.RemoveRange(_random.Next(bytes.Count), 1);
                    }

                    break;
            }
        }

        return bytes.ToArray();
    }

    /// <summary>A JSON-aware mutation: one member's value becomes another kind.</summary>
    private byte[] ReplaceAValue(byte[] body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject json && json.Count > 0)
            {
                json[json.ElementAt(_random.Next(json.Count)).Key] = JsonNode.Parse(Values[_random.Next(Values.Length)]);
                return Encoding.UTF8.GetBytes(json.ToJsonString());
            }
        }
        catch (Exception error) when (error is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            // Already broken (not JSON, not text, a member twice): leave it so.
        }

        return body;
    }

    /// <summary>A request body that satisfies the shape's types (not every constraint): what mutations start from.</summary>
    private JsonNode? Build(Shape? shape, int depth)
    {
        if (shape is null || depth > 6)
        {
            return null;
        }

        return shape.Type switch
        {
            ShapeType.Structure => new JsonObject(shape.Members.Where(m => m.Required || _random.Next(2) == 0)
                .Select(m => KeyValuePair.Create(m.Name, Build(m.Shape, depth + 1)))),
            ShapeType.List => new JsonArray(Build(shape.Member, depth + 1)),
            ShapeType.Map => new JsonObject { ["k"] = Build(shape.Value, depth + 1) },
            ShapeType.String => JsonValue.Create(shape.Enum?.FirstOrDefault() ?? "alias/aws/ecr"),
            ShapeType.Blob => JsonValue.Create("QUJD"),
            ShapeType.Boolean => JsonValue.Create(true),
            ShapeType.Integer or ShapeType.Long => JsonValue.Create((long)(shape.Min ?? 1)),
            _ => JsonValue.Create(1.0),
        };
    }

    // ---- the registry's readers ----

    private (string What, byte[] Input, Action Run) RegistryCase()
    {
        var text = MutateText(_random.Next(3) switch
        {
            0 => "/v2/team/app/blobs/uploads/2f9c1c4e-0000-4000-8000-000000000000",
            1 => "/v2/team/app/manifests/sha256:" + new string('a', 64),
            _ => "/v2/a/b/c/tags/list",
        });
        var range = MutateText("bytes 0-1023/*");
        var token = MutateText(_token);
        return ("registry", Encoding.UTF8.GetBytes($"{text}\n{range}\n{token}"), () =>
        {
            _ = RegistryRoute.Parse(text);
            var context = new DefaultHttpContext();
            context.Request.Headers.ContentRange = range;
            _ = RegistryEndpoint.ContentRange(context.Request);
            _ = _tokens.Verify(token);
        });
    }

    private (string What, byte[] Input, Action Run) SigV4Case()
    {
        var header = MutateText("AWS4-HMAC-SHA256 Credential=AKIDFUZZ/20261201/us-east-1/kms/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + new string('0', 64));
        var date = MutateText("20261201T000000Z");
        return ("sigv4", Encoding.UTF8.GetBytes($"{header}\n{date}"), () =>
        {
            _ = SigV4Authorization.TryParse(header);
            _ = SigV4.TryParseAmzDate(date, out _);
            _ = SigV4.CanonicalRequest("POST", MutateText("/a b/%zz/é"), MutateText("a=1&b=%"), [KeyValuePair.Create("host", (IReadOnlyList<string>)[header])], ["host"], "x");
        });
    }

    private string MutateText(string text)
    {
        var chars = text.ToList();
        for (var rounds = _random.Next(0, 4); rounds > 0; rounds--)
        {
            var at = _random.Next(chars.Count + 1);
            switch (_random.Next(4))
            {
                case 0 when at < chars.Count:
                    chars.RemoveAt(at);
                    break;
                case 1:
                    chars.Insert(at, (char)_random.Next(0, 0xFFFF));
                    break;
                case 2:
                    chars.InsertRange(at, "/.-:%=_+,; \0".ToCharArray()[_random.Next(12)..][..1]);
                    break;
                default:
                    chars.InsertRange(at, new string(chars.Count > 0 ? chars[_random.Next(chars.Count)] : 'a', _random.Next(1, 300)));
                    break;
            }
        }

        return new string(chars.ToArray());
    }

    /// <summary>No grains: the readers build their calls and never make them here.</summary>
    public class NoGrains : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => null;
    }
}
