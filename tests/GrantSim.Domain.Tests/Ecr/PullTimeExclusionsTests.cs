using GrantSim.Aws;
using GrantSim.Ecr;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class PullTimeExclusionsTests
{
    private const string Registry = "111122223333";
    private const string Scanner = "arn:aws:iam::111122223333:role/scanner";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Register_ThenDeregister_RoundTrips_AndTwiceIsRefusedEachWay()
    {
        var one = PullTimeExclusions.Register(PullTimeExclusions.Empty, Scanner, Registry, Now);
        Assert.Equal(Now, one[Scanner]);
        Assert.Equal(AwsErrorCodes.ExclusionAlreadyExists,
            Assert.Throws<AwsServiceException>(() => PullTimeExclusions.Register(one, Scanner, Registry, Now)).ErrorCode);

        var none = PullTimeExclusions.Deregister(one, Scanner, Registry);
        Assert.Empty(none);
        Assert.Equal(AwsErrorCodes.ExclusionNotFound,
            Assert.Throws<AwsServiceException>(() => PullTimeExclusions.Deregister(none, Scanner, Registry)).ErrorCode);
    }

    [Fact]
    public void TheHundredAndFirst_IsLimitExceeded()
    {
        var full = Enumerable.Range(0, PullTimeExclusions.MaxPerRegistry)
            .Aggregate(PullTimeExclusions.Empty, (e, i) => PullTimeExclusions.Register(e, $"arn:aws:iam::111122223333:role/r{i}", Registry, Now));
        Assert.Equal(AwsErrorCodes.LimitExceeded,
            Assert.Throws<AwsServiceException>(() => PullTimeExclusions.Register(full, Scanner, Registry, Now)).ErrorCode);
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/scanner", true)]
    [InlineData("arn:aws:sts::111122223333:assumed-role/scanner/session-1", true)]
    [InlineData("arn:aws:iam::111122223333:role/scanner-2", false)]
    [InlineData("arn:aws:sts::111122223333:assumed-role/ci/session-1", false)]
    [InlineData("arn:aws:iam::444455556666:role/scanner", false)]
    [InlineData("arn:aws:iam::111122223333:root", false)]
    public void Excludes_TheRoleAndEverySessionOfIt_AndNoOneElse(string principal, bool excluded)
    {
        var exclusions = PullTimeExclusions.Register(PullTimeExclusions.Empty, Scanner, Registry, Now);
        Assert.Equal(excluded, PullTimeExclusions.Excludes(exclusions, principal));
    }
}
