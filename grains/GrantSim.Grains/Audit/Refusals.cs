using GrantSim.Aws;

namespace GrantSim.Audit;

/// <summary>
/// A step that AWS may refuse, whose refusal belongs in a trail: the one place the pattern
/// "record the refusal, then let it go on to the caller" is written.
/// </summary>
public static class Refusals
{
    /// <summary>Runs <paramref name="step"/>; when it is refused, <paramref name="record"/> puts the refusal in a trail before the refusal goes on.</summary>
    public static async Task<T> Recorded<T>(Func<Task<T>> step, Func<AwsServiceException, Task> record)
    {
        try
        {
            return await step();
        }
        catch (AwsServiceException error)
        {
            await record(error);
            throw;
        }
    }

    /// <inheritdoc cref="Recorded{T}(Func{Task{T}}, Func{AwsServiceException, Task})"/>
    public static Task<T> Recorded<T>(Func<T> step, Func<AwsServiceException, Task> record) =>
        Recorded(() => Task.FromResult(step()), record);
}
