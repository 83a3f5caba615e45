using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Identity;
using GrantSim.Kms;

namespace GrantSim.Cluster.Tests.Ecr;

/// <summary>
/// Repository policies, enforced: SetRepositoryPolicy/GetRepositoryPolicy/DeleteRepositoryPolicy, the evaluation
/// matrix (same account or another × identity policy allows/denies/says nothing × repository policy
/// allows/denies/is absent), and another account pulling from a KMS repository through ECR's grants.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RepositoryPolicyTests(ClusterFixture fixture)
{
    private const string PullAction = "ecr:BatchGetImage";

    public static TheoryData<bool, string, string> Matrix()
    {
        var data = new TheoryData<bool, string, string>();
        foreach (var sameAccount in new[] { true, false })
        {
            foreach (var identity in new[] { "allow", "deny", "none" })
            {
                foreach (var resource in new[] { "allow", "deny", "none" })
                {
                    data.Add(sameAccount, identity, resource);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task EvaluationMatrix_IsEcrs(bool sameAccount, string identity, string resource)
    {
        var owner = await TestTenant.CreateAsync(fixture.Grains);
        var callerTenant = sameAccount ? owner : await TestTenant.CreateAsync(fixture.Grains);
        await owner.CreateRepositoryAsync("matrix", EncryptionType.Aes256);
        var image = await owner.PushImageAsync("matrix", "v1");
        var subject = callerTenant.Role("subject");
        await fixture.Grains.GetGrain<IIamGrain>(callerTenant.Account).PutPrincipal(new PrincipalDefinition("role/subject", [IdentityPolicy(identity)]));
        if (resource != "none")
        {
            await owner.EcrApi.SetRepositoryPolicy(owner.Ci, "matrix", RepositoryPolicy(resource == "allow" ? "Allow" : "Deny", subject.Principal, PullAction));
        }

        var expectAllowed = identity != "deny" && resource != "deny"
            && (sameAccount ? identity == "allow" || resource == "allow" : identity == "allow" && resource == "allow");
        var registry = Registry(owner);
        var pull = () => registry.GetImage(subject, "matrix", new ImageIdentifier(ImageDigest: image.ManifestDigest));
        if (expectAllowed)
        {
            Assert.Equal(image.Manifest, (await pull()).Content);
        }
        else
        {
            var error = await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, pull);
            Assert.StartsWith($"User: {subject.Principal} is not authorized to perform: {PullAction} on resource: arn:aws:ecr:", error.Message, StringComparison.Ordinal);
            Assert.Contains(
                identity == "deny" ? "with an explicit deny in an identity-based policy"
                    : resource == "deny" ? "with an explicit deny in a resource-based policy"
                    : !sameAccount && resource == "none" ? "because no resource-based policy allows the ecr:BatchGetImage action"
                    : "because no identity-based policy allows the ecr:BatchGetImage action",
                error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SetGetDelete_RoundTrip_AndRepositoryPolicyNotFound()
    {
        var owner = await TestTenant.CreateAsync(fixture.Grains);
        await owner.CreateRepositoryAsync("policy/round-trip", EncryptionType.Aes256);
        var missing = await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryPolicyNotFound, () => owner.EcrApi.GetRepositoryPolicy(owner.Ci, "policy/round-trip"));
        Assert.Equal($"Repository policy does not exist for the repository with name 'policy/round-trip' in the registry with id '{owner.Account}'", missing.Message);

        var text = RepositoryPolicy("Allow", $"arn:aws:iam::{owner.Account}:root", PullAction);
        Assert.Equal(text, await owner.EcrApi.SetRepositoryPolicy(owner.Ci, "policy/round-trip", text));
        Assert.Equal(text, await owner.EcrApi.GetRepositoryPolicy(owner.Ci, "policy/round-trip"));
        // The reader's identity policy has no ecr:GetRepositoryPolicy, and the policy names the account (deferring to IAM).
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => owner.EcrApi.GetRepositoryPolicy(owner.Reader, "policy/round-trip"));
        Assert.Equal(text, await owner.EcrApi.DeleteRepositoryPolicy(owner.Ci, "policy/round-trip"));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryPolicyNotFound, () => owner.EcrApi.DeleteRepositoryPolicy(owner.Ci, "policy/round-trip"));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryNotFound, () => owner.EcrApi.GetRepositoryPolicy(owner.Ci, "policy/no-such"));

        var audited = await owner.Trail.Query(new AuditQuery(EventName: EcrOperations.SetRepositoryPolicy));
        Assert.Single(audited, e => e.Succeeded && e.RequestParameters.RepositoryName == "policy/round-trip");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Maybe","Principal":"*","Action":"ecr:*"}]}""")]
    [InlineData("""{"Statement":[]}""")]
    public async Task AnInvalidPolicy_IsInvalidParameter_AndChangesNothing(string policyText)
    {
        var owner = await TestTenant.CreateAsync(fixture.Grains);
        await owner.CreateRepositoryAsync("policy/invalid", EncryptionType.Aes256);
        var kept = RepositoryPolicy("Allow", $"arn:aws:iam::{owner.Account}:root", PullAction);
        await owner.EcrApi.SetRepositoryPolicy(owner.Ci, "policy/invalid", kept);

        var error = await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidParameter, () => owner.EcrApi.SetRepositoryPolicy(owner.Ci, "policy/invalid", policyText));
        Assert.Equal("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'", error.Message);
        Assert.Equal(kept, await owner.EcrApi.GetRepositoryPolicy(owner.Ci, "policy/invalid"));
    }

    [Fact]
    public async Task APolicyThatWouldLockTheCallerOut_NeedsForce()
    {
        var owner = await TestTenant.CreateAsync(fixture.Grains);
        await owner.CreateRepositoryAsync("policy/lockout", EncryptionType.Aes256);
        var lockout = RepositoryPolicy("Deny", owner.Ci.Principal, "ecr:SetRepositoryPolicy");

        await AwsAssert.ThrowsAsync(AwsErrorCodes.InvalidParameter, () => owner.EcrApi.SetRepositoryPolicy(owner.Ci, "policy/lockout", lockout));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryPolicyNotFound, () => owner.EcrApi.GetRepositoryPolicy(owner.Ci, "policy/lockout"));

        await owner.EcrApi.SetRepositoryPolicy(owner.Ci, "policy/lockout", lockout, force: true);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => owner.EcrApi.SetRepositoryPolicy(owner.Ci, "policy/lockout", lockout, force: true));
        // Another principal of the account, whom the policy does not deny, still may.
        await owner.EcrApi.DeleteRepositoryPolicy(owner.Admin, "policy/lockout");
    }

    [Fact]
    public async Task AnotherAccount_CannotCreateDeleteOrSetPoliciesInARegistry_UnlessAPolicyAllows()
    {
        var owner = await TestTenant.CreateAsync(fixture.Grains);
        var partner = await TestTenant.CreateAsync(fixture.Grains);
        var registry = Registry(owner);
        await owner.CreateRepositoryAsync("shared/app", EncryptionType.Aes256);

        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => registry.CreateRepository(partner.Admin, new CreateRepositoryRequest("intruder/app", null)));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => registry.DeleteRepository(partner.Admin, "shared/app", force: true));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied,
            () => registry.SetRepositoryPolicy(partner.Admin, "shared/app", RepositoryPolicy("Allow", "*", "ecr:*")));
        // A name that does not exist is as refused as one that does: nothing tells another account which names exist.
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => registry.DescribeRepositories(partner.Admin, ["no/such"]));
        // Listing another account's whole registry is never allowed: only repositories named one by one.
        var listing = await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => registry.DescribeRepositories(partner.Admin));
        Assert.Contains($":{owner.Account}:repository/*", listing.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("intruder/app", await owner.Repositories.List());

        await owner.EcrApi.SetRepositoryPolicy(owner.Ci, "shared/app", RepositoryPolicy("Allow", $"arn:aws:iam::{partner.Account}:root", "ecr:DescribeRepositories", "ecr:DeleteRepository"));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => registry.DescribeRepositories(partner.Admin));
        Assert.Equal(owner.Account, (await registry.DescribeRepositories(partner.Admin, ["shared/app"]))[0].RegistryId);
        // Its own account must allow it too: the reader's identity policy has no ecr:DeleteRepository.
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => registry.DeleteRepository(partner.Reader, "shared/app", force: true));
        await registry.DeleteRepository(partner.Admin, "shared/app", force: true);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryNotFound, () => owner.EcrApi.DescribeRepositories(owner.Ci, ["shared/app"]));

        // The policy went with the repository: a new one of the same name has none.
        await owner.CreateRepositoryAsync("shared/app", EncryptionType.Aes256);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryPolicyNotFound, () => owner.EcrApi.GetRepositoryPolicy(owner.Ci, "shared/app"));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => registry.DescribeRepositories(partner.Admin, ["shared/app"]));
    }

    [Fact]
    public async Task CrossAccountPull_FromAKmsRepository_DecryptsThroughEcrsGrant_AndStopsWhenTheGrantIsRevoked()
    {
        var owner = await TestTenant.CreateAsync(fixture.Grains);
        var partner = await TestTenant.CreateAsync(fixture.Grains);
        // The puller may call ECR and nothing else: no KMS permission at all.
        await fixture.Grains.GetGrain<IIamGrain>(partner.Account).PutPrincipal(new PrincipalDefinition("role/puller", [TestTenant.Allow("ecr:*")]));
        var puller = partner.Role("puller");
        var key = await owner.CreateKeyAsync();
        var repository = await owner.CreateRepositoryAsync("kms/shared", kmsKey: key.Arn);
        var image = await owner.PushImageAsync("kms/shared", "v1");
        var registry = Registry(owner);

        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => PullAsync(registry, puller, image));

        await owner.EcrApi.SetRepositoryPolicy(owner.Ci, "kms/shared",
            RepositoryPolicy("Allow", puller.Principal, "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"));
        var before = (await owner.Trail.Query(new AuditQuery(EventName: KmsOperations.Decrypt))).Count;
        await PullAsync(registry, puller, image);

        // The puller itself may not use the key: ECR decrypted, as ECR, through the repository's grant.
        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => partner.Kms.DescribeKey(puller, key.Arn));
        var grants = await owner.GrantsForRepositoryAsync(key.Arn, repository.RepositoryArn);
        var decrypts = (await owner.Trail.Query(new AuditQuery(EventName: KmsOperations.Decrypt))).Skip(before).ToArray();
        Assert.Equal(4, decrypts.Length); // the manifest, two layers and the config
        Assert.All(decrypts, e =>
        {
            Assert.True(e.Succeeded);
            Assert.Equal("AWSService", e.UserIdentity.Type);
            Assert.Equal(owner.Ecr.Principal, e.UserIdentity.Principal);
            Assert.Contains(e.GrantId, grants.Select(g => g.GrantId));
            Assert.Equal(repository.RepositoryArn, e.RequestParameters.EncryptionContext!.GetValueOrDefault(EcrEncryptionContext.EcrArnKey));
            Assert.Equal(owner.Account, e.RecipientAccountId);
        });

        foreach (var grant in grants)
        {
            await owner.Kms.RevokeGrant(owner.Admin, key.KeyId, grant.GrantId);
        }

        await AwsAssert.ThrowsAsync(AwsErrorCodes.Kms, () => PullAsync(registry, puller, image), AwsErrorCodes.AccessDenied);
    }

    private IEcrServiceGrain Registry(TestTenant owner) => fixture.Grains.GetGrain<IEcrServiceGrain>(GrainKeys.EcrRegistry(owner.Account, owner.Region));

    private static async Task PullAsync(IEcrServiceGrain registry, CallerIdentity caller, (string ManifestDigest, byte[] Manifest, IReadOnlyList<(string Digest, byte[] Content)> Blobs) image)
    {
        var manifest = await registry.GetImage(caller, "kms/shared", new ImageIdentifier(ImageDigest: image.ManifestDigest));
        Assert.Equal(image.Manifest, manifest.Content);
        foreach (var (digest, content) in image.Blobs)
        {
            Assert.Equal(content, (await registry.GetBlob(caller, "kms/shared", digest)).Value);
        }
    }

    private static string IdentityPolicy(string identity) => identity switch
    {
        "allow" => TestTenant.Allow(PullAction),
        "deny" => """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"ecr:BatchGetImage","Resource":"*"}]}""",
        _ => TestTenant.Allow("kms:DescribeKey"),
    };

    public static string RepositoryPolicy(string effect, string principal, params string[] actions) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new[] { new { Sid = "policy", Effect = effect, Principal = new { AWS = principal == "*" ? "*" : principal }, Action = actions } },
        });
}
