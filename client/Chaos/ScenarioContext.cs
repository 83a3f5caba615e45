using GrantSim.Client.Chaos.Reports;
using GrantSim.Client.Hosting;
using GrantSim.Client.Simulation;
using GrantSim.Grains;
using GrantSim.Simulation;

namespace GrantSim.Client.Chaos;

/// <summary>Something a scenario does at a point of its run: a fraction (0..1) of its operations or duration.</summary>
public sealed record PlannedEvent(double AtFraction, string Description, Func<Task> Action, bool Background = false);

/// <summary>What a scenario works with: its tenants, the workload runner, the clock, the silos, and where its faults and checks go.</summary>
public sealed class ScenarioContext
{
    private readonly List<Task> _background = [];
    private readonly List<ScenarioCheck> _checks = [];
    private readonly SortedDictionary<string, double> _figures = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _operationsDone;

    public ScenarioContext(string scenario, IGrainFactory grains, ISimulationClock clock, ISiloControl? silos, World world, SimulationRunner runner, ChaosOptions options, CancellationToken cancellation)
    {
        Scenario = scenario;
        Grains = grains;
        Clock = clock;
        Silos = silos;
        World = world;
        Runner = runner;
        Options = options;
        Cancellation = cancellation;
        Faults = new FaultRecorder(runner.Log);
        Random = new Random(SeedFor(options.Seed, scenario));
    }

    public string Scenario { get; }

    public IGrainFactory Grains { get; }

    public ISimulationClock Clock { get; }

    public ISiloControl? Silos { get; }

    public World World { get; }

    public SimulationRunner Runner { get; }

    public SimulationLedger Ledger => Runner.Ledger;

    public ChaosOptions Options { get; }

    public CancellationToken Cancellation { get; }

    public FaultRecorder Faults { get; }

    /// <summary>The scenario's own seeded choices (which repositories, which silos), apart from the workload's.</summary>
    public Random Random { get; }

    /// <summary>Pending creates and deletes finished after a fault ended.</summary>
    public int Resumed { get; private set; }

    /// <summary>0..1: how far the scenario is, for the live display.</summary>
    public double Progress { get; private set; }

    public IReadOnlyList<ScenarioCheck> Checks
    {
        get
        {
            lock (_lock)
            {
                return _checks.ToArray();
            }
        }
    }

    /// <summary>The budget of a part of the scenario: <paramref name="share"/> of its operations (at least one).</summary>
    public int OperationsFor(double share) => Math.Max(1, (int)Math.Round(Options.Operations * share));

    /// <summary>
    /// Runs the seeded background workload over <paramref name="share"/> of the scenario's budget
    /// (operations, or the duration), firing <paramref name="events"/> when their fraction of this
    /// part is reached. Background events run beside the workload (a silo kill while calls are in
    /// flight); the others run between two operations.
    /// </summary>
    public async Task RunWorkloadAsync(double share, IReadOnlyList<PlannedEvent>? events = null, double progressFrom = 0, double progressTo = 1)
    {
        var pending = new Queue<PlannedEvent>((events ?? []).OrderBy(e => e.AtFraction));
        var operations = OperationsFor(share);
        var duration = Options.Duration is { } total ? total * share : (TimeSpan?)null;
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var done = 0; ; done++)
        {
            Cancellation.ThrowIfCancellationRequested();
            var fraction = duration is { } d ? started.Elapsed / d : (double)done / operations;
            while (pending.Count > 0 && pending.Peek().AtFraction <= fraction)
            {
                await FireAsync(pending.Dequeue());
            }

            if (fraction >= 1)
            {
                break;
            }

            await Runner.StepAsync();
            Interlocked.Increment(ref _operationsDone);
            Progress = progressFrom + ((progressTo - progressFrom) * Math.Min(1, fraction));
        }

        while (pending.Count > 0)
        {
            await FireAsync(pending.Dequeue());
        }

