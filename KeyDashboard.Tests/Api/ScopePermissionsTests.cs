using KeyDashboard.Api;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Tests.Api;

/// <summary>PRODUCT.md's "who may do what" in scope terms.</summary>
public sealed class ScopePermissionsTests
{
    [Theory]
    [InlineData("keys:read", true, true, true)]
    [InlineData("members:read", true, true, true)]
    [InlineData("usage:read", true, true, true)]
    [InlineData("keys:write", true, true, false)]
    [InlineData("keys:delete", true, true, false)]
    [InlineData("audit:read", true, true, false)]
    [InlineData("audit:write", false, false, false)]
    [InlineData("audit:delete", false, false, false)]
    [InlineData("workspace:read", true, true, true)]
    [InlineData("workspace:write", true, false, false)]
    [InlineData("workspace:delete", true, false, false)]
    [InlineData("teammates:read", true, true, true)]
    [InlineData("teammates:write", true, true, false)]
    [InlineData("keys:admin", false, false, false)]
    [InlineData("keys", false, false, false)]
    [InlineData(":read", false, false, false)]
    public void Each_role_may_use_what_the_matrix_allows(string scope, bool owner, bool admin, bool member)
    {
        Assert.Equal(owner, ScopePermissions.RoleMayUse(Roles.Owner, scope));
        Assert.Equal(admin, ScopePermissions.RoleMayUse(Roles.Admin, scope));
        Assert.Equal(member, ScopePermissions.RoleMayUse(Roles.Member, scope));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("superuser")]
    public void Anyone_without_a_known_role_may_use_nothing(string? role) =>
        Assert.False(ScopePermissions.RoleMayUse(role, "keys:read"));
}
