using GrantSim.Aws;

namespace GrantSim.Ecr;

/// <summary>
/// The lifecycle policy transitions of a repository's state. The policy is evaluated on the simulated clock
/// every <see cref="EvaluationInterval"/> from the moment it is put (ECR: "within 24 hours"; GrantSim takes
/// the whole 24 hours, then every 24 hours), as of each of those instants: evaluations that fell due while
/// nobody called are caught up, one after another, on the repository's next call (<see cref="CatchUp"/>).
/// </summary>
public static class LifecyclePolicies
{
    public static readonly TimeSpan EvaluationInterval = TimeSpan.FromHours(24);

    public static LifecycleSettings SettingsOf(RepositoryState state) => state.Lifecycle ?? LifecycleSettings.None;

    public static RepositoryState Put(RepositoryState state, string policyText, DateTimeOffset now)
    {
        LifecyclePolicyParser.Parse(policyText);
        return state with { Lifecycle = SettingsOf(state) with { PolicyText = policyText, InEffectSince = now } };
    }

    public static LifecyclePolicyDescription Describe(RepositoryState state, string account, string name)
    {
        var settings = SettingsOf(state);
        return settings.PolicyText is { } text
            ? new LifecyclePolicyDescription(text, settings.LastEvaluatedAt)
            : throw new AwsServiceException(AwsErrorCodes.LifecyclePolicyNotFound,
                $"Lifecycle policy does not exist for the repository with name '{name}' in the registry with id '{account}'");
    }

    public static RepositoryState Delete(RepositoryState state, string account, string name)
    {
        Describe(state, account, name);
        return state with { Lifecycle = SettingsOf(state) with { PolicyText = null } };
    }

    /// <summary>Evaluates a policy (the given text, or the repository's own) against the images as they are now. Expires nothing: only the preview is kept.</summary>
    public static RepositoryState StartPreview(RepositoryState state, string? policyText, string account, string name, DateTimeOffset now)
    {
        var text = policyText ?? Describe(state, account, name).PolicyText;
        var results = LifecyclePolicyEvaluator.Evaluate(LifecyclePolicyParser.Parse(text), ImagesOf(state), now);
        return state with { Lifecycle = SettingsOf(state) with { Preview = new LifecyclePolicyPreview(text, LifecyclePreviewStatus.Complete, results) } };
    }

    public static LifecyclePolicyPreview Preview(RepositoryState state, string account, string name) =>
        SettingsOf(state).Preview
            ?? throw new AwsServiceException(AwsErrorCodes.LifecyclePolicyPreviewNotFound,
                $"Lifecycle policy preview does not exist for the repository with name '{name}' in the registry with id '{account}'");

    /// <summary>The instants at which the policy was due to run after its last run, up to <paramref name="now"/>.</summary>
    public static IEnumerable<DateTimeOffset> DueEvaluations(LifecycleSettings settings, DateTimeOffset now)
    {
        if (settings.PolicyText is null)
        {
            yield break;
        }

        var since = settings.InEffectSince;
        var step = 1L;
        if (settings.LastEvaluatedAt is { } last && last >= since)
        {
            step = ((last - since).Ticks / EvaluationInterval.Ticks) + 1;
        }

        for (var at = since + (EvaluationInterval * step); at <= now; at += EvaluationInterval)
        {
            yield return at;
        }
    }

    /// <summary>
    /// Runs every evaluation that has fallen due, in order, each on the images the previous ones left. Null when
    /// nothing is due (or an expiry is still unfinished). Otherwise the next state: the expired images and their
    /// tags removed, the blobs that only they referenced removed, the last evaluation's time, and (when anything
    /// expired) the pending expiry that says which objects must leave storage.
    /// </summary>
    public static RepositoryState? CatchUp(RepositoryState state, DateTimeOffset now)
    {
        var settings = SettingsOf(state);
        if (state.Status != RepositoryStatus.Active || settings.Pending is not null || settings.PolicyText is null)
        {
            return null;
        }

        var due = DueEvaluations(settings, now).ToArray();
        if (due.Length == 0)
        {
            return null;
        }

        var policy = LifecyclePolicyParser.Parse(settings.PolicyText);
        var remaining = ImagesOf(state).ToDictionary(i => i.Digest, StringComparer.Ordinal);
        var expired = new List<LifecycleExpiration>();
        foreach (var at in due)
        {
            foreach (var expiration in LifecyclePolicyEvaluator.Evaluate(policy, remaining.Values, at))
            {
                remaining.Remove(expiration.ImageDigest);
                expired.Add(expiration);
            }
        }

        var next = Expire(state, expired.Select(e => e.ImageDigest).ToArray(), out var blobs);
        var pending = expired.Count == 0 ? null : new PendingLifecycleExpiry(expired, expired.Select(e => e.ImageDigest).ToArray(), blobs, Recorded: false);
        return next with { Lifecycle = settings with { LastEvaluatedAt = due[^1], Pending = pending } };
    }

    public static RepositoryState RecordTrailWritten(RepositoryState state) =>
        state with { Lifecycle = SettingsOf(state) with { Pending = PendingOf(state) with { Recorded = true } } };

    public static RepositoryState CompleteExpiry(RepositoryState state)
    {
        PendingOf(state);
        return state with { Lifecycle = SettingsOf(state) with { Pending = null } };
    }

    public static PendingLifecycleExpiry PendingOf(RepositoryState state) =>
        SettingsOf(state).Pending ?? throw new InvalidOperationException("No lifecycle expiry is pending.");

    /// <summary>The repository's images with their tags, as the evaluator sees them.</summary>
    public static IEnumerable<LifecycleImage> ImagesOf(RepositoryState state)
    {
        var tagsByDigest = state.Tags.GroupBy(t => t.Value, t => t.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        return state.Images.Values.Select(i => new LifecycleImage(i.ManifestDigest, tagsByDigest.GetValueOrDefault(i.ManifestDigest) ?? [], i.PushedAt));
    }

    /// <summary>
    /// Removes the images, their tags, and the blobs they referenced that no remaining image references. Blobs no
    /// image ever referenced (a push under way has uploaded them, its manifest is still to come) stay.
    /// </summary>
    public static RepositoryState Expire(RepositoryState state, IReadOnlyCollection<string> digests, out IReadOnlyList<string> orphanedBlobs)
    {
        var gone = digests.ToHashSet(StringComparer.Ordinal);
        var images = state.Images.RemoveRange(gone);
        var stillReferenced = images.Values.SelectMany(References).ToHashSet(StringComparer.Ordinal);
        orphanedBlobs = state.Images.Values.Where(i => gone.Contains(i.ManifestDigest)).SelectMany(References)
            .Where(d => state.Blobs.ContainsKey(d) && !stillReferenced.Contains(d))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return state with
        {
            Images = images,
            Tags = state.Tags.RemoveRange(state.Tags.Where(t => gone.Contains(t.Value)).Select(t => t.Key)),
            Blobs = state.Blobs.RemoveRange(orphanedBlobs),
        };
    }

    private static IEnumerable<string> References(ImageEntry image) =>
        image.ConfigDigest is { } config ? image.LayerDigests.Append(config) : image.LayerDigests;
}
