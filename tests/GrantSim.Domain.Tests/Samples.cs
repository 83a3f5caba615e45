using GrantSim.Aws;
using GrantSim.Identity;
using GrantSim.Kms;

namespace GrantSim.Domain.Tests;

/// <summary>Fixed accounts, regions, times and small builders shared by the tests (no randomness beyond key material).</summary>
internal static class Samples
{
    public const string Account = "111122223333";
    public const string OtherAccount = "444455556666";
    public const string Region = Regions.UsEast1;
    public const string KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
    public const string OtherKeyId = "0987dcba-09ba-87dc-65fe-0987654321ba";

    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static string EcrPrincipal => Regions.EcrServicePrincipal(Region);

    public static string KeyArn => Arn.KmsKey(Region, Account, KeyId).ToString();

    public static string RepositoryArn(string name = "app") => Arn.EcrRepository(Region, Account, name).ToString();

    public static CallerIdentity Root => CallerIdentity.Root(Partition.Aws, Account);

    public static CallerIdentity Alice => CallerIdentity.User(Partition.Aws, Account, "alice");

    public static CallerIdentity Ci => CallerIdentity.Role(Partition.Aws, Account, "ci");

    public static CallerIdentity OtherRoot => CallerIdentity.Root(Partition.Aws, OtherAccount);

    public static CallerIdentity OtherAlice => CallerIdentity.User(Partition.Aws, OtherAccount, "alice");

    public static KmsKey CustomerKey(KeyState state = KeyState.Enabled, string? policy = null)
    {
        var key = KeyLifecycle.Create(
            new KeyCreationFacts(KeyId, Account, Region, KeyManager.Customer, "test key", policy ?? DefaultKeyPolicies.CustomerManaged(Partition.Aws, Account)),
            T0);
        return WithState(key, state);
    }

    public static KmsKey AwsManagedEcrKey(KeyState state = KeyState.Enabled)
    {
        var key = KeyLifecycle.Create(
            new KeyCreationFacts(KeyId, Account, Region, KeyManager.Aws, "Default key for ECR", DefaultKeyPolicies.AwsManagedEcr(Partition.Aws, Account, Region)),
            T0);
        return WithState(key, state);
    }

    public static KmsKey WithState(KmsKey key, KeyState state) => state switch
    {
        KeyState.Enabled => key,
        KeyState.Disabled => key with { State = KeyState.Disabled },
        KeyState.PendingDeletion => key with { State = KeyState.PendingDeletion, DeletionDate = T0.AddDays(30), PendingWindowInDays = 30 },
        KeyState.PendingImport => key with { State = KeyState.PendingImport, Material = [], OriginName = KeyMetadata.ExternalOrigin },
        _ => key with { State = KeyState.Deleted, Material = [], TokenSecret = [] },
    };

    public static CreateGrantRequest GrantRequest(
        string? grantee = null, IReadOnlyList<string>? operations = null, string? retiring = null, GrantConstraints? constraints = null, string? name = null) =>
        new(KeyArn, grantee ?? EcrPrincipal, operations ?? [KmsOperations.Decrypt, KmsOperations.GenerateDataKey], retiring, constraints, name);

    /// <summary>Creates a grant on the book the way the key grain does: validate, then create.</summary>
    public static (GrantBook Book, Grant Grant) AddGrant(
        GrantBook book, CreateGrantRequest request, DateTimeOffset? at = null, KmsKey? key = null, string issuingAccount = Account)
    {
        var creation = GrantLifecycle.Create(book, key ?? CustomerKey(), GrantLifecycle.Validate(request), issuingAccount, at ?? T0, GrantIds.New());
        return (creation.Book, creation.Grant);
    }

    public static Grant ActiveGrant(long sequence, string grantee = "ecr.us-east-1.amazonaws.com", DateTimeOffset? created = null) =>
        new(sequence.ToString("x64", System.Globalization.CultureInfo.InvariantCulture), sequence, null, created ?? T0, grantee, null, Account,
            [KmsOperations.Decrypt], null, GrantStatus.Active, null, null);
}
