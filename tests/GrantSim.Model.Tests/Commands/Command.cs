using System.Collections.Immutable;
using GrantSim.Model.Tests.Model;

namespace GrantSim.Model.Tests.Commands;

/// <summary>
/// One step of a generated scenario. Commands name things symbolically (an index into what
/// exists when they run), so removing commands while shrinking never makes a sequence invalid.
/// </summary>
public abstract record Command
{
    protected static string Where(int account, int region) => $"acct{account} {Facts.Regions[region]}";
}

/// <summary>The account root creates a key; an <see cref="External"/> one (Origin EXTERNAL) gets its material imported at once.</summary>
public sealed record CreateKey(int Account, int Region, bool External = false) : Command
{
    public override string ToString() => $"CreateKey {Where(Account, Region)}{(External ? " with imported material" : "")}";
}

public sealed record CreateRepository(int Account, int Region, string Name, ModelEncryption Encryption, KeyPick Key, Principal As) : Command
{
    public override string ToString() => $"CreateRepository {Where(Account, Region)} '{Name}' {Encryption} {Key} as {As}";
}

public sealed record PushImage(int Account, int Region, string Name, int PushId, Principal As) : Command
{
    public override string ToString() => $"PushImage {Where(Account, Region)} '{Name}' image#{PushId} as {As}";
}

/// <summary>Pulls the repository's image at <see cref="ImageIndex"/> (of those it holds when the command runs), or, when <see cref="Missing"/> or it has none, an image never pushed.</summary>
public sealed record PullImage(int Account, int Region, string Name, int ImageIndex, bool Missing, Principal As) : Command
{
    public override string ToString() => $"PullImage {Where(Account, Region)} '{Name}' {(Missing ? "an unknown image" : $"image#{ImageIndex} of the repository")} as {As}";
}

public sealed record DeleteRepository(int Account, int Region, string Name, bool Force, Principal As) : Command
{
    public override string ToString() => $"DeleteRepository {Where(Account, Region)} '{Name}'{(Force ? " force" : "")} as {As}";
}

public sealed record CreateGrant(int Account, int Region, KeyPick Key, Principal Grantee, ImmutableArray<string> Operations, string? Team, string? Name, Principal? Retiring, Principal As) : Command
{
    public override string ToString() =>
        $"CreateGrant {Where(Account, Region)} {Key} to {Grantee} [{string.Join(",", Operations)}]{(Team is null ? "" : $" team={Team}")}{(Name is null ? "" : $" name={Name}")}{(Retiring is null ? "" : $" retiring={Retiring}")} as {As}";
}

/// <summary>
/// The grantee of a grant calls <see cref="Operation"/> on the grant's key: GenerateDataKey, Decrypt of a
/// ciphertext made under the key with the same context, or ReEncrypt of it to the same key and context
/// (ReEncryptFrom and ReEncryptTo both needed).
/// </summary>
public sealed record UseGrant(int Account, int Region, GrantPick Grant, string Operation, bool WithToken, string Team) : Command
{
    public override string ToString() => $"UseGrant {Where(Account, Region)} {Grant} {Operation} team={Team}{(WithToken ? " with token" : "")}";
}

/// <summary>A key administrator finds every grant naming a repository (by the ARN in its constraint) on its key, and revokes them.</summary>
public sealed record RevokeRepositoryGrants(int Account, int Region, string Name, Principal As) : Command
{
    public override string ToString() => $"RevokeRepositoryGrants {Where(Account, Region)} '{Name}' as {As}";
}

/// <summary><see cref="As"/> calls <see cref="Operation"/> (GenerateDataKey, or Decrypt of the key's ciphertext for the team) on the key directly, allowed by policy alone (no grant token).</summary>
public sealed record UseKey(int Account, int Region, KeyPick Key, string Operation, string Team, Principal As) : Command
{
    public override string ToString() => $"UseKey {Where(Account, Region)} {Key} {Operation} team={Team} as {As}";
}

public sealed record ListGrants(int Account, int Region, KeyPick Key, Principal As) : Command
{
    public override string ToString() => $"ListGrants {Where(Account, Region)} {Key} as {As}";
}

public sealed record RetireGrant(int Account, int Region, GrantPick Grant, bool ByToken, Principal As) : Command
{
    public override string ToString() => $"RetireGrant {Where(Account, Region)} {Grant} by {(ByToken ? "token" : "id")} as {As}";
}

public sealed record RevokeGrant(int Account, int Region, GrantPick Grant, Principal As) : Command
{
    public override string ToString() => $"RevokeGrant {Where(Account, Region)} {Grant} as {As}";
}

public sealed record ChangeKeyState(int Account, int Region, KeyPick Key, KeyChange Change, int Days, Principal As) : Command
{
    public override string ToString() => $"{Change}{(Change == KeyChange.ScheduleDeletion ? $"({Days} days)" : "")} {Where(Account, Region)} {Key} as {As}";
}

