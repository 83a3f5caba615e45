using GrantSim.Aws;
using GrantSim.Grains;
using GrantSim.Hosting;
using GrantSim.Identity;

namespace GrantSim.Iam;

[GenerateSerializer, Alias("GrantSim.Iam.IamState")]
public sealed class IamState
{
    [Id(0)] public Dictionary<string, PrincipalDefinition> Principals { get; set; } = new(StringComparer.Ordinal);
}

public sealed class IamGrain(
    [PersistentState("iam", StorageNames.Default)] IPersistentState<IamState> state) : Grain, IIamGrain
{
    public async Task PutPrincipal(PrincipalDefinition principal)
    {
        if (!(principal.Path.StartsWith("user/", StringComparison.Ordinal) || principal.Path.StartsWith("role/", StringComparison.Ordinal))
            || principal.Path.Length is < 6 or > 128 || principal.Path.EndsWith('/'))
        {
            throw new AwsServiceException(AwsErrorCodes.Validation, $"'{principal.Path}' is not a principal path: use user/<name> or role/<name>.");
        }

        foreach (var policy in principal.Policies)
        {
            PolicyParser.Parse(policy);
        }

        state.State.Principals[principal.Path] = principal;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>?> GetPolicies(string principalPath) =>
        Task.FromResult(state.State.Principals.TryGetValue(principalPath, out var principal) ? principal.Policies : null);

    public Task<IReadOnlyList<PrincipalDefinition>> ListPrincipals() =>
        Task.FromResult<IReadOnlyList<PrincipalDefinition>>(state.State.Principals.Values.OrderBy(p => p.Path, StringComparer.Ordinal).ToArray());
}
