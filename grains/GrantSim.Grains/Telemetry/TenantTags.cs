using System.Collections.Concurrent;

namespace GrantSim.Telemetry;

/// <summary>
/// Keeps the tenant tag of metrics bounded: the first <see cref="Limit"/> accounts seen keep their
/// own value, every later one is folded into <see cref="Other"/>. Each distinct tag value is a time
/// series in Prometheus; thousands of tenants would be thousands of series per instrument.
/// Regions need no such cap: they come from a fixed list.
/// </summary>
public sealed class TenantTags(int limit)
{
    public const string Other = "other";

    private readonly ConcurrentDictionary<string, bool> _kept = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Limit { get; } = limit >= 0 ? limit : throw new ArgumentOutOfRangeException(nameof(limit), limit, "The tenant limit cannot be negative.");

    public string For(string account)
    {
        if (_kept.ContainsKey(account))
        {
            return account;
        }

        lock (_lock)
        {
            if (_kept.Count < Limit)
            {
                _kept.TryAdd(account, true);
                return account;
            }

            return _kept.ContainsKey(account) ? account : Other;
        }
    }
}
