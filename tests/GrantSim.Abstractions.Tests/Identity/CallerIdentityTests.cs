using GrantSim.Aws;
using GrantSim.Identity;

namespace GrantSim.Abstractions.Tests.Identity;

public sealed class CallerIdentityTests
{
    private const string Account = "111122223333";

    [Fact]
    public void Root_IsTheAccountRootArn()
    {
        var root = CallerIdentity.Root(Partition.Aws, Account);

        Assert.Equal($"arn:aws:iam::{Account}:root", root.Principal);
        Assert.Equal(PrincipalKind.AccountRoot, root.Kind);
        Assert.Equal(Account, root.Account);
        Assert.Equal(Partition.Aws, root.Partition);
        Assert.False(root.IsServicePrincipal);
    }

    [Fact]
    public void Role_IsAnIamRole()
    {
        var role = CallerIdentity.Role(Partition.AwsUsGov, Account, "ci");

        Assert.Equal($"arn:aws-us-gov:iam::{Account}:role/ci", role.Principal);
        Assert.Equal(PrincipalKind.IamRole, role.Kind);
        Assert.Equal(Partition.AwsUsGov, role.Partition);
    }

    [Fact]
    public void User_IsAnIamUser()
    {
        var user = CallerIdentity.User(Partition.Aws, Account, "alice");

        Assert.Equal($"arn:aws:iam::{Account}:user/alice", user.Principal);
        Assert.Equal(PrincipalKind.IamUser, user.Kind);
        Assert.Equal(Account, user.Account);
    }

    [Fact]
    public void Service_HasNoAccountNorPartition()
    {
        var ecr = CallerIdentity.Service("ecr.us-east-1.amazonaws.com");

        Assert.True(ecr.IsServicePrincipal);
        Assert.Equal(PrincipalKind.AwsService, ecr.Kind);
        Assert.Null(ecr.Account);
        Assert.Null(ecr.Partition);
    }

    [Theory]
    [InlineData("1111")]
    [InlineData("11112222333x")]
    public void Builders_WithABadAccount_AreValidationException(string account)
    {
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => CallerIdentity.Root(Partition.Aws, account)).ErrorCode);
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => CallerIdentity.Role(Partition.Aws, account, "r")).ErrorCode);
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => CallerIdentity.User(Partition.Aws, account, "u")).ErrorCode);
    }

    [Fact]
    public void Via_KeepsThePrincipalAndRecordsTheService()
    {
        var user = CallerIdentity.User(Partition.Aws, Account, "alice");

        var viaEcr = user.Via("ecr.us-east-1.amazonaws.com");

        Assert.Equal(user.Principal, viaEcr.Principal);
        Assert.Equal("ecr.us-east-1.amazonaws.com", viaEcr.ViaService);
        Assert.Null(user.ViaService);
        Assert.Equal(PrincipalKind.IamUser, viaEcr.Kind);
        Assert.Equal($"arn:aws:iam::{Account}:user/alice via ecr.us-east-1.amazonaws.com", viaEcr.ToString());
        Assert.Equal(user.Principal, user.ToString());
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:root")]
    [InlineData("arn:aws:iam::111122223333:user/alice")]
    [InlineData("arn:aws:iam::111122223333:user/team/alice")]
    [InlineData("arn:aws-us-gov:iam::111122223333:role/ci")]
    [InlineData("ecr.us-east-1.amazonaws.com")]
    [InlineData("s3.amazonaws.com")]
    public void Validate_WellFormedPrincipal_Passes(string principal)
    {
        var exception = Record.Exception(() => new CallerIdentity(principal).Validate());

        Assert.Null(exception);
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData(".amazonaws.com")]
    [InlineData("ecr.us-east-1.amazonaws.com.evil")]
    [InlineData("arn:aws:iam::111122223333")]
    [InlineData("arn:aws:sts::111122223333:assumed-role/ci/session")]
    [InlineData("arn:aws-iso:iam::111122223333:root")]
    [InlineData("arn:aws:iam::11112222333:root")]
    [InlineData("arn:aws:iam::111122223333:group/admins")]
    [InlineData("arn:aws:iam::111122223333:user/")]
    [InlineData("arn:aws:iam::111122223333:role/")]
    [InlineData("arn:aws:iam::111122223333:rootx")]
    public void Validate_MalformedPrincipal_IsUnrecognizedClient(string principal)
    {
        var error = Assert.Throws<AwsServiceException>(() => new CallerIdentity(principal).Validate());

        Assert.Equal(AwsErrorCodes.UnrecognizedClient, error.ErrorCode);
    }

    [Theory]
    [InlineData("arn:aws-cn:iam::111122223333:root")]
    [InlineData("arn:aws-cn:iam::111122223333:role/ci")]
    [InlineData("ecr.cn-north-1.amazonaws.com.cn")]
    public void Validate_ChinaPrincipals_AreWellFormed(string principal) =>
        Assert.Null(Record.Exception(() => new CallerIdentity(principal).Validate()));

    [Fact]
    public void ValidateFor_RegionOfAnotherPartition_IsUnrecognizedClient()
    {
        var commercial = CallerIdentity.Role(Partition.Aws, Account, "ci");

        var error = Assert.Throws<AwsServiceException>(() => commercial.ValidateFor(Regions.UsGovWest1));

        Assert.Equal(AwsErrorCodes.UnrecognizedClient, error.ErrorCode);
        Assert.Contains("us-gov-west-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateFor_RegionOfTheSamePartition_Passes()
    {
        Assert.Null(Record.Exception(() => CallerIdentity.Role(Partition.AwsUsGov, Account, "ci").ValidateFor(Regions.UsGovEast1)));
        Assert.Null(Record.Exception(() => CallerIdentity.Root(Partition.Aws, Account).ValidateFor(Regions.EuWest1)));
    }

    [Fact]
    public void ValidateFor_ServicePrincipal_PassesInAnyPartition()
    {
        var service = CallerIdentity.Service("ecr.us-gov-west-1.amazonaws.com");

        Assert.Null(Record.Exception(() => service.ValidateFor(Regions.UsGovWest1)));
        Assert.Null(Record.Exception(() => service.ValidateFor(Regions.UsEast1)));
    }

    [Fact]
    public void ValidateFor_UnknownRegion_IsACredentialScopedToNoRegion()
    {
        var error = Assert.Throws<AwsServiceException>(() => CallerIdentity.Root(Partition.Aws, Account).ValidateFor("moon-1"));

        Assert.Equal(AwsErrorCodes.InvalidSignature, error.ErrorCode);
    }

    [Fact]
    public void Account_OfAnArnWithABadAccount_IsNull()
    {
        Assert.Null(new CallerIdentity("arn:aws:iam::1234:root").Account);
    }

    [Fact]
    public void Equality_IsByPrincipalAndViaService()
    {
        var a = CallerIdentity.Root(Partition.Aws, Account);

        Assert.Equal(a, new CallerIdentity(a.Principal));
        Assert.NotEqual(a, a.Via("ecr.us-east-1.amazonaws.com"));
    }
}
