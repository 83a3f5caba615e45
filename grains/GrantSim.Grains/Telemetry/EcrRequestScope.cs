using System.Collections;

namespace GrantSim.Telemetry;

/// <summary>
/// The logging scope of one ECR request: structured fields for JSON and OpenTelemetry logs, and a
/// readable text for formatters that print scopes as text.
/// </summary>
public sealed record EcrRequestScope(string Tenant, string Region, string Repository, string Operation) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 4;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new(nameof(Tenant), Tenant),
        1 => new(nameof(Region), Region),
        2 => new(nameof(Repository), Repository),
        3 => new(nameof(Operation), Operation),
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

    public override string ToString() => $"ECR {Operation} {Tenant}/{Region}/{Repository}";
}
