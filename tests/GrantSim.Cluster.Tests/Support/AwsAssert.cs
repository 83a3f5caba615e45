using GrantSim.Aws;

namespace GrantSim.Cluster.Tests.Support;

public static class AwsAssert
{
    /// <summary>Asserts the call fails with the AWS exception <paramref name="errorCode"/> (and, for KmsException, the KMS error).</summary>
    public static async Task<AwsServiceException> ThrowsAsync(string errorCode, Func<Task> call, string? kmsError = null)
    {
        var error = await Assert.ThrowsAsync<AwsServiceException>(call);
        Assert.Equal(errorCode, error.ErrorCode);
        if (kmsError is not null)
        {
            Assert.Equal(kmsError, error.KmsError);
        }

        return error;
    }
}
