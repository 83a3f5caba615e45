using System.Text.Json;
using System.Text.Json.Serialization;
using GrantSim.Aws;
using GrantSim.Identity;

namespace GrantSim.Silo.Aws;

/// <summary>An access key: its secret, and the principal of the tenant it signs as (<c>root</c>, <c>user/name</c> or <c>role/name</c>).</summary>
public sealed record AccessKeyConfig(string AccessKeyId, string SecretAccessKey, string Principal = "root");

/// <summary>An IAM user or role of a tenant and its identity policies (JSON documents, written as objects or strings).</summary>
public sealed record PrincipalConfig(string Path, IReadOnlyList<JsonElement> Policies);

/// <summary>One tenant (AWS account) of the AWS endpoint: its IAM principals and its access keys.</summary>
public sealed record TenantConfig(string Account, IReadOnlyList<PrincipalConfig>? Principals, IReadOnlyList<AccessKeyConfig> AccessKeys);

/// <summary>The tenants file: <c>{"tenants": [...]}</c>.</summary>
public sealed record TenantsFile(IReadOnlyList<TenantConfig> Tenants);

/// <summary>Who an access key signs as: an account, and a principal path in it.</summary>
public sealed record AccessKeyOwner(string Account, string PrincipalPath, string SecretAccessKey)
{
    /// <summary>The principal's ARN in the partition of the region a request is sent to.</summary>
    public CallerIdentity CallerIn(string region)
    {
        var partition = Regions.PartitionOf(region);
        return PrincipalPath == "root"
            ? CallerIdentity.Root(partition, Account)
            : new CallerIdentity(Arn.IamPrincipal(partition, Account, PrincipalPath).ToString());
    }
}

/// <summary>
/// The tenants the AWS endpoint knows, from a JSON file or the built-in default (account
/// <see cref="DefaultAccount"/>, access key <c>test</c> with secret <c>test</c>, signing as the account root).
/// </summary>
public sealed class AwsTenants
{
    public const string DefaultAccount = "000000000000";

    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private readonly Dictionary<string, AccessKeyOwner> _keys;

    private AwsTenants(IReadOnlyList<TenantConfig> tenants, Dictionary<string, AccessKeyOwner> keys)
    {
        Tenants = tenants;
        _keys = keys;
    }

    public IReadOnlyList<TenantConfig> Tenants { get; }

    public static TenantsFile Default { get; } = new(
    [
        new TenantConfig(DefaultAccount, [], [new AccessKeyConfig("test", "test")]),
    ]);

    public static AwsTenants Load(string? tenantsFile) =>
        From(string.IsNullOrWhiteSpace(tenantsFile) ? Default : Parse(File.ReadAllText(tenantsFile), tenantsFile));

    public static TenantsFile Parse(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<TenantsFile>(json, FileJson) ?? throw new InvalidOperationException($"{source}: the tenants file is empty.");
        }
        catch (JsonException error)
        {
            throw new InvalidOperationException($"{source}: not a tenants file: {error.Message}", error);
        }
    }

    /// <summary>Checks every account, principal path and access key; a mistake stops the silo with a message naming it.</summary>
    public static AwsTenants From(TenantsFile file)
    {
        var keys = new Dictionary<string, AccessKeyOwner>(StringComparer.Ordinal);
        foreach (var tenant in file.Tenants ?? throw new InvalidOperationException("The tenants file has no 'tenants' list."))
        {
            if (!AccountId.IsValid(tenant.Account))
            {
                throw new InvalidOperationException($"Tenant '{tenant.Account}': an account id is 12 digits.");
            }

            var paths = (tenant.Principals ?? []).Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
            foreach (var path in paths)
            {
                if (!IsPrincipalPath(path))
                {
                    throw new InvalidOperationException($"Tenant {tenant.Account}: principal '{path}' must be user/<name> or role/<name>.");
                }
            }

            foreach (var key in tenant.AccessKeys ?? [])
            {
                if (string.IsNullOrEmpty(key.AccessKeyId) || key.AccessKeyId.Contains('/', StringComparison.Ordinal) || string.IsNullOrEmpty(key.SecretAccessKey))
                {
                    throw new InvalidOperationException($"Tenant {tenant.Account}: an access key needs an id (without '/') and a secret.");
                }

                if (key.Principal != "root" && !paths.Contains(key.Principal))
                {
                    throw new InvalidOperationException($"Tenant {tenant.Account}: access key {key.AccessKeyId} signs as '{key.Principal}', which is neither root nor one of the tenant's principals.");
                }

                if (!keys.TryAdd(key.AccessKeyId, new AccessKeyOwner(tenant.Account, key.Principal, key.SecretAccessKey)))
                {
                    throw new InvalidOperationException($"Access key {key.AccessKeyId} is configured twice.");
                }
            }
        }

        return new AwsTenants(file.Tenants, keys);
    }

    public AccessKeyOwner? Find(string accessKeyId) => _keys.GetValueOrDefault(accessKeyId);

    /// <summary>The principals to put into each account's IAM grain at start-up.</summary>
    public IEnumerable<(string Account, PrincipalDefinition Principal)> PrincipalDefinitions() =>
        Tenants.SelectMany(t => (t.Principals ?? []).Select(p => (t.Account, new PrincipalDefinition(
            p.Path,
            p.Policies.Select(policy => policy.ValueKind == JsonValueKind.String ? policy.GetString()! : policy.GetRawText()).ToArray()))));

    private static bool IsPrincipalPath(string path) =>
        (path.StartsWith("user/", StringComparison.Ordinal) || path.StartsWith("role/", StringComparison.Ordinal))
        && path.Length > 5 && !path.EndsWith('/');
}
