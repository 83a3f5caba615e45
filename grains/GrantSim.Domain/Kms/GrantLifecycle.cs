using System.Text.RegularExpressions;
using GrantSim.Aws;
using GrantSim.Identity;

namespace GrantSim.Kms;

/// <summary>
/// The grant rules of SPEC §3: validation, idempotent creation by name, the per-key quota, when a
/// grant authorizes a call (operations, constraints, propagation), who may retire it, and the
/// one-way end of a grant. Pure.
/// </summary>
public static partial class GrantLifecycle
{
    public const int MaxGrantsPerCustomerKey = 50_000;
    public const int MaxConstraintPairs = 8;
    public const int MaxNameLength = 256;

    [GeneratedRegex(@"\A[a-zA-Z0-9:/_-]+\z")]
    private static partial Regex NamePattern();

    /// <summary>Validates a CreateGrant request and returns it normalized (operations distinct and in KMS's order).</summary>
    public static CreateGrantRequest Validate(CreateGrantRequest request)
    {
        RequirePrincipal(request.GranteePrincipal, "granteePrincipal");
        if (request.RetiringPrincipal is not null)
        {
            RequirePrincipal(request.RetiringPrincipal, "retiringPrincipal");
        }

        if (request.Operations is null || request.Operations.Count == 0)
        {
            throw Validation("Value at 'operations' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }

        foreach (var operation in request.Operations)
        {
            if (!KmsOperations.Grantable.Contains(operation))
            {
                throw Validation($"Value '[{operation}]' at 'operations' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", KmsOperations.Grantable.Order(StringComparer.Ordinal))}]");
            }
        }

        if (request.Constraints is { } constraints)
        {
            if (constraints.EncryptionContextSubset?.Count > MaxConstraintPairs || constraints.EncryptionContextEquals?.Count > MaxConstraintPairs)
            {
                throw Validation($"A grant constraint may hold at most {MaxConstraintPairs} encryption context pairs.");
            }
        }

        if (request.Name is { } name && (name.Length is 0 or > MaxNameLength || !NamePattern().IsMatch(name)))
        {
            throw Validation($"Value '{name}' at 'name' failed to satisfy constraint: Member must have length between 1 and {MaxNameLength} and match pattern ^[a-zA-Z0-9:/_-]+$");
        }

        if (request.GrantTokens?.Count > GrantTokens.MaxTokensPerRequest)
        {
            throw Validation($"Value at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to {GrantTokens.MaxTokensPerRequest}");
        }

        var constraintsOrNull = request.Constraints is { EncryptionContextSubset: null, EncryptionContextEquals: null } ? null : request.Constraints;
        return request with
        {
            Operations = request.Operations.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
            Constraints = constraintsOrNull,
        };
    }

    /// <summary>
    /// Creates a grant, or returns the active grant of the same name and parameters (a retry):
    /// then <see cref="GrantCreation.IsNew"/> is false. A name reused with other parameters makes a
    /// new grant, as a request without a name does (GrantSim's choice; see docs/decisions.md).
    /// </summary>
    public static GrantCreation Create(GrantBook book, KmsKey key, CreateGrantRequest validated, string issuingAccount, DateTimeOffset now, string newGrantId)
    {
        RequireFitsTheKey(key, validated);
        if (validated.Name is not null)
        {
            var existing = book.Named(validated.Name).FirstOrDefault(g => g.IsActive && SameParameters(g, validated));
            if (existing is not null)
            {
                return new GrantCreation(book, existing, IsNew: false);
            }
        }

        if (key.Manager == KeyManager.Customer && book.ActiveCount >= MaxGrantsPerCustomerKey)
        {
            throw new AwsServiceException(AwsErrorCodes.LimitExceeded,
                $"The request was rejected because {key.Arn} already has {MaxGrantsPerCustomerKey} grants, the most a customer managed key may have.");
        }

        var grant = new Grant(newGrantId, book.NextSequence, validated.Name, now, validated.GranteePrincipal, validated.RetiringPrincipal,
            issuingAccount, validated.Operations, validated.Constraints, GrantStatus.Active, null, null);
        return new GrantCreation(book.Put(grant), grant, IsNew: true);
    }

    private static bool SameParameters(Grant grant, CreateGrantRequest request) =>
        grant.GranteePrincipal == request.GranteePrincipal
        && grant.RetiringPrincipal == request.RetiringPrincipal
        && grant.Operations.SequenceEqual(request.Operations)
        && Equals(grant.Constraints, request.Constraints);

    /// <summary>
    /// Whether a grant counts at <paramref name="now"/>: a new grant once the propagation delay has
    /// passed (at once when its token is presented); an ended grant until its end has propagated.
    /// With no delay both are immediate.
    /// </summary>
    public static bool IsEffective(Grant grant, DateTimeOffset now, TimeSpan propagationDelay, bool tokenPresented)
    {
        var started = tokenPresented || now >= grant.CreationDate + propagationDelay;
        var ended = grant.EndedAt is { } endedAt && now >= endedAt + propagationDelay;
        return started && !ended;
    }

    /// <summary>True when the request's encryption context satisfies the grant's constraints (always, for operations without a context).</summary>
    public static bool ConstraintsAllow(GrantConstraints? constraints, string operation, EncryptionContext? context)
    {
        if (constraints is null || !KmsOperations.TakingEncryptionContext.Contains(operation))
        {
            return true;
        }

        context ??= EncryptionContext.Empty;
        return (constraints.EncryptionContextEquals is null || context.Equals(constraints.EncryptionContextEquals))
            && (constraints.EncryptionContextSubset is null || context.Contains(constraints.EncryptionContextSubset));
    }

