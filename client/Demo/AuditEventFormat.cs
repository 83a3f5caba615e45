using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Kms;

namespace GrantSim.Client.Demo;

/// <summary>
/// Audit-trail events in the words a reader needs: who called (and through which service), on
/// which key, with which encryption context and grant details, and how it ended. Shared by the
/// demo, its Markdown walkthrough and the <c>trail</c> command.
/// </summary>
public static class AuditEventFormat
{
    /// <summary>"role/ci via ecr.us-west-2.amazonaws.com", "root", "ecr.us-west-2.amazonaws.com".</summary>
    public static string Caller(AuditEvent e)
    {
        var who = Short(e.UserIdentity.Principal);
        return e.UserIdentity.InvokedBy is { } service && service != e.UserIdentity.Principal ? $"{who} via {service}" : who;
    }

    /// <summary>The key or repository the call was about, shortened: "key/1a2b3c4d…", "repository/demo/app".</summary>
    public static string Resource(AuditEvent e)
    {
        var resource = e.Resources.FirstOrDefault() ?? e.RequestParameters.KeyId ?? e.RequestParameters.RepositoryName;
        return resource is null ? "" : Short(resource);
    }

    /// <summary>The encryption context as "key=value" lines, or "" when the call had none.</summary>
    public static string Context(AuditEvent e) => Context(e.RequestParameters.EncryptionContext);

    public static string Context(EncryptionContext? context) =>
        context is null || context.Count == 0 ? "" : string.Join("\n", context.Pairs.Select(p => $"{p.Key}={ShortArn(p.Value)}"));

    /// <summary>What else the call carried that matters: a grant's grantee, retiring principal, operations and constraint; a grant id; a window.</summary>
    public static string Details(AuditEvent e)
    {
        var p = e.RequestParameters;
        var parts = new List<string>();
        if (p.GranteePrincipal is { } grantee)
        {
            parts.Add($"grantee {Short(grantee)}");
        }

        if (p.RetiringPrincipal is { } retiring)
        {
            parts.Add($"retiring {Short(retiring)}");
        }

        if (p.Operations is { Count: > 0 } operations)
        {
            parts.Add($"operations {string.Join(", ", operations)}");
        }

        if (p.Constraints is { } constraints)
        {
            parts.Add(Constraint(constraints));
        }

        if (e.GrantId is { } grantId && e.EventName is KmsOperations.RetireGrant or KmsOperations.RevokeGrant or KmsOperations.CreateGrant)
        {
            parts.Add($"grant {ShortId(grantId)}");
        }
        else if (e.GrantId is { } used)
        {
            parts.Add($"allowed by grant {ShortId(used)}");
        }

        if (p.PendingWindowInDays is { } days)
        {
            parts.Add($"window {days} days");
        }

        if (p.AliasName is { } alias)
        {
            parts.Add(alias);
        }

        if (p.EncryptionType is { } type)
        {
            parts.Add(type);
        }

        return string.Join("\n", parts);
    }

    public static string Constraint(GrantConstraints constraints) =>
        constraints.EncryptionContextSubset is { Count: > 0 } subset ? $"context subset {string.Join(", ", subset.Select(p => $"{p.Key}={ShortArn(p.Value)}"))}"
        : constraints.EncryptionContextEquals is { Count: > 0 } equals ? $"context equals {string.Join(", ", equals.Select(p => $"{p.Key}={ShortArn(p.Value)}"))}"
        : "";

    public static string Result(AuditEvent e) => e.ErrorCode ?? "OK";

    /// <summary>An ARN's resource part ("key/…", "role/ci", "repository/demo/app"); a service principal or a plain value as it is.</summary>
    public static string Short(string value)
    {
        if (!Arn.TryParse(value, out var arn))
        {
            return value;
        }

        return arn.Resource == "root" ? "root" : arn.Resource.StartsWith("key/", StringComparison.Ordinal) ? $"key/{ShortId(arn.Resource[4..])}" : arn.Resource;
    }

    /// <summary>ARNs inside a context keep their service and resource, which is what a reader compares.</summary>
    public static string ShortArn(string value)
    {
        if (!Arn.TryParse(value, out var arn))
        {
            return value;
        }

        // An object ARN is long (bucket/incarnation/digest); its digest is what tells objects apart.
        var resource = arn.Resource.Length > 40 && arn.Resource.LastIndexOf('/') is var slash and > 0
            ? "…/" + ShortDigest(arn.Resource[(slash + 1)..])
            : arn.Resource;
        return $"{arn.Service}:…:{resource}";
    }

    /// <summary>"sha256:7b2cef00…".</summary>
    public static string ShortDigest(string digest) => digest.Length > 15 ? digest[..15] + "…" : digest;

    /// <summary>"ecr.us-west-2.amazonaws.com, which may retire it", or the grantee and the retiring principal apart.</summary>
    public static string GranteeAndRetiring(GrantListEntry grant) =>
        grant.RetiringPrincipal is not { } retiring ? Short(grant.GranteePrincipal)
        : retiring == grant.GranteePrincipal ? $"{Short(grant.GranteePrincipal)}, which may retire it"
        : $"{Short(grant.GranteePrincipal)}; retiring: {Short(retiring)}";

    public static string ShortId(string id) => id.Length > 8 ? id[..8] + "…" : id;
}
