using GrantSim.Aws;
using GrantSim.Kms;
using GrantSim.Tests.Shared;

namespace GrantSim.Domain.Tests;

/// <summary>
/// Every generator of this test project, registered with
/// <c>[Property(Arbitrary = new[] { typeof(Generators) })]</c>. Values of a special kind come wrapped
/// in small records so that they never replace FsCheck's own generators for strings and lists.
/// </summary>
public static class Generators
{
    /// <summary>The same encryption context pairs twice, in two orders.</summary>
    public sealed record ShuffledContext(IReadOnlyList<(string Key, string Value)> Pairs, IReadOnlyList<(string Key, string Value)> Shuffled)
    {
        public EncryptionContext Original => EncryptionContext.Of(Pairs.ToArray());

        public EncryptionContext Reordered => EncryptionContext.Of(Shuffled.ToArray());
    }

    /// <summary>Two encryption contexts that differ: a pair added, removed or changed, or the case of a key or value changed.</summary>
    public sealed record DifferentContexts(EncryptionContext Original, EncryptionContext Other);

    /// <summary>A context and a subset of its pairs.</summary>
    public sealed record ContextWithSubset(EncryptionContext Context, EncryptionContext Subset);

    public sealed record ValidRepositoryName(string Value)
    {
        public override string ToString() => Value;
    }

    public sealed record InvalidRepositoryName(string Value, string Why)
    {
        public override string ToString() => $"{Value} ({Why})";
    }

    /// <summary>A well-formed principal: an account root, IAM user or role, or a service principal.</summary>
    public sealed record Principal(string Value)
    {
        public override string ToString() => Value;
    }

    /// <summary>A non-empty list of grantable operations, possibly with repeats.</summary>
    public sealed record GrantOperations(IReadOnlyList<string> Values)
    {
        public override string ToString() => string.Join(",", Values);
    }

    /// <summary>One cell of the key state table: who manages the key, its state, and an operation.</summary>
    public sealed record KeyCell(KeyManager Manager, KeyState State, string Operation);

    /// <summary>A step applied to a customer managed key.</summary>
    public sealed record KeyCommand(string Operation, int? WindowDays, int AdvanceDays)
    {
        public const string Advance = "Advance";

        public override string ToString() =>
            Operation == Advance ? $"Advance({AdvanceDays}d)" : WindowDays is null ? Operation : $"{Operation}({WindowDays})";
    }

    public sealed record KeyCommands(IReadOnlyList<KeyCommand> Steps)
    {
        public override string ToString() => string.Join("; ", Steps);
    }

    /// <summary>An active grant and the end attempts made on it (status, minutes after creation).</summary>
    public sealed record GrantWithEndAttempts(Grant Grant, IReadOnlyList<(GrantStatus Status, int Minutes)> Attempts);

    /// <summary>A glob pattern and a text over a tiny alphabet, so that matches are frequent.</summary>
    public sealed record GlobCase(string Pattern, string Text)
    {
        public override string ToString() => $"'{Pattern}' ~ '{Text}'";
    }

    public static readonly string[] GrantableOperations =
    [
        KmsOperations.Decrypt, KmsOperations.Encrypt, KmsOperations.GenerateDataKey, KmsOperations.GenerateDataKeyWithoutPlaintext,
        KmsOperations.ReEncryptFrom, KmsOperations.ReEncryptTo, KmsOperations.CreateGrant, KmsOperations.RetireGrant, KmsOperations.DescribeKey,
    ];

    public static readonly string[] KeyOperations =
    [
        KmsOperations.DescribeKey, KmsOperations.ListGrants, KmsOperations.RetireGrant, KmsOperations.RevokeGrant,
        KmsOperations.CreateGrant, KmsOperations.Encrypt, KmsOperations.Decrypt, KmsOperations.GenerateDataKey,
        KmsOperations.GenerateDataKeyWithoutPlaintext, KmsOperations.ReEncryptFrom, KmsOperations.ReEncryptTo,
        KmsOperations.EnableKey, KmsOperations.DisableKey, KmsOperations.ScheduleKeyDeletion, KmsOperations.CancelKeyDeletion,
        KmsOperations.GetKeyPolicy, KmsOperations.PutKeyPolicy, KmsOperations.ListAliases, KmsOperations.CreateAlias,
        KmsOperations.ListRetirableGrants,
    ];

