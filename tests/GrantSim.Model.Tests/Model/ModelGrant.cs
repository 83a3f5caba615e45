using System.Collections.Immutable;

namespace GrantSim.Model.Tests.Model;

/// <summary>
/// A grant in the model. <see cref="Team"/> is a constraint EncryptionContextSubset {"team": Team};
/// <see cref="Repository"/> the constraint {"aws:ecr:arn": that repository} of ECR's grants.
/// </summary>
public sealed record ModelGrant(
    string Sym,
    string KeySym,
    Principal Grantee,
    Principal? Retiring,
    ImmutableArray<string> Operations,
    string? Team,
    string? Repository,
    string? Name,
    int IssuingAccount,
    DateTimeOffset Created,
    DateTimeOffset? Ended,
    bool HasToken)
{
    public bool Active => Ended is null;

    /// <summary>SPEC §3: a new grant counts after the delay (at once with its token); an ended one until its end has propagated.</summary>
    public bool EffectiveAt(DateTimeOffset now, TimeSpan delay, bool tokenPresented) =>
        (tokenPresented || now >= Created + delay) && (Ended is not { } ended || now < ended + delay);

    public bool SameParameters(ModelGrant other) =>
        Grantee == other.Grantee && Retiring == other.Retiring && Operations.SequenceEqual(other.Operations) && Team == other.Team && Repository == other.Repository;
}
