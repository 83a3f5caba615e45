using System.Text.Json;

namespace GrantSim.EndToEnd.Tests.Cluster;

/// <summary>What a kill cost, read from the client's per-second timeline: detection, recovery, throughput before and after.</summary>
public sealed record ClusterFigures(TimeSpan Detection, double Recovery, double OperationsPerSecondBefore, double OperationsPerSecondAfter, int Unanswered)
{
    public static ClusterFigures From(JsonElement summary, DateTimeOffset killedAt, TimeSpan detection)
    {
        var startedAt = summary.GetProperty("startedAt").GetDateTimeOffset();
        var killSecond = (int)(killedAt - startedAt).TotalSeconds;
        var seconds = summary.GetProperty("timeline").EnumerateArray()
            .Select(s => (Second: s.GetProperty("second").GetInt32(), Ok: s.GetProperty("ok").GetInt32(), Answered: s.GetProperty("ok").GetInt32() + s.GetProperty("errors").GetInt32(), Unanswered: s.GetProperty("unknown").GetInt32()))
            .ToArray();
        var lastUnanswered = seconds.Where(s => s.Second >= killSecond && s.Unanswered > 0).Select(s => s.Second).DefaultIfEmpty(killSecond).Max();
        var recoveredAt = seconds.Where(s => s.Second >= lastUnanswered && s.Ok > 0 && s.Unanswered == 0).Select(s => s.Second).DefaultIfEmpty(seconds[^1].Second).Min();
        var before = seconds.Where(s => s.Second < killSecond).ToArray();
        var after = seconds.Where(s => s.Second > recoveredAt).ToArray();
        return new ClusterFigures(
            detection,
            Math.Max(0, recoveredAt - killSecond),
            before.Length == 0 ? 0 : before.Sum(s => s.Answered) / (double)before.Length,
            after.Length == 0 ? 0 : after.Sum(s => s.Answered) / (double)after.Length,
            seconds.Sum(s => s.Unanswered));
    }

    public override string ToString() =>
        $"dead silo detected by the survivors in {Detection.TotalSeconds:0.0} s; the simulation's calls succeeded again {Recovery:0} s after the kill "
        + $"({Unanswered} call(s) went unanswered); {OperationsPerSecondBefore:0.0} operations/s before the kill, {OperationsPerSecondAfter:0.0} after recovery";
}