public sealed record AdvanceClock(TimeSpan By) : Command
{
    public override string ToString() => $"AdvanceClock {By}";
}

public sealed record SetFault(int Account, int Region, string Operation, string ErrorCode, Principal? Principal) : Command
{
    public override string ToString() => $"SetFault acct{Account} {Operation} -> {ErrorCode}{(Principal is null ? "" : $" for {Principal} in {Facts.Regions[Region]}")}";
}

public sealed record ClearFaults(int Account) : Command
{
    public override string ToString() => $"ClearFaults acct{Account}";
}

public sealed record SetPropagationDelay(int Account, int Seconds) : Command
{
    public override string ToString() => $"SetPropagationDelay acct{Account} {Seconds}s";
}

public sealed record KillSilo(int Which) : Command
{
    public override string ToString() => $"KillSilo #{Which} (and start a new one)";
}

/// <summary>
/// A push of image#<see cref="PushId"/> under a tag several pushes share (<see cref="Picks.SharedTags"/>), so that a
/// push may move a tag from one image to another, which an immutable tag refuses.
/// </summary>
public sealed record PushTagged(int Account, int Region, string Name, int PushId, string Tag, Principal As) : Command
{
    public override string ToString() => $"PushTagged {Where(Account, Region)} '{Name}' image#{PushId}:{Tag} as {As}";
}

/// <summary>PutImageTagMutability; the two "with exclusion" settings take the one filter <see cref="Picks.ExclusionFilter"/>.</summary>
public sealed record SetTagMutability(int Account, int Region, string Name, TagMode Mode, Principal As) : Command
{
    public override string ToString() => $"SetTagMutability {Where(Account, Region)} '{Name}' {Mode}{(Mode is TagMode.ImmutableWithExclusion or TagMode.MutableWithExclusion ? $" except '{Picks.ExclusionFilter}'" : "")} as {As}";
}

/// <summary>SetRepositoryPolicy allowing account <see cref="Grantee"/> (its root, so its principals as their identity policies allow) to pull; or, when <see cref="Delete"/>, DeleteRepositoryPolicy.</summary>
public sealed record SetRepositoryPolicy(int Account, int Region, string Name, int Grantee, bool Delete, Principal As) : Command
{
    public override string ToString() => Delete
        ? $"DeleteRepositoryPolicy {Where(Account, Region)} '{Name}' as {As}"
        : $"SetRepositoryPolicy {Where(Account, Region)} '{Name}' lets acct{Grantee} pull as {As}";
}

/// <summary><see cref="As"/> of account <see cref="Puller"/> pulls from account <see cref="Account"/>'s repository (its registry named explicitly), as <see cref="PullImage"/> picks the image.</summary>
public sealed record PullAcrossAccounts(int Account, int Region, string Name, int ImageIndex, int Puller, Principal As) : Command
{
    public override string ToString() => $"PullAcrossAccounts {Where(Account, Region)} '{Name}' image#{ImageIndex} of the repository as {As} of acct{Puller}";
}

/// <summary>PutReplicationConfiguration of the registry of an account and region: one rule, every repository, to <see cref="Destinations"/> (empty: no replication).</summary>
public sealed record PutReplication(int Account, int Region, ImmutableArray<ModelDestination> Destinations, Principal As) : Command
{
    public override string ToString() =>
        $"PutReplication {Where(Account, Region)} -> [{string.Join(", ", Destinations.Select(d => $"acct{d.Account} {Facts.Regions[d.Region]}"))}] as {As}";
}

/// <summary>PutRegistryPolicy letting account <see cref="Source"/> replicate into this registry (ecr:ReplicateImage, and ecr:CreateRepository when <see cref="Create"/>); or, when <see cref="Delete"/>, DeleteRegistryPolicy.</summary>
public sealed record SetRegistryPolicy(int Account, int Region, int Source, bool Create, bool Delete, Principal As) : Command
{
    public override string ToString() => Delete
        ? $"DeleteRegistryPolicy {Where(Account, Region)} as {As}"
        : $"PutRegistryPolicy {Where(Account, Region)} lets acct{Source} replicate{(Create ? " and create repositories" : "")} as {As}";
}

/// <summary>PutLifecyclePolicy: one rule over every image, <c>imageCountMoreThan</c> or <c>sinceImagePushed</c> (days) <see cref="Number"/>.</summary>
public sealed record PutLifecyclePolicy(int Account, int Region, string Name, LifecycleKind Kind, int Number, Principal As) : Command
{
    public override string ToString() => $"PutLifecyclePolicy {Where(Account, Region)} '{Name}' expire {(Kind == LifecycleKind.CountMoreThan ? $"beyond the {Number} newest" : $"older than {Number} days")} as {As}";
}