    private const string KeyAlphabet = "abcXYZ:_-";
    private const string ValueAlphabet = "abcABC019:/-";
    private const string NameCharacters = "abcdefghijklmnopqrstuvwxyz0123456789";

    internal static Gen<string> StringOf(string alphabet, int minLength, int maxLength) => ContextChanges.StringOf(alphabet, minLength, maxLength);

    internal static Gen<(string Key, string Value)[]> PairsGen() =>
        from pairs in Gen.ArrayOf(Gen.Zip(StringOf(KeyAlphabet, 1, 6), StringOf(ValueAlphabet, 0, 8)))
        select pairs.DistinctBy(p => p.Item1, StringComparer.Ordinal).Take(8).Select(p => (p.Item1, p.Item2)).ToArray();

    public static Arbitrary<EncryptionContext> EncryptionContexts() =>
        PairsGen().Select(pairs => EncryptionContext.Of(pairs)).ToArbitrary();

    public static Arbitrary<ShuffledContext> ShuffledContexts() =>
        (from pairs in PairsGen()
         from shuffled in Gen.Shuffle(pairs)
         select new ShuffledContext(pairs, shuffled)).ToArbitrary();

    public static Arbitrary<ContextWithSubset> ContextsWithSubset() =>
        (from pairs in PairsGen()
         from subset in Gen.SubListOf((IEnumerable<(string Key, string Value)>)pairs)
         from shuffled in Gen.Shuffle(subset.ToArray())
         select new ContextWithSubset(EncryptionContext.Of(pairs), EncryptionContext.Of(shuffled))).ToArbitrary();

    public static Arbitrary<DifferentContexts> DifferentContextPairs() =>
        (from pairs in PairsGen()
         from change in Gen.Choose(0, 4)
         from index in Gen.Choose(0, 100)
         from extra in StringOf(ValueAlphabet, 1, 4)
         select (pairs, other: ContextChanges.Change(pairs, change, index, extra, maxPairs: 8)))
        .Where(t => t.other is not null && !t.other.Equals(EncryptionContext.Of(t.pairs)))
        .Select(t => new DifferentContexts(EncryptionContext.Of(t.pairs), t.other!))
        .ToArbitrary();

    /// <summary>Names built from the documented grammar: components of [a-z0-9]+ joined by single separators, path segments joined by '/'.</summary>
    internal static Gen<string> ValidRepositoryNameGen()
    {
        var run = StringOf(NameCharacters, 1, 6);
        var component =
            from first in run
            from rest in Gen.ListOf(Gen.Zip(Gen.Elements('.', '_', '-'), run), 3)
            select first + string.Concat(rest.Select(r => r.Item1 + r.Item2));
        return from count in Gen.Choose(1, 4)
               from segments in Gen.ArrayOf(component, count)
               let name = string.Join('/', segments)
               where name.Length >= 2 && name.Length <= 256
               select name;
    }

    public static Arbitrary<ValidRepositoryName> ValidRepositoryNames() =>
        ValidRepositoryNameGen().Select(n => new ValidRepositoryName(n)).ToArbitrary();

    public static Arbitrary<InvalidRepositoryName> InvalidRepositoryNames() =>
        (from name in ValidRepositoryNameGen()
         from how in Gen.Choose(0, 5)
         from at in Gen.Choose(0, 255)
         from upper in Gen.Elements('A', 'Q', 'Z')
         from separator in Gen.Elements(".", "_", "-", "/")
         select how switch
         {
             0 => new InvalidRepositoryName(name.Insert(at % (name.Length + 1), upper.ToString()), "uppercase"),
             1 => new InvalidRepositoryName(separator + name, "leading separator"),
             2 => new InvalidRepositoryName(name + separator, "trailing separator"),
             3 => new InvalidRepositoryName(name.Insert(InsideRun(name, at), separator + separator), "double separator"),
             4 => new InvalidRepositoryName(name[..1], "length 1"),
             _ => new InvalidRepositoryName(name.Insert(at % (name.Length + 1), " "), "space"),
         }).ToArbitrary();

