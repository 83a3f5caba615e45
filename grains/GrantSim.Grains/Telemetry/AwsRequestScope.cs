using System.Collections;

namespace GrantSim.Telemetry;

/// <summary>
/// The logging scope of one AWS request: structured fields for JSON and OpenTelemetry logs (the tenant,
/// region and operation, and the resource as <c>Repository</c> or <c>KeyArn</c>), and a readable text
/// for formatters that print scopes as text.
/// </summary>
public sealed record AwsRequestScope(AwsRequest Request) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 4;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("Tenant", Request.Account),
        1 => new("Region", Request.Region),
        2 => new(Request.ResourceField, Request.Resource),
        3 => new("Operation", Request.Operation),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, null),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{Request.Service} {Request.Operation} {Request.Account}/{Request.Region}/{Request.Resource}";
}
