using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Client.Hosting;
using GrantSim.Client.Images;
using GrantSim.Client.Simulation;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Identity;
using GrantSim.Kms;

namespace GrantSim.Client.Demo;

/// <summary>
/// The demo's world and the verbs its lessons use. One tenant, the account of the AWS docs'
/// examples (111122223333), in us-west-2 (plus eu-west-1 and GovCloud for lesson 2), with the
/// simulation's roles: <c>admin</c>, <c>ci</c> (may retire grants), <c>deployer</c> (may not), <c>reader</c>.
/// Verbs return a one-line result; a refused call throws <see cref="AwsServiceException"/>, which the runner shows.
/// </summary>
public sealed partial class DemoSession
{
    public const string DefaultAccount = "111122223333";

    private readonly ImageClient _images;
    private readonly Dictionary<string, PushedImage> _pushed = new(StringComparer.Ordinal);

    private DemoSession(IGrainFactory grains, ISimulationClock clock, World world, string account)
    {
        Grains = grains;
        Clock = clock;
        World = world;
        Account = account;
        _images = new ImageClient(grains);
    }

    public IGrainFactory Grains { get; }

    public ISimulationClock Clock { get; }

    public World World { get; }

    public string Account { get; }

    public string Region => Regions.UsWest2;

    /// <summary>The customer managed key the lessons use (alias/team-0), unless a lesson makes its own.</summary>
    public string TeamKey => World.CustomerKeys(Account, Region)[0];

    /// <summary>The key lesson 6 makes, disables and deletes.</summary>
    public string? KeyStatesKey { get; set; }

    private readonly HashSet<string> _lessonKeys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lessonRepositories = new(StringComparer.Ordinal);

    /// <summary>A lesson starts: the grant tables show only the grants of the repositories it creates.</summary>
    public void BeginLesson()
    {
        _lessonKeys.Clear();
        _lessonRepositories.Clear();
    }

    /// <summary>The (account, region) trails whose new events each step shows.</summary>
    public IEnumerable<(string Account, string Region)> Trails => World.Regions.Select(r => (Account, r)).Append((PartnerAccount, Region));

    public static async Task<DemoSession> StartAsync(IGrainFactory grains, ISimulationClock clock, string account = DefaultAccount)
    {
        var world = await World.CreateAsync(grains, [account], [Regions.UsWest2, Regions.EuWest1, Regions.UsGovWest1]);
        return new DemoSession(grains, clock, world, account);
    }

    public CallerIdentity As(string role, string? region = null) => World.Principal(Account, region ?? Region, role);

    public IEcrServiceGrain Ecr(string? region = null) => Grains.GetGrain<IEcrServiceGrain>(region ?? Region);

    public IKmsServiceGrain Kms(string? region = null) => Grains.GetGrain<IKmsServiceGrain>(region ?? Region);

    public async Task<string> CreateRepositoryAsync(string name, EncryptionConfiguration? configuration, string role = Roles.Ci, string? region = null)
    {
        var created = await Ecr(region).CreateRepository(As(role, region), new CreateRepositoryRequest(name, configuration));
        var encryption = created.EncryptionConfiguration;
        if (encryption.KmsKey is { } key)
        {
            _lessonKeys.Add(key);
            _lessonRepositories.Add(created.RepositoryArn);
        }

        return $"created {created.RepositoryArn} with {encryption.EncryptionType.ToWire()}{(encryption.KmsKey is { } k ? $" under {AuditEventFormat.Short(k)}" : "")}";
    }

