using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Identity;
using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Audit;

public sealed class AuditEventsTests
{
    [Fact]
    public void Kms_RecordsTheCallWithItsKeyAndGrant()
    {
        var grantId = GrantIds.New();
        var parameters = new AuditRequestParameters { KeyId = "alias/team", Operations = [KmsOperations.Decrypt] };

        var e = AuditEvents.Kms(KmsOperations.CreateGrant, Region, Account, Alice, T0, parameters, KeyArn, grantId, responseKeyId: KeyArn);

        Assert.Equal(AuditEvent.KmsEventSource, e.EventSource);
        Assert.Equal("kms.amazonaws.com", e.EventSource);
        Assert.Equal(KmsOperations.CreateGrant, e.EventName);
        Assert.Equal(Region, e.AwsRegion);
        Assert.Equal(Account, e.RecipientAccountId);
        Assert.Equal(T0, e.EventTime);
        Assert.Same(parameters, e.RequestParameters);
        Assert.Equal(new[] { KeyArn }, e.Resources);
        Assert.Equal(grantId, e.GrantId);
        Assert.Equal(KeyArn, e.ResponseKeyId);
        Assert.True(e.Succeeded);
        Assert.Null(e.ErrorCode);
        Assert.True(Guid.TryParse(e.EventId, out _));
    }

    [Fact]
    public void Kms_WithAnError_RecordsItsCodeAndMessage()
    {
        var error = new AwsServiceException(AwsErrorCodes.Disabled, $"{KeyArn} is disabled.");

        var e = AuditEvents.Kms(KmsOperations.Decrypt, Region, Account, Alice, T0, new AuditRequestParameters(), KeyArn, error: error);

        Assert.False(e.Succeeded);
        Assert.Equal(AwsErrorCodes.Disabled, e.ErrorCode);
        Assert.Equal($"{KeyArn} is disabled.", e.ErrorMessage);
    }

    [Fact]
    public void Kms_WithoutKey_HasNoResources_AndEachEventHasItsOwnId()
    {
        var a = AuditEvents.Kms(KmsOperations.CreateKey, Region, Account, Root, T0, new AuditRequestParameters(), null);
        var b = AuditEvents.Kms(KmsOperations.CreateKey, Region, Account, Root, T0, new AuditRequestParameters(), null);

        Assert.Empty(a.Resources);
        Assert.NotEqual(a.EventId, b.EventId);
    }

    [Fact]
    public void Ecr_IsAnEcrEventOnTheRepository()
    {
        var e = AuditEvents.Ecr("CreateRepository", Region, Account, Alice, T0, new AuditRequestParameters { RepositoryName = "app" }, RepositoryArn());

        Assert.Equal("ecr.amazonaws.com", e.EventSource);
        Assert.Equal(new[] { RepositoryArn() }, e.Resources);
        Assert.Null(e.GrantId);
    }

    [Fact]
    public void Identity_OfEachKindOfPrincipal()
    {
        Assert.Equal(new AuditUserIdentity("Root", Root.Principal, Account, null), AuditEvents.Identity(Root));
        Assert.Equal(new AuditUserIdentity("IAMUser", Alice.Principal, Account, EcrPrincipal), AuditEvents.Identity(Alice.Via(EcrPrincipal)));
        Assert.Equal(new AuditUserIdentity("AssumedRole", Ci.Principal, Account, null), AuditEvents.Identity(Ci));
        Assert.Equal(new AuditUserIdentity("AWSService", EcrPrincipal, null, EcrPrincipal), AuditEvents.Identity(new CallerIdentity(EcrPrincipal)));
    }

    [Fact]
    public void RequestParameters_HaveNoPlaceForGrantTokensOrPlaintext()
    {
        var names = typeof(AuditRequestParameters).GetProperties().Select(p => p.Name).ToArray();

        Assert.DoesNotContain(names, n => n.Contains("Token", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(names, n => n.Contains("Plaintext", StringComparison.OrdinalIgnoreCase));
    }
}
