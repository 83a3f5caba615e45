using System.Collections;
using System.Collections.Immutable;
using System.Text;

namespace GrantSim.Kms;

/// <summary>
/// A KMS encryption context: string pairs bound to a ciphertext as additional authenticated data.
/// Pairs are kept sorted by key (ordinal), so two contexts with the same pairs in any order are
/// equal and have the same <see cref="ToCanonicalBytes"/>; keys and values compare case-sensitively.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.EncryptionContext")]
public sealed class EncryptionContext : IEquatable<EncryptionContext>, IReadOnlyDictionary<string, string>
{
    public static EncryptionContext Empty { get; } = new(ImmutableArray<EncryptionContextPair>.Empty);

    [Id(0)]
    private readonly ImmutableArray<EncryptionContextPair> _pairs;

    private EncryptionContext(ImmutableArray<EncryptionContextPair> sortedPairs) => _pairs = sortedPairs;

    public static EncryptionContext From(IEnumerable<KeyValuePair<string, string>>? pairs)
    {
        if (pairs is null)
        {
            return Empty;
        }

        var builder = ImmutableArray.CreateBuilder<EncryptionContextPair>();
        foreach (var (key, value) in pairs)
        {
            ArgumentNullException.ThrowIfNull(key);
            ArgumentNullException.ThrowIfNull(value);
            RequireWellFormed(key);
            RequireWellFormed(value);
            builder.Add(new EncryptionContextPair(key, value));
        }

        builder.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        for (var i = 1; i < builder.Count; i++)
        {
            if (builder[i].Key == builder[i - 1].Key)
            {
                throw new ArgumentException($"The encryption context holds the key '{builder[i].Key}' twice.", nameof(pairs));
            }
        }

        return builder.Count == 0 ? Empty : new EncryptionContext(builder.ToImmutable());
    }

    // A lone surrogate has no UTF-8 form: encoding would replace it with U+FFFD, and two different
    // contexts would then share their associated data. KMS contexts are UTF-8 text, so refuse them.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static void RequireWellFormed(string text)
    {
        try
        {
            StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException("Encryption context keys and values must be well-formed Unicode text (no lone surrogates).", nameof(text));
        }
    }

    public static EncryptionContext Of(params (string Key, string Value)[] pairs) =>
        From(pairs.Select(p => KeyValuePair.Create(p.Key, p.Value)));

    public ImmutableArray<EncryptionContextPair> Pairs => _pairs.IsDefault ? ImmutableArray<EncryptionContextPair>.Empty : _pairs;

    public int Count => Pairs.Length;

    public bool IsEmpty => Count == 0;

    public IEnumerable<string> Keys => Pairs.Select(p => p.Key);

    public IEnumerable<string> Values => Pairs.Select(p => p.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, out string value)
    {
        foreach (var pair in Pairs)
        {
            if (string.Equals(pair.Key, key, StringComparison.Ordinal))
            {
                value = pair.Value;
                return true;
            }
        }

        value = "";
        return false;
    }

    /// <summary>True when every pair of <paramref name="subset"/> is in this context (this may hold more).</summary>
    public bool Contains(EncryptionContext subset)
    {
        foreach (var pair in subset.Pairs)
        {
            if (!TryGetValue(pair.Key, out var value) || !string.Equals(value, pair.Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// An unambiguous byte encoding (count, then length-prefixed UTF-8 keys and values in key
    /// order), used as the AEAD's additional authenticated data.
    /// </summary>
    public byte[] ToCanonicalBytes()
    {
        var length = 4;
        foreach (var pair in Pairs)
        {
            length += 8 + StrictUtf8.GetByteCount(pair.Key) + StrictUtf8.GetByteCount(pair.Value);
        }

        var bytes = new byte[length];
        var span = bytes.AsSpan();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(span, Count);
        var offset = 4;
        foreach (var pair in Pairs)
        {
            offset += WriteString(span[offset..], pair.Key);
            offset += WriteString(span[offset..], pair.Value);
        }

        return bytes;

        static int WriteString(Span<byte> target, string text)
        {
            var written = StrictUtf8.GetBytes(text, target[4..]);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(target, written);
            return 4 + written;
        }
    }

    public Dictionary<string, string> ToDictionary() => Pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    public bool Equals(EncryptionContext? other) =>
        other is not null && Pairs.AsSpan().SequenceEqual(other.Pairs.AsSpan());

    public override bool Equals(object? obj) => Equals(obj as EncryptionContext);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var pair in Pairs)
        {
            hash.Add(pair);
        }

        return hash.ToHashCode();
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
        Pairs.Select(p => KeyValuePair.Create(p.Key, p.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() =>
        "{" + string.Join(", ", Pairs.Select(p => $"\"{p.Key}\": \"{p.Value}\"")) + "}";
}
