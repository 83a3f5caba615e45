using GrantSim.Aws;

namespace GrantSim.Kms;

/// <summary>GenerateDataKey's size rules: exactly one of KeySpec (AES_256, AES_128) and NumberOfBytes (1..1024).</summary>
public static class DataKeys
{
    public const string Aes256 = "AES_256";
    public const string Aes128 = "AES_128";
    public const int MaxBytes = 1024;

    public static int Length(GenerateDataKeyRequest request) => (request.KeySpec, request.NumberOfBytes) switch
    {
        (not null, not null) => throw Validation("Please specify either number of bytes or key spec, not both."),
        (null, null) => throw Validation("Please specify either number of bytes or key spec."),
        (Aes256, null) => 32,
        (Aes128, null) => 16,
        ({ } spec, null) => throw Validation($"1 validation error detected: Value '{spec}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]"),
        (null, { } bytes) when bytes is >= 1 and <= MaxBytes => bytes,
        (null, { } bytes) => throw Validation($"1 validation error detected: Value '{bytes}' at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and {MaxBytes}"),
    };

    /// <summary>GenerateRandom's NumberOfBytes: 1 to <see cref="MaxBytes"/>, as for a data key (for callers that reach KMS without the endpoint's model check).</summary>
    public static int RandomLength(int? numberOfBytes) => numberOfBytes switch
    {
        null => throw Validation("1 validation error detected: Value null at 'numberOfBytes' failed to satisfy constraint: Member must not be null"),
        >= 1 and <= MaxBytes => numberOfBytes.Value,
        _ => throw Validation($"1 validation error detected: Value '{numberOfBytes}' at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and {MaxBytes}"),
    };

    private static AwsServiceException Validation(string message) => new(AwsErrorCodes.Validation, message);
}
