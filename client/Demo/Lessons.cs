using GrantSim.Aws;
using GrantSim.Client.Simulation;
using GrantSim.Ecr;
using GrantSim.Kms;

namespace GrantSim.Client.Demo;

/// <summary>The seven lessons: the lifecycle from the source page, then what surrounds it.</summary>
public static partial class Lessons
{
    public static IReadOnlyList<Lesson> All { get; } =
    [
        HappyPath(),
        Defaults(),
        Revocation(),
        Troubleshooting(),
        EncryptionContext(),
        KeyStates(),
        CrossAccountPull(),
    ];

    /// <summary>KMS with the team's customer managed key, by its alias.</summary>
    private static EncryptionConfiguration TeamKey { get; } = new(EncryptionType.Kms, World.AliasName(0));

    private static Lesson HappyPath() => new(1, "The happy path: what ECR asks of KMS",
        "A repository encrypted with a customer managed key, an image pushed and pulled, the repository deleted: the eight steps of the guide, and every KMS call they make.",
        [
            new("Create a KMS-encrypted repository",
                "The `ci` role creates `demo/app` with encryption type KMS and the key `alias/team-0`. ECR checks the key with DescribeKey (source step 1), then asks KMS for two grants on it (step 2).",
                DiagramCall.ToEcr("CreateRepository demo/app (KMS, alias/team-0)"),
                s => s.CreateRepositoryAsync("demo/app", TeamKey),
                "The grants let ECR use your key for this repository only: the grantee is ECR, ECR may retire them, and the constraint pins the context to the repository's ARN."),
            new("Push an image",
                "The client uploads a layer and a config, then the manifest. For each object ECR asks KMS for a fresh data key (GenerateDataKey, step 3), with a context of two pairs: the object's S3 ARN and the repository's ARN.",
                DiagramCall.ToEcr("push demo/app:v1 (layer, config, manifest)"),
                s => s.PushAsync("demo/app", "v1"),
                "Envelope encryption: KMS never sees your image; it only makes and wraps the keys that seal it, and the context ties each wrapped key to its object and repository.",
                StorageNote: "store ciphertext + encrypted data key per object (step 4)"),
            new("Look at what storage holds",
                "No KMS call: we read the stored layer directly. Storage keeps the AES-256-GCM ciphertext and the data key encrypted under the KMS key (step 4).",
                DiagramCall.ToStorage("read the stored layer"),
                s => s.InspectStoredLayerAsync("demo/app"),
                "Anyone reading the storage sees ciphertext; the plaintext data key existed only in memory while the object was sealed."),
            new("Pull the image",
                "The client pulls by digest. For each object ECR sends the stored encrypted data key to KMS with the same context (Decrypt, step 5); KMS returns the data key (step 6) and the object is decrypted (step 7).",
                DiagramCall.ToEcr("pull demo/app:v1"),
                s => s.PullAsync("demo/app"),
                "Decrypt succeeds only because a grant allows it and the context matches the one the key was wrapped with.",
                StorageNote: "read ciphertext + encrypted data key"),
            new("Delete the repository",
                "The `ci` role deletes `demo/app` (with force, since it holds an image). ECR retires both of its grants (RetireGrant twice, step 8).",
                DiagramCall.ToEcr("DeleteRepository demo/app (force)"),
                s => s.DeleteRepositoryAsync("demo/app"),
                "Retiring the grants is what takes ECR's access to your key away: after this, no one can use them, and the grant table shows both Retired."),
        ]);