    /// <summary>
    /// The grant that authorizes <paramref name="operation"/> for <paramref name="grantee"/>, or null.
    /// Presented grants are tried first, so that a caller presenting tokens is attributed to the
    /// grant it names; then the others, oldest first. For CreateGrant the new grant's operations
    /// must be among the authorizing grant's.
    /// </summary>
    public static Grant? FindAuthorizingGrant(
        GrantBook book, string grantee, string operation, EncryptionContext? context, DateTimeOffset now, TimeSpan propagationDelay,
        IReadOnlySet<string> presentedGrantIds, IReadOnlyList<string>? requestedGrantOperations = null)
    {
        foreach (var grantId in presentedGrantIds)
        {
            if (book.Find(grantId) is { } presented && Authorizes(presented, tokenPresented: true))
            {
                return presented;
            }
        }

        foreach (var grant in book.ForGrantee(grantee))
        {
            if (Authorizes(grant, presentedGrantIds.Contains(grant.GrantId)))
            {
                return grant;
            }
        }

        return null;

        bool Authorizes(Grant grant, bool tokenPresented) =>
            string.Equals(grant.GranteePrincipal, grantee, StringComparison.Ordinal)
            && grant.Operations.Contains(operation, StringComparer.Ordinal)
            && IsEffective(grant, now, propagationDelay, tokenPresented)
            && ConstraintsAllow(grant.Constraints, operation, context)
            && (requestedGrantOperations is null || requestedGrantOperations.All(op => grant.Operations.Contains(op, StringComparer.Ordinal)));
    }

    /// <summary>
    /// Who may retire a grant (SPEC §3): its retiring principal; its grantee when it allows
    /// RetireGrant; the root of the account that created it; IAM principals of that account whose
    /// identity policies allow kms:RetireGrant (<paramref name="iamAllowsRetire"/>).
    /// </summary>
    public static bool MayRetire(Grant grant, CallerIdentity caller, bool iamAllowsRetire)
    {
        if (grant.RetiringPrincipal is not null && string.Equals(grant.RetiringPrincipal, caller.Principal, StringComparison.Ordinal))
        {
            return true;
        }

        if (string.Equals(grant.GranteePrincipal, caller.Principal, StringComparison.Ordinal) && grant.Operations.Contains(KmsOperations.RetireGrant, StringComparer.Ordinal))
        {
            return true;
        }

        return caller.Account == grant.IssuingAccount && (caller.Kind == PrincipalKind.AccountRoot || iamAllowsRetire);
    }

    /// <summary>Ends an active grant; an ended grant is never active again (ending it twice is NotFound, as KMS has forgotten it).</summary>
    public static Grant End(Grant grant, GrantStatus endStatus, DateTimeOffset now, string endedBy)
    {
        if (endStatus == GrantStatus.Active)
        {
            throw new ArgumentException("A grant can only end as Retired or Revoked.", nameof(endStatus));
        }

        if (!grant.IsActive)
        {
            throw GrantNotFound(grant.GrantId);
        }

        return grant with { Status = endStatus, EndedAt = now, EndedBy = endedBy };
    }

    public static void RequireWellFormedGrantId(string? grantId)
    {
        if (!GrantIds.IsWellFormed(grantId))
        {
            throw new AwsServiceException(AwsErrorCodes.InvalidGrantId, $"The grant id '{grantId}' is not valid: a grant id is 64 hexadecimal digits.");
        }
    }

    public static AwsServiceException GrantNotFound(string grantId) =>
        new(AwsErrorCodes.NotFound, $"Grant ID {grantId} not found");

    private static void RequirePrincipal(string? principal, string field)
    {
        if (string.IsNullOrWhiteSpace(principal) || principal.Length > 256)
        {
            throw Validation($"Value at '{field}' failed to satisfy constraint: Member must have length between 1 and 256");
        }

        try
        {
            new CallerIdentity(principal).Validate();
        }
        catch (AwsServiceException)
        {
            throw Validation($"'{principal}' at '{field}' is not a valid principal: use an IAM ARN or a service principal.");
        }
    }

    /// <summary>
    /// A grant allows only operations its key can perform, and encryption-context constraints only on a
    /// symmetric encryption key (the only keys whose operations take an encryption context), as KMS checks.
    /// </summary>
    public static void RequireFitsTheKey(KmsKey key, CreateGrantRequest request)
    {
        var allowed = KmsOperations.GrantableFor(key.KeySpec.Name, key.KeyUsage);
        if (request.Operations.FirstOrDefault(o => !allowed.Contains(o)) is { } unfit)
        {
            throw new AwsServiceException(AwsErrorCodes.Validation,
                $"The grant operation {unfit} is not valid for {key.Arn}, a {key.KeySpec.Name} key with KeyUsage {key.KeyUsage}.");
        }

        if (!key.IsSymmetric && request.Constraints is { EncryptionContextEquals: not null } or { EncryptionContextSubset: not null })
        {
            throw new AwsServiceException(AwsErrorCodes.Validation,
                $"Grant constraints are not supported for {key.Arn}: encryption context constraints apply only to symmetric encryption KMS keys.");
        }
    }

    private static AwsServiceException Validation(string message) =>
        new(AwsErrorCodes.Validation, "1 validation error detected: " + message);
}