        await WaitForBackgroundEventsAsync();
        Progress = progressTo;
    }

    public void ReportProgress(double progress) => Progress = Math.Clamp(progress, 0, 1);

    public async Task WaitForBackgroundEventsAsync()
    {
        Task[] running;
        lock (_lock)
        {
            running = _background.ToArray();
            _background.Clear();
        }

        await Task.WhenAll(running);
    }

    /// <summary>Sets every tenant's KMS fault plan and propagation delay (the settings reach every key of the tenant before this returns).</summary>
    public async Task SetTenantSettingsAsync(FaultPlan kmsFaults, TimeSpan propagationDelay = default)
    {
        foreach (var account in World.Accounts)
        {
            await Grains.GetGrain<ITenantSettingsGrain>(account).Set(propagationDelay, kmsFaults);
        }
    }

    /// <summary>
    /// Finishes the creates and deletes that a fault interrupted (what the repositories' reminders
    /// do within a minute, and any later call on the name does at once). Returns how many there were.
    /// </summary>
    public async Task<int> ResumePendingWorkAsync()
    {
        var resumed = await PendingWork.ResumeAsync(Grains, World.TenantRegions, KnownNames());
        Resumed += resumed;
        return resumed;
    }

    /// <summary>The repositories of the scenario's tenants whose create, rollback or delete is unfinished.</summary>
    public Task<IReadOnlyList<IRepositoryGrain>> PendingRepositoriesAsync() => PendingWork.FindAsync(Grains, World.TenantRegions, KnownNames());

    private IEnumerable<(string Account, string Region, string Name)> KnownNames() => Ledger.Repositories.Select(r => (r.Account, r.Region, r.Name));

    /// <summary>The scenario's own measurements (recovery times, pulls before and after a revoke), by name.</summary>
    public IReadOnlyDictionary<string, double> Figures
    {
        get
        {
            lock (_lock)
            {
                return new SortedDictionary<string, double>(_figures, StringComparer.Ordinal);
            }
        }
    }

    public void Figure(string name, double value)
    {
        lock (_lock)
        {
            _figures[name] = Math.Round(value, 3);
        }
    }

    /// <summary>Records one of the scenario's own promises: held when nothing violated it.</summary>
    public void Check(string name, int checkedCount, IReadOnlyList<string> violations)
    {
        lock (_lock)
        {
            _checks.Add(new ScenarioCheck(name, violations.Count == 0, checkedCount, violations.Take(50).ToArray()));
        }
    }

    private async Task FireAsync(PlannedEvent plannedEvent)
    {
        if (plannedEvent.Background)
        {
            lock (_lock)
            {
                _background.Add(Task.Run(plannedEvent.Action));
            }
        }
        else
        {
            await plannedEvent.Action();
        }
    }

    /// <summary>
    /// The seed of a scenario's own choices: FNV-1a of the run's seed and the scenario's name, the same in
    /// every process (string.GetHashCode and HashCode.Combine are randomized per process, so a seed replayed
    /// in another process would not have made the same choices).
    /// </summary>
    internal static int SeedFor(int seed, string scenario)
    {
        var hash = 2166136261u;
        foreach (var c in $"{seed.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{scenario}")
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}

/// <summary>The fault windows of a scenario (in seconds of its operation log) and the faults injected, by kind.</summary>
public sealed class FaultRecorder(OperationLog log)
{
    private readonly List<FaultWindow> _closed = [];
    private readonly Dictionary<string, double> _open = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _injected = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Open(string label)
    {
        lock (_lock)
        {
            _open[label] = log.ElapsedSeconds;
        }
    }

    public void Close(string label)
    {
        lock (_lock)
        {
            if (_open.Remove(label, out var start))
            {
                _closed.Add(new FaultWindow(label, Math.Round(start, 3), Math.Round(log.ElapsedSeconds, 3)));
            }
        }
    }

    public void CountInjected(string kind, int count = 1)
    {
        lock (_lock)
        {
            _injected[kind] = _injected.GetValueOrDefault(kind) + count;
        }
    }

    /// <summary>Closes whatever is still open, at the end of the scenario.</summary>
    public IReadOnlyList<FaultWindow> Windows()
    {
        lock (_lock)
        {
            foreach (var (label, start) in _open)
            {
                _closed.Add(new FaultWindow(label, Math.Round(start, 3), Math.Round(log.ElapsedSeconds, 3)));
            }

            _open.Clear();

            return _closed.OrderBy(w => w.StartSecond).ToArray();
        }
    }

    public IReadOnlyDictionary<string, int> Injected()
    {
        lock (_lock)
        {
            return new SortedDictionary<string, int>(_injected, StringComparer.Ordinal);
        }
    }
}
