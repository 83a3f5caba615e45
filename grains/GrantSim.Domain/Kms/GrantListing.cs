using System.Globalization;
using GrantSim.Aws;

namespace GrantSim.Kms;

/// <summary>ListGrants paging: active grants in creation order; the marker is the last sequence returned.</summary>
public static class GrantListing
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;

    public static void Validate(ListGrantsRequest request)
    {
        if (request.Limit is < 1 or > MaxLimit)
        {
            throw new AwsServiceException(AwsErrorCodes.Validation, $"1 validation error detected: Value '{request.Limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and {MaxLimit}");
        }

        if (request.Marker is not null && !long.TryParse(request.Marker, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new AwsServiceException(AwsErrorCodes.Validation, $"The marker '{request.Marker}' is not one that ListGrants returned.");
        }

        if (request.GrantId is not null)
        {
            GrantLifecycle.RequireWellFormedGrantId(request.GrantId);
        }
    }

    public static ListGrantsResponse Page(GrantBook book, string keyId, ListGrantsRequest request)
    {
        var limit = request.Limit ?? DefaultLimit;
        var after = request.Marker is null ? -1 : long.Parse(request.Marker, CultureInfo.InvariantCulture);
        var page = new List<Grant>(limit);
        string? nextMarker = null;
        foreach (var grant in book.After(after))
        {
            if (!grant.IsActive
                || (request.GrantId is not null && grant.GrantId != request.GrantId)
                || (request.GranteePrincipal is not null && grant.GranteePrincipal != request.GranteePrincipal))
            {
                continue;
            }

            if (page.Count == limit)
            {
                nextMarker = page[^1].Sequence.ToString(CultureInfo.InvariantCulture);
                break;
            }

            page.Add(grant);
        }

        return new ListGrantsResponse(page.Select(g => g.ToListEntry(keyId)).ToArray(), nextMarker);
    }
}
