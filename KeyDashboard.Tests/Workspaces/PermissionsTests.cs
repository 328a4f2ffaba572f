using KeyDashboard.Workspaces;

namespace KeyDashboard.Tests.Workspaces;

/// <summary>PRODUCT.md's "who may do what", row by row, and the same matrix in the API's scope terms.</summary>
public sealed class PermissionsTests
{
    /// <summary>Each permission, and whether an owner, an admin and a member hold it.</summary>
    public static TheoryData<Permission, bool, bool, bool> Matrix => new()
    {
        { Permission.SeeWorkspace, true, true, true },
        { Permission.ManageKeys, true, true, false },
        { Permission.LookUpLeakedKeys, true, true, false },
        { Permission.SeeAuditLog, true, true, false },
        { Permission.ManageMembers, true, true, false },
        { Permission.ChangeRoles, true, false, false },
        { Permission.ManageWorkspace, true, false, false },
        { Permission.ChangeProductResources, true, true, false },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Each_role_holds_what_the_matrix_says(Permission permission, bool owner, bool admin, bool member)
    {
        Assert.Equal(owner, Permissions.Allows(Roles.Owner, permission));
        Assert.Equal(admin, Permissions.Allows(Roles.Admin, permission));
        Assert.Equal(member, Permissions.Allows(Roles.Member, permission));
        foreach (var (role, allowed) in new[] { (Roles.Owner, owner), (Roles.Admin, admin), (Roles.Member, member) })
            Assert.Equal(allowed ? null : Permissions.Refusal(permission), Permissions.RefusalFor(role, permission));
    }

    [Fact]
    public void The_matrix_covers_every_permission() =>
        Assert.Equal(Enum.GetValues<Permission>().Order(), Matrix.Select(row => (Permission)row[0]).Order());

    [Theory]
    [InlineData(Permission.ManageKeys, "Only owners and admins can manage API keys.")]
    [InlineData(Permission.LookUpLeakedKeys, "Only owners and admins can look up leaked keys.")]
    [InlineData(Permission.SeeAuditLog, "Only owners and admins can see the audit log.")]
    [InlineData(Permission.ManageMembers, "Only owners and admins can invite and remove members.")]
    [InlineData(Permission.ChangeRoles, "Only owners can change roles.")]
    [InlineData(Permission.ManageWorkspace, "Only owners can change workspace settings.")]
    public void A_refusal_says_who_may(Permission permission, string refusal) =>
        Assert.Equal(refusal, Permissions.Refusal(permission));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("superuser")]
    public void Anyone_without_a_known_role_holds_nothing(string? role)
    {
        Assert.All(Enum.GetValues<Permission>(), permission => Assert.False(Permissions.Allows(role, permission)));
        Assert.False(Permissions.AllowsScope(role, "keys:read"));
    }

    [Theory]
    [InlineData("keys:read", true, true, true)]
    [InlineData("members:read", true, true, true)]
    [InlineData("usage:read", true, true, true)]
    [InlineData("keys:write", true, true, false)]
    [InlineData("keys:delete", true, true, false)]
    [InlineData("members:write", true, true, false)]
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
    public void Each_role_may_use_the_scopes_the_matrix_allows(string scope, bool owner, bool admin, bool member)
    {
        Assert.Equal(owner, Permissions.AllowsScope(Roles.Owner, scope));
        Assert.Equal(admin, Permissions.AllowsScope(Roles.Admin, scope));
        Assert.Equal(member, Permissions.AllowsScope(Roles.Member, scope));
    }

    /// <summary>Actor's role, the role of whom they invite or remove, and the refusal (null: allowed).</summary>
    public static TheoryData<string, string, string?> WhoManagesWhom => new()
    {
        { Roles.Owner, Roles.Owner, null },
        { Roles.Owner, Roles.Admin, null },
        { Roles.Owner, Roles.Member, null },
        { Roles.Admin, Roles.Owner, "Admins can" },
        { Roles.Admin, Roles.Admin, "Admins can" },
        { Roles.Admin, Roles.Member, null },
        { Roles.Member, Roles.Owner, "Only owners and admins can invite and remove members." },
        { Roles.Member, Roles.Member, "Only owners and admins can invite and remove members." },
    };

    [Theory]
    [MemberData(nameof(WhoManagesWhom))]
    public void Owners_invite_and_remove_anyone_admins_members_only(string actorRole, string targetRole, string? refusal)
    {
        AssertRefusal(refusal, Permissions.Invite(actorRole, targetRole));
        AssertRefusal(refusal, Permissions.Remove(actorRole, targetRole, removingSelf: false));
        Assert.Null(Permissions.Remove(actorRole, targetRole, removingSelf: true));
    }

    [Fact]
    public void Owners_outrank_admins_who_outrank_members() =>
        Assert.True(Permissions.Rank(Roles.Owner) > Permissions.Rank(Roles.Admin) && Permissions.Rank(Roles.Admin) > Permissions.Rank(Roles.Member)
            && Permissions.Rank(Roles.Member) > Permissions.Rank("superuser"));

    private static void AssertRefusal(string? expectedStart, string? refusal)
    {
        if (expectedStart is null) Assert.Null(refusal);
        else Assert.StartsWith(expectedStart, refusal);
    }
}