    private static Lesson Defaults() => new(2, "Defaults and refusals",
        "What ECR does when you say less, or ask for what it will not do.",
        [
            new("KMS without a key: the AWS managed key",
                "`ci` creates `demo/default` with encryption type KMS and no key. On first use ECR creates the AWS managed key `alias/aws/ecr` for the account and region, then grants itself on it as before.",
                DiagramCall.ToEcr("CreateRepository demo/default (KMS, no key)"),
                s => s.CreateRepositoryAsync("demo/default", new EncryptionConfiguration(EncryptionType.Kms)),
                "You get KMS encryption without managing a key; the AWS managed key's policy lets any principal of the account use it through ECR."),
            new("Again: the same managed key",
                "A second repository without a key reuses `alias/aws/ecr`: DescribeKey and two grants, no new key.",
                DiagramCall.ToEcr("CreateRepository demo/default-2 (KMS, no key)"),
                s => s.CreateRepositoryAsync("demo/default-2", new EncryptionConfiguration(EncryptionType.Kms)),
                "There is one AWS managed ECR key per account and region, however many repositories use it."),
            new("AES256: no KMS at all",
                "`ci` creates `demo/plain` with AES256 and pushes to it. Objects are still encrypted, with keys the storage service manages: no KMS call appears.",
                DiagramCall.ToEcr("CreateRepository demo/plain (AES256) + push"),
                async s => $"{await s.CreateRepositoryAsync("demo/plain", EncryptionConfiguration.Aes256)}; {await s.PushAsync("demo/plain", "v1")}",
                "AES256 is encryption at rest without your key: nothing to grant, revoke or audit in KMS, and nothing you can switch off."),
            new("KMS_DSSE in GovCloud",
                "In us-gov-west-1, `ci` creates `demo/dual` with KMS_DSSE (dual-layer server-side encryption) and pushes: each object gets two independent layers, so two data keys.",
                DiagramCall.ToEcr("CreateRepository demo/dual (KMS_DSSE) in us-gov-west-1 + push"),
                async s => $"{await s.CreateRepositoryAsync("demo/dual", new EncryptionConfiguration(EncryptionType.KmsDsse), region: Regions.UsGovWest1)}; {await s.PushAsync("demo/dual", "v1", Regions.UsGovWest1)}",
                "Dual-layer encryption exists for workloads that require two layers; it is offered only in the GovCloud regions."),
            new("KMS_DSSE elsewhere is refused",
                "The same request in us-west-2.",
                DiagramCall.ToEcr("CreateRepository demo/dual (KMS_DSSE) in us-west-2"),
                s => s.CreateRepositoryAsync("demo/dual", new EncryptionConfiguration(EncryptionType.KmsDsse)),
                "The refusal comes before any KMS call: no grant is made for a repository that will not exist.",
                ExpectsRefusal: true),
            new("A key from another region is refused",
                "`ci` names the team key of eu-west-1 for a repository in us-west-2.",
                DiagramCall.ToEcr("CreateRepository demo/far (KMS, key in eu-west-1)"),
                s => s.CreateRepositoryAsync("demo/far", new EncryptionConfiguration(EncryptionType.Kms, s.World.CustomerKeys(s.Account, Regions.EuWest1)[0])),
                "Key and repository must share a region: ECR only uses KMS in the repository's region.",
                ExpectsRefusal: true),
            new("The encryption configuration cannot change",
                "ECR has no call to change a repository's encryption; creating `demo/default` again with AES256 is refused, and the repository keeps KMS.",
                DiagramCall.ToEcr("CreateRepository demo/default (AES256)"),
                s => s.CreateRepositoryAsync("demo/default", EncryptionConfiguration.Aes256),
                "Encryption is chosen once, at creation; to change it, create a new repository and copy the images.",
                ExpectsRefusal: true),
        ]);

    private static Lesson Revocation() => new(3, "Revocation",
        "A key administrator can take ECR's access away without ECR: revoke its grants.",
        [
            new("A repository with an image",
                "`ci` creates `demo/revoked` under `alias/team-0` and pushes an image.",
                DiagramCall.ToEcr("CreateRepository demo/revoked + push"),
                async s => $"{await s.CreateRepositoryAsync("demo/revoked", TeamKey)}; {await s.PushAsync("demo/revoked", "v1")}",
                "Two grants, as always; the image's data keys are wrapped under the team key."),
            new("The administrator revokes ECR's grants",
                "`admin` lists the key's grants, picks those whose constraint names the repository's ARN, and revokes them.",
                DiagramCall.ToKms("ListGrants, then RevokeGrant for each of the repository's grants"),
                async s =>
                {
                    var grants = await s.GrantsNamingAsync(s.TeamKey, "demo/revoked");
                    foreach (var grant in grants)
                    {
                        await s.Kms().RevokeGrant(s.As(Roles.Admin), s.TeamKey, grant.GrantId);
                    }

                    return $"revoked {grants.Count} grants";
                },
                "Revoking is immediate (up to KMS's propagation delay) and needs no cooperation from ECR."),
            new("The next pull fails",
                "`ci` pulls the image. ECR's Decrypt has no grant behind it any more.",
                DiagramCall.ToEcr("pull demo/revoked:v1"),
                s => s.PullAsync("demo/revoked"),
                "Revocation is the emergency brake: the data is unreadable through ECR while the repository still exists.",
                ExpectsRefusal: true),
            new("Delete the repository: the documented way",
                "`ci` deletes the repository. ECR tries to retire its grants, finds them gone (revoked), and the delete completes with nothing left over.",
                DiagramCall.ToEcr("DeleteRepository demo/revoked (force)"),
                s => s.DeleteRepositoryAsync("demo/revoked"),
                "Deleting the repository is how access is meant to end: ECR retires its own grants and removes the data, leaving no grant and no repository that nobody can use."),
        ]);

