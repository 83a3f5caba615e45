namespace GrantSim.Aws;

/// <summary>An AWS partition: the first field of every ARN in it.</summary>
public static class Partition
{
    public const string Aws = "aws";
    public const string AwsCn = "aws-cn";
    public const string AwsUsGov = "aws-us-gov";

    public static bool IsKnown(string partition) => partition is Aws or AwsCn or AwsUsGov;
}
