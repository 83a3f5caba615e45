using GrantSim.Kms;

namespace GrantSim.Abstractions.Tests.Kms;

public sealed class EncryptionContextTests
{
    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool Of_PairsInAnyOrder_AreEqualWithTheSameHashAndBytes(Generators.ShuffledContext pairs)
    {
        var a = EncryptionContext.Of(pairs.Pairs.ToArray());
        var b = EncryptionContext.Of(pairs.Shuffled.ToArray());
        return a.Equals(b) && a.GetHashCode() == b.GetHashCode() && a.ToCanonicalBytes().SequenceEqual(b.ToCanonicalBytes());
    }

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool Equals_AgreesWithCanonicalBytes(EncryptionContext a, EncryptionContext b) =>
        a.Equals(b) == a.ToCanonicalBytes().SequenceEqual(b.ToCanonicalBytes());

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool DifferentContexts_AreNotEqualAndHaveDifferentBytes(Generators.DifferentContexts contexts) =>
        !contexts.Original.Equals(contexts.Other)
        && !contexts.Original.ToCanonicalBytes().SequenceEqual(contexts.Other.ToCanonicalBytes());

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool Pairs_AreSortedByKeyOrdinal(EncryptionContext context) =>
        context.Keys.SequenceEqual(context.Keys.Order(StringComparer.Ordinal));

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool Contains_Itself_AndEmpty(EncryptionContext context) =>
        context.Contains(context) && context.Contains(EncryptionContext.Empty);

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool From_ToDictionary_RoundTrips(EncryptionContext context) =>
        EncryptionContext.From(context.ToDictionary()).Equals(context) && EncryptionContext.From(context).Equals(context);

    [Fact]
    public void Equals_IsCaseSensitiveInKeysAndValues()
    {
        var context = EncryptionContext.Of(("Team", "Blue"));

        Assert.NotEqual(context, EncryptionContext.Of(("team", "Blue")));
        Assert.NotEqual(context, EncryptionContext.Of(("Team", "blue")));
        Assert.Equal(context, EncryptionContext.Of(("Team", "Blue")));
    }

    [Fact]
    public void Contains_NeedsEveryPairWithTheSameValue()
    {
        var context = EncryptionContext.Of(("a", "1"), ("b", "2"), ("c", "3"));

        Assert.True(context.Contains(EncryptionContext.Of(("c", "3"), ("a", "1"))));
        Assert.False(context.Contains(EncryptionContext.Of(("a", "1"), ("d", "4"))));
        Assert.False(context.Contains(EncryptionContext.Of(("a", "2"))));
        Assert.False(context.Contains(EncryptionContext.Of(("A", "1"))));
        Assert.False(EncryptionContext.Empty.Contains(EncryptionContext.Of(("a", "1"))));
    }

    [Fact]
    public void From_TheSameKeyTwice_Throws()
    {
        Assert.Throws<ArgumentException>(() => EncryptionContext.Of(("a", "1"), ("a", "2")));
    }

    [Fact]
    public void From_NullKeyOrValue_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => EncryptionContext.From([KeyValuePair.Create<string, string>(null!, "v")]));
        Assert.Throws<ArgumentNullException>(() => EncryptionContext.From([KeyValuePair.Create<string, string>("k", null!)]));
    }

    [Fact]
    public void From_NullOrNothing_IsEmpty()
    {
        Assert.Same(EncryptionContext.Empty, EncryptionContext.From(null));
        Assert.Same(EncryptionContext.Empty, EncryptionContext.Of());
        Assert.True(EncryptionContext.Empty.IsEmpty);
        Assert.Empty(EncryptionContext.Empty);
    }

    [Fact]
    public void DictionaryAccess_ReadsValuesCaseSensitively()
    {
        var context = EncryptionContext.Of(("aws:ecr:arn", "arn:aws:ecr:us-east-1:111122223333:repository/app"), ("Team", "blue"));

        Assert.Equal(2, context.Count);
        Assert.Equal("blue", context["Team"]);
        Assert.True(context.ContainsKey("aws:ecr:arn"));
        Assert.False(context.ContainsKey("team"));
        Assert.False(context.TryGetValue("team", out var missing));
        Assert.Equal("", missing);
        Assert.Throws<KeyNotFoundException>(() => context["team"]);
        Assert.Equal(new[] { "Team", "aws:ecr:arn" }, context.Keys);
        Assert.Equal(new[] { "blue", "arn:aws:ecr:us-east-1:111122223333:repository/app" }, context.Values);
    }

    [Fact]
    public void ToCanonicalBytes_IsCountThenLengthPrefixedUtf8InKeyOrder()
    {
        var bytes = EncryptionContext.Of(("b", "é"), ("a", "")).ToCanonicalBytes();

        Assert.Equal(new byte[]
        {
            0, 0, 0, 2,
            0, 0, 0, 1, (byte)'a', 0, 0, 0, 0,
            0, 0, 0, 1, (byte)'b', 0, 0, 0, 2, 0xC3, 0xA9,
        }, bytes);
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, EncryptionContext.Empty.ToCanonicalBytes());
    }

    [Fact]
    public void ToCanonicalBytes_DoesNotConfuseKeyAndValueBoundaries()
    {
        var a = EncryptionContext.Of(("ab", "c"));
        var b = EncryptionContext.Of(("a", "bc"));

        Assert.False(a.ToCanonicalBytes().SequenceEqual(b.ToCanonicalBytes()));
    }

    [Fact]
    public void From_WithALoneSurrogate_IsRefused()
    {
        // Lone surrogates have no UTF-8 form, so two of them would share the same associated data.
        // (Not a theory: xunit's serialization of theory data would mend the surrogates.)
        foreach (var text in new[] { "\uD800", "a\uDC00b" })
        {
            Assert.Throws<ArgumentException>(() => EncryptionContext.Of(("k", text)));
            Assert.Throws<ArgumentException>(() => EncryptionContext.Of((text, "v")));
        }
    }

    [Fact]
    public void ToString_ListsPairsInKeyOrder()
    {
        Assert.Equal("{\"a\": \"1\", \"b\": \"2\"}", EncryptionContext.Of(("b", "2"), ("a", "1")).ToString());
    }

    [Fact]
    public void Enumeration_YieldsPairsInKeyOrder()
    {
        var context = EncryptionContext.Of(("z", "26"), ("m", "13"));

        Assert.Equal(new[] { KeyValuePair.Create("m", "13"), KeyValuePair.Create("z", "26") }, context.ToArray());
    }
}
