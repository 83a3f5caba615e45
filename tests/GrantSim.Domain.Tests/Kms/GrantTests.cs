using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Kms;

public sealed class GrantTests
{
    [Fact]
    public void ToListEntry_CarriesEveryListedFieldOfTheGrant()
    {
        var constraints = new GrantConstraints(EncryptionContextSubset: EncryptionContext.Of(("aws:ecr:arn", RepositoryArn())));
        var grant = ActiveGrant(4) with { Name = "ci", RetiringPrincipal = EcrPrincipal, Constraints = constraints };

        var entry = grant.ToListEntry(KeyId);

        Assert.Equal(
            new GrantListEntry(KeyId, grant.GrantId, "ci", T0, EcrPrincipal, EcrPrincipal, Account, grant.Operations, constraints),
            entry);
    }

    [Fact]
    public void ToRecord_KeepsStatusAndEnd()
    {
        var ended = GrantLifecycle.End(ActiveGrant(1), GrantStatus.Revoked, T0.AddHours(2), Root.Principal);

        var record = ended.ToRecord(KeyId);

        Assert.Equal(GrantStatus.Revoked, record.Status);
        Assert.Equal(T0.AddHours(2), record.EndedAt);
        Assert.Equal(Root.Principal, record.EndedBy);
        Assert.Equal(ended.GrantId, record.Grant.GrantId);
        Assert.True(ActiveGrant(1).IsActive);
        Assert.False(ended.IsActive);
    }
}
