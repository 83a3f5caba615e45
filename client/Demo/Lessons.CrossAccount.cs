using GrantSim.Client.Simulation;
using GrantSim.Ecr;
using GrantSim.Kms;

namespace GrantSim.Client.Demo;

public static partial class Lessons
{
    private static Lesson CrossAccountPull() => new(7, "Cross-account pull from a KMS repository",
        "Another account pulls an image encrypted under your key: your repository policy lets it in, ECR's grant on your key does the decrypting, and the other account never needs a permission on the key.",
        [
            new("Account A's repository, account B's reader",
                "`ci` of account A (111122223333) creates `demo/shared` under `alias/team-0` and pushes. Account B (444455556666) has a `reader` role whose identity policy allows ECR pulls and no KMS action at all.",
                DiagramCall.ToEcr("CreateRepository demo/shared + push (account A)"),
                async s => $"{await s.CreateRepositoryAsync("demo/shared", TeamKey)}; {await s.PushAsync("demo/shared", "v1")}; {await s.CreatePartnerReaderAsync()}",
                "Two grants for ECR on A's key, as for any KMS repository; B's identity policy is half of what a cross-account pull needs."),
            new("B pulls with --registry-id 111122223333: refused",
                "B's reader asks A's registry for the image (BatchGetImage with A's registry id).",
                DiagramCall.ToEcr("pull 111122223333/demo/shared:v1 as B's reader"),
                s => s.PartnerPullAsync("demo/shared"),
                "Across accounts both sides must agree: B's policy allows the pull, but A's repository has no policy naming B, so ECR refuses before touching KMS.",
                ExpectsRefusal: true),
            new("A sets a repository policy",
                "A's `ci` sets a policy on `demo/shared` allowing B's reader `ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer` and `ecr:BatchCheckLayerAvailability` (`aws ecr set-repository-policy`).",
                DiagramCall.ToEcr("SetRepositoryPolicy demo/shared (allow B's reader to pull)"),
                s => s.SetRepositoryPolicyAsync("demo/shared", PullPolicyFor(s.PartnerReader.Principal)),
                "The repository policy is A's half: it names B's principal and only the pull actions (no push, no policy changes)."),
            new("B pulls: ECR decrypts through A's grant",
                "B's reader pulls again. ECR decrypts each object's data key as itself (the grantee of A's grant), with A's repository in the encryption context; the Decrypts are in A's trail.",
                DiagramCall.ToEcr("pull 111122223333/demo/shared:v1 as B's reader"),
                s => s.PartnerPullAsync("demo/shared"),
                "B never calls KMS: the grant A's repository made is what lets ECR use A's key, for this repository only, whoever pulls.",
                StorageNote: "read ciphertext + encrypted data key"),
            new("B cannot use A's key itself",
                "B's reader sends one of the stored encrypted data keys to KMS directly, with the right context.",
                DiagramCall.ToKms("Decrypt (A's key, demo/shared's context) as B's reader"),
                async s =>
                {
                    var stored = await s.StoredLayerAsync("demo/shared");
                    await s.Kms().Decrypt(s.PartnerReader, new DecryptRequest(stored.DataKey.Ciphertext, EcrEncryptionContext.For(stored.ObjectArn, Aws.Arn.EcrRepository(s.Region, s.Account, "demo/shared").ToString())));
                    return "KMS returned the data key";
                },
                "Letting another account pull your images does not let it use your key: neither the key policy nor a grant names B.",
                ExpectsRefusal: true),
            new("A revokes ECR's grants",
                "A's `admin` finds the grants naming `demo/shared` and revokes them.",
                DiagramCall.ToKms("ListGrants, then RevokeGrant for each of demo/shared's grants"),
                async s =>
                {
                    var grants = await s.GrantsNamingAsync(s.TeamKey, "demo/shared");
                    foreach (var grant in grants)
                    {
                        await s.Kms().RevokeGrant(s.As(Roles.Admin), s.TeamKey, grant.GrantId);
                    }

                    return $"revoked {grants.Count} grants";
                },
                "The key's owner stays in control: revoking needs no cooperation from ECR or from B."),
            new("B's pull fails",
                "B's reader pulls again. The repository policy still allows it, but ECR's Decrypt has no grant behind it.",
                DiagramCall.ToEcr("pull 111122223333/demo/shared:v1 as B's reader"),
                s => s.PartnerPullAsync("demo/shared"),
                "One brake for every account: once the grant is gone, nobody reads the data through ECR, however the repository policy reads.",
                ExpectsRefusal: true),
        ]);

    private static string PullPolicyFor(string principal) => System.Text.Json.JsonSerializer.Serialize(new
    {
        Version = "2012-10-17",
        Statement = new[]
        {
            new
            {
                Sid = "CrossAccountPull",
                Effect = "Allow",
                Principal = new { AWS = principal },
                Action = new[] { EcrOperations.Action(EcrOperations.BatchGetImage), EcrOperations.Action(EcrOperations.GetDownloadUrlForLayer), EcrOperations.Action(EcrOperations.BatchCheckLayerAvailability) },
            },
        },
    });
}