    public async Task<string> PushAsync(string repository, string tag, string? region = null)
    {
        var layer = System.Text.Encoding.UTF8.GetBytes($"layer of {repository}:{tag} — the bytes of a filesystem tarball would go here");
        var config = System.Text.Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"tag\":\"{tag}\"}}");
        var pushed = await _images.PushAsync(As(Roles.Ci, region), region ?? Region, repository, tag, [layer], config);
        _pushed[Key(repository, region)] = pushed;
        return $"pushed {repository}:{tag} as {pushed.ManifestDigest[..19]}… (a layer, a config and a manifest: three objects)";
    }

    public async Task<string> PullAsync(string repository, string role = Roles.Ci, string? region = null, CallerIdentity? caller = null)
    {
        var image = _pushed[Key(repository, region)];
        var differences = await _images.PullAndCompareAsync(caller ?? As(role, region), region ?? Region, repository, image, registry: Account);
        return differences.Count == 0
            ? $"pulled {repository}:{image.Tag}: manifest, layer and config, byte for byte what was pushed"
            : $"pulled {repository}:{image.Tag}, but: {string.Join("; ", differences)}";
    }

    public async Task<string> DeleteRepositoryAsync(string repository, string role = Roles.Ci, string? region = null)
    {
        var deleted = await Ecr(region).DeleteRepository(As(role, region), repository, force: true);
        return $"deleted {deleted.RepositoryArn}";
    }

    /// <summary>What storage holds for the image's layer: ciphertext, and the data key only in its KMS-encrypted form.</summary>
    public async Task<string> InspectStoredLayerAsync(string repository)
    {
        var stored = await StoredLayerAsync(repository);
        var plain = _pushed[Key(repository, null)].Blobs[0].Content;
        return $"layer {stored.Digest[..19]}…: {stored.Sealed.Length} bytes stored for {plain.Length} pushed, beginning "
            + $"{Convert.ToHexString(stored.Sealed.AsSpan(0, 8))}… (AES-256-GCM ciphertext, not the layer); its data key is stored only "
            + $"encrypted under {AuditEventFormat.Short(stored.DataKey.KmsKeyArn ?? "the storage key")} ({stored.DataKey.Ciphertext.Length} bytes)";
    }

    public async Task<StoredObject> StoredLayerAsync(string repository)
    {
        var snapshot = await Grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(Account, Region, repository)).Inspect();
        var digest = _pushed[Key(repository, null)].Blobs[0].Digest;
        return await Grains.GetGrain<IStoredObjectGrain>(GrainKeys.StoredObject(Account, Region, repository, snapshot.Incarnation, StoredObjectKind.Blob, digest)).Get()
            ?? throw new InvalidOperationException($"{repository} stores no layer {digest}");
    }

    /// <summary>ECR's grants for a repository: those on its key whose constraint names the repository's ARN (how the guide says to find them).</summary>
    public async Task<IReadOnlyList<GrantListEntry>> GrantsNamingAsync(string keyArn, string repository, string role = Roles.Admin)
    {
        var repositoryArn = Arn.EcrRepository(Region, Account, repository).ToString();
        var grants = await KmsPaging.AllGrantsAsync(Kms(), As(role), keyArn);
        return grants.Where(g => EcrEncryptionContext.RepositoryArnOf(g) == repositoryArn).ToArray();
    }

    public async Task<string> KeyStateAsync(string keyArn) => $"the key is {(await Kms().DescribeKey(As(Roles.Admin), keyArn)).KeyState}";

    /// <summary>The trail's last sequence number, per trail: where the next step's events begin.</summary>
    public async Task<IReadOnlyDictionary<(string, string), long>> TrailPositionsAsync()
    {
        var positions = new Dictionary<(string, string), long>();
        foreach (var trail in Trails)
        {
            var events = await Trail(trail).Query(new AuditQuery());
            positions[trail] = events.Count == 0 ? -1 : events.Max(e => e.Sequence);
        }

        return positions;
    }

    public async Task<IReadOnlyList<AuditEvent>> EventsSinceAsync(IReadOnlyDictionary<(string, string), long> positions)
    {
        var events = new List<AuditEvent>();
        foreach (var trail in Trails)
        {
            events.AddRange(await Trail(trail).Query(new AuditQuery(AfterSequence: positions.GetValueOrDefault(trail, -1))));
        }

        // A call across accounts is in both accounts' trails: shown once.
        return events.DistinctBy(e => e.EventId, StringComparer.Ordinal).OrderBy(e => e.EventTime).ThenBy(e => e.AwsRegion, StringComparer.Ordinal).ThenBy(e => e.Sequence).ToArray();
    }

    /// <summary>The grants, in every state, that name a repository the current lesson created.</summary>
    public async Task<IReadOnlyList<GrantRecord>> LessonGrantsAsync()
    {
        var grants = new List<GrantRecord>();
        foreach (var key in _lessonKeys.Order(StringComparer.Ordinal))
        {
            var history = await Grains.GetGrain<IKeyGrain>(GrainKeys.Key(Arn.Parse(key))).GetGrantHistory();
            grants.AddRange(history.Where(g => EcrEncryptionContext.RepositoryArnOf(g.Grant) is { } arn && _lessonRepositories.Contains(arn)));
        }

        return grants;
    }

    private IAuditTrailGrain Trail((string Account, string Region) trail) => Grains.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(trail.Account, trail.Region));

    private static string Key(string repository, string? region) => $"{region}/{repository}";
}
