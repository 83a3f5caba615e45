namespace GrantSim.Faults;

/// <summary>What happens at an armed point.</summary>
public enum CrashAction
{
    /// <summary>The activation dies there, as its silo would: nothing after the point runs, its memory is gone, only what it stored survives. The caller gets no answer (SiloUnavailableException).</summary>
    Crash,

    /// <summary>The write at the point fails, as a storage outage would (the activation lives on).</summary>
    FailWrite,
}

/// <summary>
/// Crash points a test arms: one point at a time, firing on its n-th passage (counted per point from
/// when it was armed) — or holding every passage at a barrier the test controls. Records which points
/// were passed and which fired, for the coverage line. Thread-safe: grains of several silos share it.
/// </summary>
public sealed class ArmedCrashPoints : ICrashPoints
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _passed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _fired = new(StringComparer.Ordinal);
    private (string Point, long Occurrence, CrashAction Action)? _armed;
    private long _seen;
    private bool _firedSinceArmed;
    private Func<CrashPointContext, ValueTask>? _hold;
    private string? _holdPoint;

    /// <summary>Every point passed since the start, with how often.</summary>
    public IReadOnlyDictionary<string, long> Passed
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, long>(_passed, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The points that fired (crashed or failed) at least once.</summary>
    public IReadOnlySet<string> Fired
    {
        get
        {
            lock (_lock)
            {
                return new HashSet<string>(_fired, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Arms <paramref name="point"/> to do <paramref name="action"/> on its <paramref name="occurrence"/>-th passage (1 = the next).</summary>
    public void Arm(string point, long occurrence, CrashAction action)
    {
        lock (_lock)
        {
            _armed = (point, occurrence, action);
            _seen = 0;
            _firedSinceArmed = false;
        }
    }

    /// <summary>Every passage of <paramref name="point"/> waits for <paramref name="hold"/> (a barrier the test opens).</summary>
    public void Hold(string point, Func<CrashPointContext, ValueTask> hold)
    {
        lock (_lock)
        {
            (_holdPoint, _hold) = (point, hold);
        }
    }

    public void Disarm()
    {
        lock (_lock)
        {
            _armed = null;
            _hold = null;
            _holdPoint = null;
        }
    }

    /// <summary>Whether the point armed last has fired since it was armed.</summary>
    public bool FiredSinceArmed
    {
        get
        {
            lock (_lock)
            {
                return _firedSinceArmed;
            }
        }
    }

    public async ValueTask ReachAsync(string point, IGrainContext activation)
    {
        CrashAction? fire = null;
        Func<CrashPointContext, ValueTask>? hold = null;
        lock (_lock)
        {
            _passed[point] = _passed.GetValueOrDefault(point) + 1;
            if (_armed is { } armed && armed.Point == point && ++_seen == armed.Occurrence)
            {
                fire = armed.Action;
                _fired.Add(point);
                _firedSinceArmed = true;
                _armed = null;
            }

            if (_holdPoint == point)
            {
                hold = _hold;
            }
        }

        if (hold is not null)
        {
            await hold(new CrashPointContext(point, activation));
        }

        switch (fire)
        {
            case CrashAction.Crash:
                // The activation goes, and takes its memory with it; the caller hears what a dead silo's caller hears.
                activation.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, $"simulated crash at {point}"));
                throw new SiloUnavailableException($"Simulated crash at {point}: the activation died here.");
            case CrashAction.FailWrite:
                throw new IOException($"Simulated storage failure at {point}.");
        }
    }
}
