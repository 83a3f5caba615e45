using System.Collections.Concurrent;
using GrantSim.Aws;

namespace GrantSim.Silo.Aws;

/// <summary>
/// Layer uploads in progress (ECR's InitiateLayerUpload/UploadLayerPart/CompleteLayerUpload and the
/// registry's POST/PATCH/PUT): the bytes received so far, in order, owned by the principal and
/// repository that started them. Each tenant has its own share of the slots and of the space
/// (<see cref="UploadLimits"/>), so one tenant's abandoned uploads never lock another out. An
/// upload's first bytes are kept in memory and the rest spooled to a file that is deleted when the
/// upload completes, is cancelled or is reclaimed (idle past its limit). The finished blob goes to
/// the repository grain's UploadBlob, encrypted like every other layer.
/// </summary>
public sealed class UploadSessions : IDisposable
{
    public const string UploadNotFound = "UploadNotFoundException";
    public const string InvalidLayerPart = "InvalidLayerPartException";

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly UploadLimits _limits;
    private readonly TimeProvider _clock;
    private readonly string _spool;

    /// <summary>Whether the spool folder is this silo's own (made for it under the temporary folder), to be removed when it stops.</summary>
    private readonly bool _ownsSpool;
    private readonly ITimer _reclaimer;
    private readonly Lock _admission = new();