    internal static Gen<string> PrincipalGen() =>
        Gen.OneOf(
            from account in Gen.Elements("111122223333", "444455556666")
            from kind in Gen.Elements("root", "user/alice", "user/bob", "role/ci", "role/deployer")
            select $"arn:aws:iam::{account}:{kind}",
            Gen.Elements(Regions.All.Select(Regions.EcrServicePrincipal).ToArray()));

    public static Arbitrary<Principal> Principals() => PrincipalGen().Select(p => new Principal(p)).ToArbitrary();

    internal static Gen<string[]> GrantOperationsGen() =>
        Gen.NonEmptyListOf(Gen.Elements(GrantableOperations)).Select(ops => ops.ToArray());

    public static Arbitrary<GrantOperations> GrantOperationLists() =>
        GrantOperationsGen().Select(ops => new GrantOperations(ops)).ToArbitrary();

    public static Arbitrary<KeyCell> KeyCells() =>
        (from manager in Gen.Elements(Enum.GetValues<KeyManager>())
         from state in Gen.Elements(Enum.GetValues<KeyState>())
         from operation in Gen.Elements(KeyOperations)
         select new KeyCell(manager, state, operation)).ToArbitrary();

    public static Arbitrary<KeyCommands> KeyCommandLists()
    {
        var command = Gen.OneOf(
            Gen.Elements(KmsOperations.EnableKey, KmsOperations.DisableKey, KmsOperations.CancelKeyDeletion)
                .Select(op => new KeyCommand(op, null, 0)),
            from days in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 40).Select(d => (int?)d))
            select new KeyCommand(KmsOperations.ScheduleKeyDeletion, days, 0),
            from days in Gen.Choose(0, 35)
            select new KeyCommand(KeyCommand.Advance, null, days));
        return Gen.ListOf(command).Select(steps => new KeyCommands(steps.ToArray())).ToArbitrary();
    }

    public static Arbitrary<Grant> Grants() =>
        (from grantee in PrincipalGen()
         from retiring in Gen.OneOf(Gen.Constant<string?>(null), PrincipalGen().Select(p => (string?)p))
         from operations in GrantOperationsGen()
         from name in Gen.Elements<string?>(null, "ci", "ecr:1234:registry")
         from minutes in Gen.Choose(0, 10_000)
         from sequence in Gen.Choose(0, 1000)
         from grantId in StringOf("0123456789abcdef", 64, 64)
         select new Grant(grantId, sequence, name, Samples.T0.AddMinutes(minutes), grantee, retiring, Samples.Account,
             operations.Distinct().Order(StringComparer.Ordinal).ToArray(), null, GrantStatus.Active, null, null))
        .ToArbitrary();

    public static Arbitrary<GrantWithEndAttempts> GrantsWithEndAttempts() =>
        (from grant in Grants().Generator
         from attempts in Gen.NonEmptyListOf(Gen.Zip(Gen.Elements(GrantStatus.Retired, GrantStatus.Revoked), Gen.Choose(0, 600)))
         select new GrantWithEndAttempts(grant, attempts.Select(a => (a.Item1, a.Item2)).ToArray())).ToArbitrary();

    public static Arbitrary<GlobCase> GlobCases() =>
        (from pattern in StringOf("ab*?A", 0, 7)
         from text in StringOf("abAB", 0, 8)
         select new GlobCase(pattern, text)).ToArbitrary();

    private static int InsideRun(string name, int at)
    {
        // A position between two name characters, so the inserted pair of separators stands alone.
        for (var i = 0; i < name.Length - 1; i++)
        {
            var position = 1 + (at + i) % (name.Length - 1);
            if (char.IsAsciiLetterOrDigit(name[position - 1]) && char.IsAsciiLetterOrDigit(name[position]))
            {
                return position;
            }
        }

        return 1;
    }
}