    private static Lesson Troubleshooting() => new(4, "Troubleshooting: grants a delete could not retire",
        "The guide's troubleshooting section: a repository deleted by someone who may not retire grants.",
        [
            new("A repository with an image",
                "`ci` creates `demo/leftover` under `alias/team-0` and pushes an image.",
                DiagramCall.ToEcr("CreateRepository demo/leftover + push"),
                async s => $"{await s.CreateRepositoryAsync("demo/leftover", TeamKey)}; {await s.PushAsync("demo/leftover", "v1")}",
                "Creating a repository under a customer managed key requires kms:RetireGrant so that the grants can be retired later; `ci` has it."),
            new("`deployer` deletes it, without kms:RetireGrant",
                "The repository is deleted, but both RetireGrant calls are denied; ECR answers with the documented message.",
                DiagramCall.ToEcr("DeleteRepository demo/leftover (force) as deployer"),
                s => s.DeleteRepositoryAsync("demo/leftover", Roles.Deployer),
                "The error is about the grants, not the delete: the repository and its images are gone, but two grants on your key still let ECR use it for that ARN.",
                ExpectsRefusal: true),
            new("Find the leftover grants",
                "`admin` lists the grants on the key named in the message and keeps those whose EncryptionContextSubset names the deleted repository's ARN.",
                DiagramCall.ToKms("ListGrants on the key from the message"),
                async s =>
                {
                    var grants = await s.GrantsNamingAsync(s.TeamKey, "demo/leftover");
                    return $"{grants.Count} grants still name arn:aws:ecr:{s.Region}:{s.Account}:repository/demo/leftover: {string.Join(", ", grants.Select(g => AuditEventFormat.ShortId(g.GrantId)))}";
                },
                "The repository ARN in the constraint is how you tell ECR's grants for one repository from all the others on a shared key."),
            new("Retire them by hand",
                "`admin` retires each of them (`aws kms retire-grant --key-id … --grant-id …`).",
                DiagramCall.ToKms("RetireGrant for each leftover grant"),
                async s =>
                {
                    var grants = await s.GrantsNamingAsync(s.TeamKey, "demo/leftover");
                    foreach (var grant in grants)
                    {
                        await s.Kms().RetireGrant(s.As(Roles.Admin), new RetireGrantRequest(KeyId: s.TeamKey, GrantId: grant.GrantId));
                    }

                    return $"retired {grants.Count} grants; none names the repository any more";
                },
                "Until they are retired, the leftovers are live permissions on your key for a repository that no longer exists."),
        ]);

    private static Lesson EncryptionContext() => new(5, "The encryption context",
        "Why a data key wrapped for one repository cannot be unwrapped for another.",
        [
            new("Two repositories, one image",
                "`ci` creates `demo/a` and `demo/b` under the same key and pushes to `demo/a`.",
                DiagramCall.ToEcr("CreateRepository demo/a, demo/b + push to demo/a"),
                async s => $"{await s.CreateRepositoryAsync("demo/a", TeamKey)}; {await s.CreateRepositoryAsync("demo/b", TeamKey)}; {await s.PushAsync("demo/a", "v1")}",
                "Same key, different repositories: what separates their data is the encryption context."),
            new("Decrypt the layer's data key with its own context",
                "As the key's owner (`root`), we send the stored encrypted data key of `demo/a`'s layer to KMS with the context it was made with.",
                DiagramCall.ToKms("Decrypt (context of demo/a)"),
                async s =>
                {
                    var stored = await s.StoredLayerAsync("demo/a");
                    var plain = await s.Kms().Decrypt(s.As("root"), new DecryptRequest(stored.DataKey.Ciphertext, EcrEncryptionContext.For(stored.ObjectArn, Arn.EcrRepository(s.Region, s.Account, "demo/a").ToString())));
                    return $"KMS returned a {plain.Plaintext.Length}-byte data key";
                },
                "The context is additional authenticated data: KMS checks it, byte for byte, when it unwraps."),
            new("The same ciphertext with demo/b's context",
                "Same wrapped key, but the context says `demo/b`.",
                DiagramCall.ToKms("Decrypt (context of demo/b)"),
                async s =>
                {
                    var stored = await s.StoredLayerAsync("demo/a");
                    await s.Kms().Decrypt(s.As("root"), new DecryptRequest(stored.DataKey.Ciphertext, EcrEncryptionContext.For(stored.ObjectArn, Arn.EcrRepository(s.Region, s.Account, "demo/b").ToString())));
                    return "KMS returned the data key";
                },
                "A copied ciphertext is useless elsewhere: even the key's owner cannot unwrap it under another repository's context.",
                ExpectsRefusal: true),
            new("…or with no context at all",
                "Same wrapped key, no context.",
                DiagramCall.ToKms("Decrypt (no context)"),
                async s =>
                {
                    var stored = await s.StoredLayerAsync("demo/a");
                    await s.Kms().Decrypt(s.As("root"), new DecryptRequest(stored.DataKey.Ciphertext));
                    return "KMS returned the data key";
                },
                "The context is bound to the ciphertext when it is made; leaving it out is just another wrong context.",
                ExpectsRefusal: true),
        ]);

