namespace GrantSim.Faults;

/// <summary>
/// The named points between the persisted steps of every multi-step operation — where a silo dying,
/// or a write failing, must never lose acknowledged work or leave a change without its record (in
/// the spirit of FoundationDB's "buggify"). Grains announce each point as they pass it
/// (<see cref="ICrashPoints.ReachAsync"/>); a test arms one to crash the activation there, fail the
/// write there, or hold the call there. Unarmed, a point costs one interface call that returns at once.
/// </summary>
public static class CrashPoints
{
    // A grant change (CreateGrant, RetireGrant, RevokeGrant): the page written with the record in its outbox,
    // then the record appended to the trail, then the outbox cleared, then the answer.
    public const string GrantChangeStored = "kms.grant-change.stored";
    public const string GrantChangeRecorded = "kms.grant-change.recorded";
    public const string GrantChangeCleared = "kms.grant-change.cleared";

    // A crypto call (Encrypt, Decrypt, GenerateDataKey): decided, then its record appended (group commit), then answered.
    public const string CryptoDecided = "kms.crypto.decided";
    public const string CryptoRecorded = "kms.crypto.recorded";

    // A key state change: stored, then recorded.
    public const string KeyStateStored = "kms.key-state.stored";

    // The trail: an append's write (a failure here is the trail's storage failing); a full page written whole,
    // then the page number moved past it, then the page's per-append records removed.
    public const string TrailAppendWriting = "audit.append.writing";
    public const string TrailPageWritten = "audit.page.written";
    public const string TrailPageMoved = "audit.page.moved";

    // A KMS repository's create: begun, each grant recorded, registered by name, then complete.
    public const string CreateBegun = "ecr.create.begun";
    public const string CreateGrantRecorded = "ecr.create.grant-recorded";
    public const string CreateRegistered = "ecr.create.registered";

    // A failed create's rollback: begun, each grant retired, then unregistered.
    public const string RollbackBegun = "ecr.rollback.begun";
    public const string RollbackGrantRetired = "ecr.rollback.grant-retired";

    // A delete: begun, objects deleted, each grant settled, all settled, unregistered, then complete.
    public const string DeleteBegun = "ecr.delete.begun";
    public const string DeleteObjectsDeleted = "ecr.delete.objects-deleted";
    public const string DeleteGrantSettled = "ecr.delete.grant-settled";
    public const string DeleteGrantsSettled = "ecr.delete.grants-settled";
    public const string DeleteUnregistered = "ecr.delete.unregistered";

    // A push: a layer's sealed object stored, then the repository records it; a manifest's likewise.
    public const string BlobObjectStored = "ecr.upload.object-stored";
    public const string ManifestObjectStored = "ecr.put-image.object-stored";

    // Replication (not in All: the simulation's workload configures no replication, so it never passes them; the cluster
    // tests arm them): a push's outbox entries stored before its image; a delivery's outcome recorded in the source.
    public const string ReplicationQueued = "ecr.replication.queued";
    public const string ReplicationRecorded = "ecr.replication.recorded";

    public static IReadOnlyList<string> All { get; } =
    [
        GrantChangeStored, GrantChangeRecorded, GrantChangeCleared, CryptoDecided, CryptoRecorded, KeyStateStored,
        TrailAppendWriting, TrailPageWritten, TrailPageMoved,
        CreateBegun, CreateGrantRecorded, CreateRegistered, RollbackBegun, RollbackGrantRetired,
        DeleteBegun, DeleteObjectsDeleted, DeleteGrantSettled, DeleteGrantsSettled, DeleteUnregistered,
        BlobObjectStored, ManifestObjectStored,
    ];
}

/// <summary>Where a grain stands when it announces a point: which point, and which activation (for a crash).</summary>
public sealed record CrashPointContext(string Point, IGrainContext Activation);

/// <summary>The grains' view of the crash points: announce each as it is passed.</summary>
public interface ICrashPoints
{
    ValueTask ReachAsync(string point, IGrainContext activation);
}

/// <summary>No point armed: what every silo has unless a test gives it an armed set.</summary>
public sealed class NoCrashPoints : ICrashPoints
{
    public static NoCrashPoints Instance { get; } = new();

    public ValueTask ReachAsync(string point, IGrainContext activation) => default;
}
