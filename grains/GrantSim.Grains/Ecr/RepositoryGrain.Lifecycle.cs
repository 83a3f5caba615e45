using GrantSim.Audit;
using GrantSim.Faults;
using GrantSim.Grains;
using GrantSim.Identity;

namespace GrantSim.Ecr;

/// <summary>
/// Lifecycle policies: put, get, delete and preview, and the policy's evaluations on the simulated clock.
/// Evaluations fall due every 24 hours after the policy is put (<see cref="LifecyclePolicies"/>); whatever
/// fell due is caught up before the repository serves its next call (and when its reminder fires), so
/// what any caller sees is what ECR would show by then. An expiry is three persisted steps: decided (the
/// images leave the state and the pending expiry names the objects), recorded in the trail, then the
/// objects deleted from storage; a crash between them is finished on the next call or by the reminder.
/// </summary>
public sealed partial class RepositoryGrain : IRepositoryLifecyclePolicyGrain
{
    public Task<LifecyclePolicyDescription> PutLifecyclePolicy(CallerIdentity caller, string policyText) =>
        AuditedLifecycleCall(caller, EcrOperations.PutLifecyclePolicy, async () =>
        {
            await Save(LifecyclePolicies.Put(Repository, policyText, clock.UtcNow));
            return new LifecyclePolicyDescription(policyText, null);
        });

    public Task<LifecyclePolicyDescription> GetLifecyclePolicy(CallerIdentity caller) =>
        AuditedLifecycleCall(caller, EcrOperations.GetLifecyclePolicy, () => Task.FromResult(LifecyclePolicies.Describe(Repository, _account, _name)));

    public Task<LifecyclePolicyDescription> DeleteLifecyclePolicy(CallerIdentity caller) =>
        AuditedLifecycleCall(caller, EcrOperations.DeleteLifecyclePolicy, async () =>
        {
            var deleted = LifecyclePolicies.Describe(Repository, _account, _name);
            await Save(LifecyclePolicies.Delete(Repository, _account, _name));
            return deleted;
        });

    public Task<LifecyclePolicyPreview> StartLifecyclePolicyPreview(CallerIdentity caller, string? policyText) =>
        AuditedLifecycleCall(caller, EcrOperations.StartLifecyclePolicyPreview, async () =>
        {
            await Save(LifecyclePolicies.StartPreview(Repository, policyText, _account, _name, clock.UtcNow));
            return LifecyclePolicies.Preview(Repository, _account, _name);
        });

    public Task<LifecyclePolicyPreview> GetLifecyclePolicyPreview(CallerIdentity caller) =>
        AuditedLifecycleCall(caller, EcrOperations.GetLifecyclePolicyPreview, () => Task.FromResult(LifecyclePolicies.Preview(Repository, _account, _name)));

    private Task<T> AuditedLifecycleCall<T>(CallerIdentity caller, string operation, Func<Task<T>> action) =>
        Audited(caller, operation, new AuditRequestParameters { RepositoryName = _name }, () => ActiveOperation(caller, operation, action));

    /// <summary>Runs the evaluations that fell due and finishes an expiry a crash interrupted (part of finishing pending work).</summary>
    private async Task ApplyDueLifecyclePolicy()
    {
        if (Repository.Lifecycle?.Pending is null)
        {
            var next = LifecyclePolicies.CatchUp(Repository, clock.UtcNow);
            if (next is null)
            {
                return;
            }

            if (next.Lifecycle?.Pending is not null)
            {
                await EnsureReminder();
            }

            await Save(next);
            if (next.Lifecycle?.Pending is null)
            {
                return;
            }

            await Passed(LifecycleCrashPoints.ExpiryDecided);
        }

        await FinishLifecycleExpiry();
    }

    private async Task FinishLifecycleExpiry()
    {
        var pending = LifecyclePolicies.PendingOf(Repository);
        if (!pending.Recorded)
        {
            await auditWriter.Record(pending.Expired.Select(PolicyExecutionEvent).ToArray());
            await Save(LifecyclePolicies.RecordTrailWritten(Repository));
            await Passed(LifecycleCrashPoints.ExpiryRecorded);
        }

        // Deleting an object already gone is a no-op, so a resumed step deletes them all again.
        await Task.WhenAll(pending.ManifestDigests.Select(d => _objects.Delete(Repository, StoredObjectKind.Manifest, d))
            .Concat(pending.BlobDigests.Select(d => _objects.Delete(Repository, StoredObjectKind.Blob, d))));
        await Passed(LifecycleCrashPoints.ObjectsDeleted);
        await Save(LifecyclePolicies.CompleteExpiry(Repository));
        if (!Repository.HasPendingWork)
        {
            await ClearReminder();
        }
    }

    /// <summary>
    /// The trail's record of one expired image: ECR's PolicyExecutionEvent, by ECR itself, at the evaluation's time.
    /// (ECR puts up to ten images in one event's serviceEventDetails; GrantSim's trail records one event per image.)
    /// </summary>
    private AuditEvent PolicyExecutionEvent(LifecycleExpiration expired) =>
        AuditEvents.Ecr(EcrOperations.PolicyExecutionEvent, _region, _account, Ecr, expired.EvaluatedAt,
            new AuditRequestParameters { RepositoryName = _name, ImageDigest = expired.ImageDigest, ImageTag = expired.ImageTags.FirstOrDefault() },
            RepositoryArn);
}
