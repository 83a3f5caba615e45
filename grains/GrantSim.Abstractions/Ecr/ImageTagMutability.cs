namespace GrantSim.Ecr;

/// <summary>
/// Whether a repository lets a tag move to another image. The wire names are MUTABLE, IMMUTABLE,
/// IMMUTABLE_WITH_EXCLUSION and MUTABLE_WITH_EXCLUSION (see <see cref="ImageTagMutabilities"/>); the two
/// "with exclusion" settings flip the rule for the tags their exclusion filters match.
/// </summary>
public enum ImageTagMutability
{
    Mutable,
    Immutable,
    ImmutableWithExclusion,
    MutableWithExclusion,
}
