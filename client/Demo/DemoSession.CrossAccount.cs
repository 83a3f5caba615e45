using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Client.Simulation;
using GrantSim.Grains;
using GrantSim.Identity;
using GrantSim.Kms;

namespace GrantSim.Client.Demo;

/// <summary>
/// Lesson 7's second account (the AWS docs' other example account, 444455556666): its <c>reader</c> role pulls
/// images and has no KMS permission at all. It reaches the demo account's registry by its registry id, as
/// <c>--registry-id 111122223333</c> does.
/// </summary>
public sealed partial class DemoSession
{
    public const string PartnerAccount = "444455556666";

    public CallerIdentity PartnerReader => World.Principal(PartnerAccount, Region, Roles.Reader);

    /// <summary>The demo account's registry, as another account addresses it.</summary>
    public IEcrServiceGrain AccountRegistry => Grains.GetGrain<IEcrServiceGrain>(GrainKeys.EcrRegistry(Account, Region));

    /// <summary>Makes the partner's reader: ECR pulls only (its identity policy allows them for any registry), no KMS action.</summary>
    public async Task<string> CreatePartnerReaderAsync()
    {
        await Grains.GetGrain<IIamGrain>(PartnerAccount).PutPrincipal(new PrincipalDefinition($"role/{Roles.Reader}", [Roles.PolicyFor(Roles.Reader)]));
        return $"{PartnerReader.Principal} may pull from ECR; it has no KMS permission";
    }

    /// <summary>The partner's reader pulls the demo account's image, by registry id, and counts ECR's Decrypts through the demo account's grants.</summary>
    public async Task<string> PartnerPullAsync(string repository)
    {
        var before = await DecryptsByEcrAsync();
        var pulled = await PullAsync(repository, caller: PartnerReader);
        var decrypts = (await DecryptsByEcrAsync()).Skip(before.Count).ToArray();
        var grants = decrypts.Select(e => e.GrantId).OfType<string>().Distinct(StringComparer.Ordinal).Select(AuditEventFormat.ShortId);
        return $"{PartnerAccount} {pulled}; ECR decrypted {decrypts.Length} data keys in {Account}'s trail, through grant {string.Join(", ", grants)}";
    }

    public async Task<string> SetRepositoryPolicyAsync(string repository, string policyText)
    {
        var set = await Ecr().SetRepositoryPolicy(As(Roles.Ci), repository, policyText);
        return $"{repository} has a repository policy of {set.Length} characters";
    }

    private async Task<IReadOnlyList<AuditEvent>> DecryptsByEcrAsync() =>
        (await Grains.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(Account, Region)).Query(new AuditQuery(EventName: KmsOperations.Decrypt)))
            .Where(e => e.Succeeded && e.UserIdentity.Principal == Regions.EcrServicePrincipal(Region))
            .ToArray();
}
