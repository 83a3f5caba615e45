using GrantSim.Aws;

namespace GrantSim.Client.Histories;

/// <summary>A repository as its history sees it: whether it exists, and the manifest digests it holds (sorted, comma-separated).</summary>
public sealed record RepositoryModelState(bool Exists, string Images)
{
    public static RepositoryModelState Absent { get; } = new(false, "");

    public bool Holds(string digest) => Images.Length > 0 && Images.Split(',').Contains(digest, StringComparer.Ordinal);

    public RepositoryModelState With(string digest) =>
        Holds(digest) ? this : this with { Images = string.Join(',', Images.Split(',', StringSplitOptions.RemoveEmptyEntries).Append(digest).Order(StringComparer.Ordinal)) };

    public RepositoryModelState Without(string digest) =>
        this with { Images = string.Join(',', Images.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(i => i != digest)) };

    /// <summary>What <see cref="HistoryRecorder.Observe"/> records for a repository.</summary>
    public static string Observation(bool exists, IEnumerable<string> images) =>
        exists ? "present:" + string.Join(',', images.Order(StringComparer.Ordinal)) : "absent";
}

/// <summary>
/// The sequential ECR repository: a create succeeds only on a free name and makes it empty; a delete
/// removes it (with its images only when forced); a push adds its manifest; a pull finds exactly what
/// was pushed since the create. Failures that are not about the name or its images (KMS errors,
/// access denied, invalid parameters) change nothing and are possible in any state. A lifecycle expiry removes one
/// image it holds.
/// </summary>
public sealed class RepositoryModel : IHistoryModel<RepositoryModelState>
{
    public static RepositoryModel Instance { get; } = new();

    public RepositoryModelState Initial => RepositoryModelState.Absent;

    public string Describe(RepositoryModelState state) =>
        state.Exists ? $"exists with {(state.Images.Length == 0 ? "no images" : state.Images.Split(',').Length + " image(s)")}" : "absent";

    public IEnumerable<RepositoryModelState> Step(RepositoryModelState state, HistoryEntry operation)
    {
        var effect = Effect(state, operation);
        if (operation.IsUnknown)
        {
            // No answer: placed only where it takes effect; that it did not is the checker's leaving it out.
            if (effect is { } happened && happened != state)
            {
                yield return happened;
            }

            yield break;
        }

        switch (operation.Operation)
        {
            case HistoryOperations.CreateRepository:
                if (operation.Outcome == HistoryEntry.Ok)
                {
                    if (!state.Exists)
                    {
                        yield return effect!;
                    }
                }
                else if (operation.Outcome == AwsErrorCodes.RepositoryAlreadyExists)
                {
                    if (state.Exists)
                    {
                        yield return state;
                    }
                }
                else
                {
                    yield return state;
                }

                break;
            case HistoryOperations.DeleteRepository:
                if (operation.Outcome is HistoryEntry.Ok or HistoryOperations.DeletedLeavingGrants)
                {
                    if (effect is { Exists: false })
                    {
                        yield return effect;
                    }
                }
                else if (operation.Outcome == AwsErrorCodes.RepositoryNotFound)
                {
                    if (!state.Exists)
                    {
                        yield return state;
                    }
                }
                else if (operation.Outcome == AwsErrorCodes.RepositoryNotEmpty)
                {
                    if (state.Exists && state.Images.Length > 0 && operation.Argument != HistoryOperations.Force)
                    {
                        yield return state;
                    }
                }
                else
                {
                    yield return state;
                }

                break;
            case HistoryOperations.PushImage:
                if (operation.Outcome == HistoryEntry.Ok)
                {
                    if (state.Exists)
                    {
                        yield return effect!;
                    }
                }
                else if (operation.Outcome == AwsErrorCodes.RepositoryNotFound)
                {
                    if (!state.Exists)
                    {
                        yield return state;
                    }
                }
                else
                {
                    yield return state;
                }

                break;
            case HistoryOperations.PullImage:
                var expected = !state.Exists ? AwsErrorCodes.RepositoryNotFound : state.Holds(operation.Argument) ? HistoryEntry.Ok : AwsErrorCodes.ImageNotFound;
                if (operation.Outcome == expected
                    || operation.Outcome is not (HistoryEntry.Ok or AwsErrorCodes.RepositoryNotFound or AwsErrorCodes.ImageNotFound))
                {
                    yield return state;
                }

                break;
            case HistoryOperations.ExpireImage:
                // Never answered (see IsUnknown above); an answered one would mean the expiry was seen to happen.
                if (effect is not null)
                {
                    yield return effect;
                }

                break;
            case HistoryOperations.Observe:
                if (RepositoryModelState.Observation(state.Exists, state.Images.Split(',', StringSplitOptions.RemoveEmptyEntries)) == operation.Argument)
                {
                    yield return state;
                }

                break;
            default:
                throw new ArgumentException($"'{operation.Operation}' is not a repository operation.", nameof(operation));
        }
    }

    /// <summary>The state the operation leaves if it takes effect; null when it cannot from here.</summary>
    private static RepositoryModelState? Effect(RepositoryModelState state, HistoryEntry operation) => operation.Operation switch
    {
        HistoryOperations.CreateRepository => state.Exists ? null : new RepositoryModelState(true, ""),
        HistoryOperations.DeleteRepository => state.Exists && (operation.Argument == HistoryOperations.Force || state.Images.Length == 0) ? RepositoryModelState.Absent : null,
        HistoryOperations.PushImage => state.Exists ? state.With(operation.Argument) : null,
        HistoryOperations.ExpireImage => state.Exists && state.Holds(operation.Argument) ? state.Without(operation.Argument) : null,
        _ => null,
    };
}