    public UploadSessions(UploadLimits limits, TimeProvider clock)
    {
        _limits = limits;
        _clock = clock;
        _ownsSpool = string.IsNullOrEmpty(limits.SpoolDirectory);
        _spool = string.IsNullOrEmpty(limits.SpoolDirectory)
            ? Path.Combine(Path.GetTempPath(), $"grantsim-uploads-{Environment.ProcessId}-{Guid.NewGuid():N}")
            : limits.SpoolDirectory;
        // Abandoned uploads give back their slots and their files even when nobody starts another.
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, Math.Min(limits.IdleLimit.Ticks / 4, TimeSpan.TicksPerMinute)));
        _reclaimer = clock.CreateTimer(_ => ReclaimIdle(), null, period, period);
    }

    public UploadLimits Limits => _limits;

    /// <summary>Where this silo's spool files go (created when the first upload outgrows memory, deleted with the silo's uploads).</summary>
    public string SpoolPath => _spool;

    /// <summary>Uploads in progress, all tenants.</summary>
    public int Count => _sessions.Count;

    /// <summary>Bytes held by unfinished uploads, all tenants.</summary>
    public long Bytes => _sessions.Values.Sum(s => s.Length);

    private sealed class Session(string owner, string repository, DateTimeOffset now) : IDisposable
    {
        public string Owner { get; } = owner;

        public string Repository { get; } = repository;

        public string Tenant { get; } = repository.Split('/', 2)[0];

        public Stream Content { get; set; } = new MemoryStream();

        public long Length { get; set; }

        public DateTimeOffset LastUsed { get; set; } = now;

        public bool Closed { get; set; }

        /// <summary>Being completed: its bytes are on their way to the repository, and nothing may be added.</summary>
        public bool Sealed { get; set; }

        public void Dispose()
        {
            Closed = true;
            Content.Dispose();
        }
    }

    /// <summary>
    /// Starts an upload for a caller (principal ARN) into a repository (account/region/name); returns its
    /// id (a GUID, as ECR's). LimitExceededException when the tenant, or the silo, has all the uploads it may.
    /// </summary>
    public string Start(string owner, string repository)
    {
        ReclaimIdle();
        var session = new Session(owner, repository, _clock.GetUtcNow());
        lock (_admission)
        {
            var ofTenant = _sessions.Values.Count(s => s.Tenant == session.Tenant);
            if (ofTenant >= _limits.MaxSessionsPerTenant)
            {
                throw new AwsServiceException(AwsErrorCodes.LimitExceeded,
                    $"Too many uploads in progress for account {session.Tenant}: at most {_limits.MaxSessionsPerTenant}. Complete or cancel some, or wait {_limits.IdleLimit.TotalMinutes:0} minutes for abandoned ones to be reclaimed.");
            }

            if (_sessions.Count >= _limits.MaxSessionsPerSilo)
            {
                throw new AwsServiceException(AwsErrorCodes.LimitExceeded, $"Too many uploads in progress on this server: at most {_limits.MaxSessionsPerSilo}. Try again later.");
            }

            var id = Guid.NewGuid().ToString("D");
            _sessions[id] = session;
            return id;
        }
    }

    /// <summary>Appends a part; <paramref name="firstByte"/>, when given, must be where the upload stands. Returns the upload's length.</summary>
    public long Append(string uploadId, string owner, string repository, long? firstByte, ReadOnlySpan<byte> part)
    {
        var session = Find(uploadId, owner, repository);
        lock (session)
        {
            RequireOpen(session, uploadId);
            RequirePosition(session, firstByte);
            Reserve(session, part.Length);
            SpoolIfLarge(session, part.Length);
            session.Content.Write(part);
            session.Length += part.Length;
            session.LastUsed = _clock.GetUtcNow();
            return session.Length;
        }
    }

    /// <summary>
    /// Appends a part read from <paramref name="part"/> as it arrives (a registry PATCH or PUT body), never
    /// holding more of it than a buffer. A part that breaks a limit, or is cut short, leaves the upload as it was.
    /// </summary>
    /// <param name="expectedLength">When the part said how long it is (Content-Range), a part of another length is refused.</param>
    public async Task<long> AppendAsync(string uploadId, string owner, string repository, long? firstByte, Stream part, long? expectedLength = null, CancellationToken cancellationToken = default)
    {
        var session = Find(uploadId, owner, repository);
        await using var staged = new FileStream(Path.Combine(SpoolDirectory(), $"{Guid.NewGuid():N}.part"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var buffer = new byte[81920];
        long received = 0;
        int read;
        while ((read = await part.ReadAsync(buffer, cancellationToken)) > 0)
        {
            received += read;
            lock (session)
            {
                RequireOpen(session, uploadId);
                RequireRoom(session, session.Length + received, received);
            }

            await staged.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        if (expectedLength is { } expected && expected != received)
        {
            throw new AwsServiceException(InvalidLayerPart, $"The part's range says {expected} bytes, but {received} arrived.");
        }

        staged.Position = 0;
        lock (session)
        {
            RequireOpen(session, uploadId);
            RequirePosition(session, firstByte);
            Reserve(session, received);
            SpoolIfLarge(session, received);
            staged.CopyTo(session.Content);
            session.Length += received;
            session.LastUsed = _clock.GetUtcNow();
            return session.Length;
        }
    }

    public long Length(string uploadId, string owner, string repository)
    {
        var session = Find(uploadId, owner, repository);
        lock (session)
        {
            return session.Length;
        }
    }

    /// <summary>
    /// Seals the upload for completion and hands over its bytes (with <paramref name="finalPart"/>, the
    /// last chunk of a registry PUT, after them — not yet part of the upload). Nothing can be added while
    /// it is sealed; <see cref="Finish"/> ends it once the repository has the blob, <see cref="Unseal"/>
    /// gives it back as it was (the final part forgotten) when the repository refused it.
    /// </summary>
    public async Task<byte[]> SealAsync(string uploadId, string owner, string repository, Stream? finalPart = null, long? firstByte = null, long? expectedLength = null, CancellationToken cancellationToken = default)
    {
        var session = Find(uploadId, owner, repository);
        byte[] tail = [];
        if (finalPart is not null)
        {
            using var staged = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await finalPart.ReadAsync(buffer, cancellationToken)) > 0)
            {
                lock (session)
                {
                    RequireOpen(session, uploadId);
                    RequireRoom(session, session.Length + staged.Length + read, staged.Length + read);
                }

                staged.Write(buffer, 0, read);
            }

            if (expectedLength is { } expected && expected != staged.Length)
            {
                throw new AwsServiceException(InvalidLayerPart, $"The part's range says {expected} bytes, but {staged.Length} arrived.");
            }

            tail = staged.ToArray();
        }

        lock (session)
        {
            RequireOpen(session, uploadId);
            if (tail.Length > 0)
            {
                RequirePosition(session, firstByte);
            }

            var content = new byte[session.Length + tail.Length];
            session.Content.Position = 0;
            session.Content.ReadExactly(content.AsSpan(0, (int)session.Length));
            session.Content.Position = session.Length;
            tail.CopyTo(content, session.Length);
            session.Sealed = true;
            session.LastUsed = _clock.GetUtcNow();
            return content;
        }
    }

    /// <summary>The repository has the blob: the upload is over.</summary>
    public void Finish(string uploadId, string owner, string repository)
    {
        var session = Find(uploadId, owner, repository);
        if (_sessions.TryRemove(new KeyValuePair<string, Session>(uploadId, session)))
        {
            lock (session)
            {
                session.Dispose();
            }
        }
    }

    /// <summary>The repository refused the blob: the upload is open again, as it was before it was sealed.</summary>
    public void Unseal(string uploadId, string owner, string repository)
    {
        if (_sessions.TryGetValue(uploadId, out var session) && session.Owner == owner && session.Repository == repository)
        {
            lock (session)
            {
                session.Sealed = false;
            }
        }
    }

    /// <summary>Ends the upload and hands over its bytes (the one copy of the layer the grain needs).</summary>
    public byte[] Complete(string uploadId, string owner, string repository)
    {
        var session = Find(uploadId, owner, repository);
        if (!_sessions.TryRemove(new KeyValuePair<string, Session>(uploadId, session)))
        {
            throw NotFound(uploadId);
        }

        lock (session)
        {
            var content = new byte[session.Length];
            session.Content.Position = 0;
            session.Content.ReadExactly(content);
            session.Dispose();
            return content;
        }
    }

    public void Cancel(string uploadId, string owner, string repository)
    {
        var session = Find(uploadId, owner, repository);
        if (_sessions.TryRemove(new KeyValuePair<string, Session>(uploadId, session)))
        {
            lock (session)
            {
                session.Dispose();
            }
        }
    }

    /// <summary>Drops every upload nobody touched within the idle limit, with its file.</summary>
    public int ReclaimIdle()
    {
        var cutoff = _clock.GetUtcNow() - _limits.IdleLimit;
        var reclaimed = 0;
        foreach (var (id, session) in _sessions)
        {
            if (session.LastUsed < cutoff && _sessions.TryRemove(new KeyValuePair<string, Session>(id, session)))
            {
                lock (session)
                {
                    session.Dispose();
                }

                reclaimed++;
            }
        }

        return reclaimed;
    }

    public void Dispose()
    {
        _reclaimer.Dispose();
        foreach (var (id, session) in _sessions)
        {
            if (_sessions.TryRemove(new KeyValuePair<string, Session>(id, session)))
            {
                lock (session)
                {
                    session.Dispose();
                }
            }
        }

        // The spool files went with their uploads (they are deleted when closed). Only a folder made for this
        // silo is removed, and only when nothing else is in it: never a configured folder, never anything recursively.
        if (_ownsSpool)
        {
            try
            {
                Directory.Delete(_spool, recursive: false);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Absent (no upload ever outgrew memory), or holding what this silo did not put there: left alone.
            }
        }
    }

    private static void RequireOpen(Session session, string uploadId)
    {
        if (session.Closed)
        {
            throw NotFound(uploadId);
        }

        if (session.Sealed)
        {
            throw new AwsServiceException(InvalidLayerPart, $"The upload '{uploadId}' is being completed: no part may be added.");
        }
    }

    private static void RequirePosition(Session session, long? firstByte)
    {
        if (firstByte is { } first && first != session.Length)
        {
            throw new AwsServiceException(InvalidLayerPart, $"The part starts at byte {first}, but the upload has {session.Length} bytes: parts must arrive in order.");
        }
    }

    /// <summary>Whether the upload may grow by <paramref name="more"/> bytes to <paramref name="total"/>, given its tenant's and the silo's space.</summary>
    private void RequireRoom(Session session, long total, long more)
    {
        if (total > _limits.MaxUploadBytes)
        {
            throw new AwsServiceException(AwsErrorCodes.LimitExceeded, $"A layer may not exceed {_limits.MaxUploadBytes} bytes here.");
        }

        var ofTenant = _sessions.Values.Where(s => s.Tenant == session.Tenant).Sum(s => s.Length);
        if (ofTenant + more > _limits.MaxBytesPerTenant)
        {
            throw new AwsServiceException(AwsErrorCodes.LimitExceeded, $"Unfinished uploads of account {session.Tenant} may hold at most {_limits.MaxBytesPerTenant} bytes.");
        }

        if (Bytes + more > _limits.MaxBytesPerSilo)
        {
            throw new AwsServiceException(AwsErrorCodes.LimitExceeded, $"Unfinished uploads on this server may hold at most {_limits.MaxBytesPerSilo} bytes. Try again later.");
        }
    }

    private void Reserve(Session session, long more) => RequireRoom(session, session.Length + more, more);

    /// <summary>Past the in-memory share, the upload moves to a spool file (deleted when it is closed).</summary>
    private void SpoolIfLarge(Session session, long more)
    {
        if (session.Content is not MemoryStream memory || session.Length + more <= _limits.InMemoryBytes)
        {
            return;
        }

        var file = new FileStream(Path.Combine(SpoolDirectory(), $"{Guid.NewGuid():N}.upload"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        memory.Position = 0;
        memory.CopyTo(file);
        session.Content = file;
        memory.Dispose();
    }

    private string SpoolDirectory()
    {
        Directory.CreateDirectory(_spool);
        return _spool;
    }

    // Another principal's or another repository's upload is as unknown as one that never existed.
    private Session Find(string uploadId, string owner, string repository) =>
        _sessions.TryGetValue(uploadId, out var session) && session.Owner == owner && session.Repository == repository
            ? session
            : throw NotFound(uploadId);

    private static AwsServiceException NotFound(string uploadId) =>
        new(UploadNotFound, $"The upload with id '{uploadId}' does not exist in this repository for this caller.");
}
