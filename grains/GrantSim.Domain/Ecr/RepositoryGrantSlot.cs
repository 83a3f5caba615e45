namespace GrantSim.Ecr;

/// <summary>
/// One of the repository's grants as ECR tracks it through create and delete. The token is kept
/// (ECR presents it on every KMS call, which also bypasses grant propagation delay); it never
/// leaves the repository grain.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.RepositoryGrantSlot")]
public sealed record RepositoryGrantSlot(
    [property: Id(0)] RepositoryGrantRole Role,
    [property: Id(1)] string Name,
    [property: Id(2)] string? GrantId,
    [property: Id(3)] string? Token,
    [property: Id(4)] bool Retired,
    [property: Id(5)] string? RetireError)
{
    public RepositoryGrant ToPublic() => new(Role, Name, GrantId, Retired);

    /// <summary>The grant's id, once KMS has answered its CreateGrant (the slots a delete or rollback retires all have one).</summary>
    public string CreatedGrantId => GrantId ?? throw new InvalidOperationException($"The grant slot {Name} has no grant yet.");
}
