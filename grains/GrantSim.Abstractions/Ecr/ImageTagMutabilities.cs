namespace GrantSim.Ecr;

public static class ImageTagMutabilities
{
    public const string Mutable = "MUTABLE";
    public const string Immutable = "IMMUTABLE";
    public const string ImmutableWithExclusion = "IMMUTABLE_WITH_EXCLUSION";
    public const string MutableWithExclusion = "MUTABLE_WITH_EXCLUSION";

    /// <summary>The one filter type the model has for exclusion filters (and for scanning repository filters).</summary>
    public const string Wildcard = "WILDCARD";

    public static string ToWire(this ImageTagMutability mutability) => mutability switch
    {
        ImageTagMutability.Mutable => Mutable,
        ImageTagMutability.Immutable => Immutable,
        ImageTagMutability.ImmutableWithExclusion => ImmutableWithExclusion,
        ImageTagMutability.MutableWithExclusion => MutableWithExclusion,
        _ => throw new ArgumentOutOfRangeException(nameof(mutability), mutability, null),
    };

    public static bool TryParse(string? wire, out ImageTagMutability mutability)
    {
        (var ok, mutability) = wire switch
        {
            Mutable => (true, ImageTagMutability.Mutable),
            Immutable => (true, ImageTagMutability.Immutable),
            ImmutableWithExclusion => (true, ImageTagMutability.ImmutableWithExclusion),
            MutableWithExclusion => (true, ImageTagMutability.MutableWithExclusion),
            _ => (false, ImageTagMutability.Mutable),
        };
        return ok;
    }

    /// <summary>The two settings that take exclusion filters.</summary>
    public static bool HasExclusions(this ImageTagMutability mutability) =>
        mutability is ImageTagMutability.ImmutableWithExclusion or ImageTagMutability.MutableWithExclusion;
}
