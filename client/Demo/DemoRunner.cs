using GrantSim.Aws;

namespace GrantSim.Client.Demo;

/// <summary>
/// Runs lessons step by step: notes where each trail ends, runs the step, and collects what it
/// caused (the new audit events, the grants of the key the lesson is about). A refused call is a
/// result like any other; whether it was the lesson's point is <see cref="StepRecord.AsTaught"/>.
/// </summary>
public sealed class DemoRunner(DemoSession session)
{
    public async Task<StepRecord> RunStepAsync(Lesson lesson, int number)
    {
        var step = lesson.Steps[number - 1];
        var before = await session.TrailPositionsAsync();
        string result;
        var refused = false;
        try
        {
            result = await step.Action(session);
        }
        catch (AwsServiceException error)
        {
            refused = true;
            result = $"{(error.KmsError is { } kmsError ? $"{error.ErrorCode} ({kmsError})" : error.ErrorCode)}: {error.Message}";
        }

        var events = await session.EventsSinceAsync(before);
        var grants = await session.LessonGrantsAsync();
        return new StepRecord(lesson, number, step, refused, result, events, grants);
    }

    /// <summary>The lessons to run: all of them, or the one <paramref name="only"/> names.</summary>
    public static IReadOnlyList<Lesson> Select(int? only) =>
        only is null ? Lessons.All
        : Lessons.All.Where(l => l.Number == only).ToArray() is { Length: 1 } one ? one
        : throw new ArgumentOutOfRangeException(nameof(only), only, $"There are lessons 1 to {Lessons.All.Count}.");
}
