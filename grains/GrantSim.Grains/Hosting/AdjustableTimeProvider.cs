namespace GrantSim.Hosting;

/// <summary>
/// A clock that can be moved forward on purpose (to pass a 7-day key deletion window in a
/// second). Frozen, it moves only when advanced, which makes a seeded simulation repeatable;
/// otherwise it follows the wall clock plus the total advanced.
/// </summary>
public sealed class AdjustableTimeProvider : TimeProvider
{
    private readonly TimeProvider _wallClock;
    private readonly DateTimeOffset _frozenStart;
    private readonly bool _frozen;
    private long _offsetTicks;

    private AdjustableTimeProvider(TimeProvider wallClock, DateTimeOffset frozenStart, bool frozen)
    {
        _wallClock = wallClock;
        _frozenStart = frozenStart;
        _frozen = frozen;
    }

    /// <summary>Where a frozen clock stands until advanced (silo and client alike), so that timestamps are the same from run to run.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A clock standing still at <see cref="Epoch"/> until advanced.</summary>
    public static AdjustableTimeProvider Frozen() => Frozen(Epoch);

    /// <summary>A clock standing still at <paramref name="start"/> until advanced.</summary>
    public static AdjustableTimeProvider Frozen(DateTimeOffset start) => new(System, start, frozen: true);

    /// <summary>The wall clock, plus whatever has been advanced.</summary>
    public static AdjustableTimeProvider FollowingWallClock() => new(System, default, frozen: false);

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => (_frozen ? _frozenStart : _wallClock.GetUtcNow()) + Offset;

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    /// <summary>Moves the clock to <paramref name="offset"/> past its base, never back: a late or repeated update cannot undo a newer one.</summary>
    public void MoveTo(TimeSpan offset)
    {
        var current = Interlocked.Read(ref _offsetTicks);
        while (offset.Ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _offsetTicks, offset.Ticks, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
