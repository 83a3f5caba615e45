namespace GrantSim.Ecr;

/// <summary>ECR's image statuses (<c>imageStatus</c>, a referrer's <c>artifactStatus</c>) and the storage classes an image moves between.</summary>
public static class ImageStatuses
{
    public const string Active = "ACTIVE";
    public const string Archived = "ARCHIVED";
    public const string Activating = "ACTIVATING";

    /// <summary>The filter value that selects every status.</summary>
    public const string Any = "ANY";

    public const string StandardStorageClass = "STANDARD";
    public const string ArchiveStorageClass = "ARCHIVE";

    public static IReadOnlyList<string> All { get; } = [Active, Archived, Activating];

    public static IReadOnlyList<string> Filters { get; } = [Active, Archived, Activating, Any];

    public static IReadOnlyList<string> StorageClasses { get; } = [StandardStorageClass, ArchiveStorageClass];
}
