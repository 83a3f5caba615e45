using System.Collections.Concurrent;
using GrantSim.Aws;

namespace GrantSim.Silo.Aws;

/// <summary>
/// Layer uploads in progress (ECR's InitiateLayerUpload/UploadLayerPart/CompleteLayerUpload and the
/// registry's POST/PATCH/PUT): the bytes received so far, in order, owned by the principal and
/// repository that started them. They live in this silo's memory until completed — the finished
/// blob then goes to the repository grain's UploadBlob, encrypted like every other layer.
/// </summary>
public sealed class UploadSessions(TimeProvider clock)
{
    /// <summary>One upload may not grow past this (an in-memory simulation, not a blob store).</summary>
    public const long MaxUploadBytes = 512L * 1024 * 1024;

    public const int MaxOpenSessions = 1000;

    /// <summary>An upload nobody touched for this long is dropped.</summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromHours(1);

    public const string UploadNotFound = "UploadNotFoundException";
    public const string InvalidLayerPart = "InvalidLayerPartException";

    private sealed class Session(string owner, string repository, DateTimeOffset now)
    {
        public string Owner { get; } = owner;

        public string Repository { get; } = repository;

        public MemoryStream Content { get; } = new();

        public DateTimeOffset LastUsed { get; set; } = now;
    }

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>Starts an upload for a caller (principal ARN) into a repository (account/region/name); returns its id (a GUID, as ECR's).</summary>
    public string Start(string owner, string repository)
    {
        DropIdle();
        if (_sessions.Count >= MaxOpenSessions)
        {
            throw new AwsServiceException(AwsErrorCodes.LimitExceeded, $"Too many uploads in progress (at most {MaxOpenSessions}).");
        }

        var id = Guid.NewGuid().ToString("D");
        _sessions[id] = new Session(owner, repository, clock.GetUtcNow());
        return id;
    }

    /// <summary>Appends a part; <paramref name="firstByte"/>, when given, must be where the upload stands. Returns the upload's length.</summary>
    public long Append(string uploadId, string owner, string repository, long? firstByte, ReadOnlySpan<byte> part)
    {
        var session = Find(uploadId, owner, repository);
        lock (session)
        {
            if (firstByte is { } first && first != session.Content.Length)
            {
                throw new AwsServiceException(InvalidLayerPart, $"The part starts at byte {first}, but the upload has {session.Content.Length} bytes: parts must arrive in order.");
            }

            if (session.Content.Length + part.Length > MaxUploadBytes)
            {
                throw new AwsServiceException(AwsErrorCodes.LimitExceeded, $"A layer may not exceed {MaxUploadBytes} bytes here.");
            }

            session.Content.Write(part);
            session.LastUsed = clock.GetUtcNow();
            return session.Content.Length;
        }
    }

    public long Length(string uploadId, string owner, string repository)
    {
        var session = Find(uploadId, owner, repository);
        lock (session)
        {
            return session.Content.Length;
        }
    }

    /// <summary>Ends the upload and hands over its bytes.</summary>
    public byte[] Complete(string uploadId, string owner, string repository)
    {
        var session = Find(uploadId, owner, repository);
        if (!_sessions.TryRemove(new KeyValuePair<string, Session>(uploadId, session)))
        {
            throw NotFound(uploadId);
        }

        lock (session)
        {
            return session.Content.ToArray();
        }
    }

    public void Cancel(string uploadId, string owner, string repository)
    {
        var session = Find(uploadId, owner, repository);
        _sessions.TryRemove(new KeyValuePair<string, Session>(uploadId, session));
    }

    // Another principal's or another repository's upload is as unknown as one that never existed.
    private Session Find(string uploadId, string owner, string repository) =>
        _sessions.TryGetValue(uploadId, out var session) && session.Owner == owner && session.Repository == repository
            ? session
            : throw NotFound(uploadId);

    private void DropIdle()
    {
        var cutoff = clock.GetUtcNow() - IdleLimit;
        foreach (var (id, session) in _sessions)
        {
            if (session.LastUsed < cutoff)
            {
                _sessions.TryRemove(new KeyValuePair<string, Session>(id, session));
            }
        }
    }

    private static AwsServiceException NotFound(string uploadId) =>
        new(UploadNotFound, $"The upload with id '{uploadId}' does not exist in this repository for this caller.");
}
