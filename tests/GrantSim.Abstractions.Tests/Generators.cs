using GrantSim.Kms;
using GrantSim.Tests.Shared;

namespace GrantSim.Abstractions.Tests;

/// <summary>
/// The generators of this test project, registered with
/// <c>[Property(Arbitrary = new[] { typeof(Generators) })]</c>. Strings of a special kind come
/// wrapped in small records so that they never replace FsCheck's own string generator.
/// </summary>
public static class Generators
{
    /// <summary>Twelve decimal digits.</summary>
    public sealed record AccountNumber(string Value)
    {
        public override string ToString() => Value;
    }

    /// <summary>A string that is not an account id: wrong length or a character other than an ASCII digit.</summary>
    public sealed record NotAnAccountNumber(string Value)
    {
        public override string ToString() => Value;
    }

    /// <summary>One ARN field without ':' (partition, service, region or account).</summary>
    public sealed record ArnField(string Value)
    {
        public override string ToString() => Value;
    }

    /// <summary>An encryption context and the same pairs in another order.</summary>
    public sealed record ShuffledContext(IReadOnlyList<(string Key, string Value)> Pairs, IReadOnlyList<(string Key, string Value)> Shuffled);

    /// <summary>Two encryption contexts that differ (a pair added, removed or changed, or a case changed).</summary>
    public sealed record DifferentContexts(EncryptionContext Original, EncryptionContext Other);

    private const string KeyAlphabet = "abcXYZ:_-";
    private const string ValueAlphabet = "abcABC019:/-";

    public static Gen<string> StringOf(string alphabet, int minLength, int maxLength) => ContextChanges.StringOf(alphabet, minLength, maxLength);

    public static Gen<(string Key, string Value)[]> PairsGen() =>
        from pairs in Gen.ArrayOf(Gen.Zip(StringOf(KeyAlphabet, 1, 6), StringOf(ValueAlphabet, 0, 8)))
        select pairs.DistinctBy(p => p.Item1, StringComparer.Ordinal).Select(p => (p.Item1, p.Item2)).ToArray();

    public static Arbitrary<EncryptionContext> EncryptionContexts() =>
        PairsGen().Select(pairs => EncryptionContext.Of(pairs)).ToArbitrary();

    public static Arbitrary<ShuffledContext> ShuffledContexts() =>
        (from pairs in PairsGen()
         from shuffled in Gen.Shuffle(pairs)
         select new ShuffledContext(pairs, shuffled)).ToArbitrary();

    public static Arbitrary<DifferentContexts> DifferentContextPairs() =>
        (from pairs in PairsGen()
         from change in Gen.Choose(0, 4)
         from index in Gen.Choose(0, 100)
         from extra in StringOf(ValueAlphabet, 1, 4)
         let other = ContextChanges.Change(pairs, change, index, extra)
         where other is not null
         select new DifferentContexts(EncryptionContext.Of(pairs), other!))
        .Where(d => !d.Original.Equals(d.Other))
        .ToArbitrary();

    public static Arbitrary<AccountNumber> AccountNumbers() =>
        StringOf("0123456789", 12, 12).Select(s => new AccountNumber(s)).ToArbitrary();

    public static Arbitrary<NotAnAccountNumber> NotAccountNumbers() =>
        Gen.OneOf(
                StringOf("0123456789", 0, 11),
                StringOf("0123456789", 13, 20),
                from digits in StringOf("0123456789", 11, 11)
                from odd in Gen.Elements('a', ' ', '-', '\u0663', '\uff11', 'x')
                from at in Gen.Choose(0, 11)
                select digits.Insert(at, odd.ToString()))
            .Select(s => new NotAnAccountNumber(s))
            .ToArbitrary();

    public static Arbitrary<ArnField> ArnFields() =>
        StringOf("abcdefghij-0123456789/", 1, 12).Select(s => new ArnField(s)).ToArbitrary();
}