    private static Lesson KeyStates() => new(6, "Key states",
        "What happens to a repository's data as its key is disabled, scheduled for deletion, saved, and deleted.",
        [
            new("A key of its own, a repository, an image",
                "`root` creates a customer managed key; `ci` creates `demo/keyed` under it and pushes.",
                DiagramCall.ToKms("CreateKey; then CreateRepository demo/keyed + push via ECR"),
                async s =>
                {
                    var key = await s.Kms().CreateKey(s.As("root"), new CreateKeyRequest("demo: key states"));
                    s.KeyStatesKey = key.Arn;
                    return $"{await s.CreateRepositoryAsync("demo/keyed", new EncryptionConfiguration(EncryptionType.Kms, key.Arn))}; {await s.PushAsync("demo/keyed", "v1")}";
                },
                "Everything below happens to this key only."),
            new("Disable the key: pulls fail",
                "`admin` disables the key; `ci` pulls.",
                DiagramCall.ToKms("DisableKey; then pull via ECR"),
                async s =>
                {
                    await s.Kms().DisableKey(s.As(Roles.Admin), s.KeyStatesKey!);
                    return await s.PullAsync("demo/keyed");
                },
                "A disabled key decrypts nothing: the data is safe but unreadable until the key is enabled again.",
                ExpectsRefusal: true),
            new("Enable it: pulls work again",
                "`admin` enables the key; `ci` pulls.",
                DiagramCall.ToKms("EnableKey; then pull via ECR"),
                async s =>
                {
                    await s.Kms().EnableKey(s.As(Roles.Admin), s.KeyStatesKey!);
                    return await s.PullAsync("demo/keyed");
                },
                "Disabling is reversible; nothing was lost."),
            new("Schedule deletion: pulls fail",
                "`admin` schedules the key's deletion in 7 days (the shortest window); `ci` pulls.",
                DiagramCall.ToKms("ScheduleKeyDeletion (7 days); then pull via ECR"),
                async s =>
                {
                    await s.Kms().ScheduleKeyDeletion(s.As(Roles.Admin), s.KeyStatesKey!, 7);
                    return await s.PullAsync("demo/keyed");
                },
                "A key pending deletion is unusable at once: the waiting period is for noticing the mistake, not for using the key.",
                ExpectsRefusal: true),
            new("Cancel the deletion: the key comes back Disabled",
                "`admin` cancels the deletion and looks at the key.",
                DiagramCall.ToKms("CancelKeyDeletion; DescribeKey"),
                async s =>
                {
                    await s.Kms().CancelKeyDeletion(s.As(Roles.Admin), s.KeyStatesKey!);
                    return await s.KeyStateAsync(s.KeyStatesKey!);
                },
                "Cancelling does not re-enable the key: it returns Disabled, and someone must decide to enable it."),
            new("Schedule again and let the window pass: the data is gone",
                "`admin` schedules the deletion again; the simulated clock moves 7 days and an hour; `ci` pulls.",
                DiagramCall.ToKms("ScheduleKeyDeletion (7 days); 7 days pass; pull via ECR"),
                async s =>
                {
                    await s.Kms().ScheduleKeyDeletion(s.As(Roles.Admin), s.KeyStatesKey!, 7);
                    await s.Clock.AdvanceAsync(TimeSpan.FromDays(7) + TimeSpan.FromHours(1));
                    return await s.PullAsync("demo/keyed");
                },
                "Deleting a key destroys its material: every data key wrapped under it, and so every image, is unrecoverable, and ECR says so.",
                ExpectsRefusal: true),
        ]);
}
