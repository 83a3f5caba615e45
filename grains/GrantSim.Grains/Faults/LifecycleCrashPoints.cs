namespace GrantSim.Faults;

/// <summary>
/// The points between the persisted steps of a lifecycle expiry: the expiry decided and stored (the images are
/// gone from the repository's state), then recorded in the trail, then the objects removed from storage.
/// Not in <see cref="CrashPoints.All"/>: the crash-point property's workloads put no lifecycle policy, so
/// they would never pass these; the lifecycle crash tests arm them at the exact places instead.
/// </summary>
public static class LifecycleCrashPoints
{
    public const string ExpiryDecided = "ecr.lifecycle.expiry-decided";
    public const string ExpiryRecorded = "ecr.lifecycle.expiry-recorded";
    public const string ObjectsDeleted = "ecr.lifecycle.objects-deleted";
}
