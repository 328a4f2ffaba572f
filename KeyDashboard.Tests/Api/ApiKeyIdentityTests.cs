using System.Security.Claims;
using KeyDashboard.Api.KeyAuthentication;
using KeyDashboard.Keys;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Tests.Api;

public sealed class ApiKeyIdentityTests
{
    private static readonly VerifiedKey Key = new("key_a", "name", "kd_test_AbC4", KeyEnvironment.Test, Guid.NewGuid(), "Acme",
        "user-1", "owner@acme.test", Roles.Admin, ["keys:read", "keys:write"], null, false, null, 0, WorkspacePlan.Free);

    [Fact]
    public void Holds_the_owner_role_workspace_key_and_one_claim_per_scope()
    {
        var identity = Key.Identity;

        Assert.True(identity.IsAuthenticated);
        Assert.Equal(ApiKeyClaims.Scheme, identity.AuthenticationType);
        Assert.Equal("user-1", identity.FindFirst(ClaimTypes.NameIdentifier)?.Value);
        Assert.Equal("owner@acme.test", identity.Name);
        Assert.Equal(Roles.Admin, identity.FindFirst(identity.RoleClaimType)?.Value);
        Assert.Equal(Key.WorkspaceId.ToString(), identity.FindFirst(WorkspaceClaims.WorkspaceIdType)?.Value);
        Assert.Equal("key_a", identity.FindFirst(ApiKeyClaims.KeyIdType)?.Value);
        Assert.Equal(["keys:read", "keys:write"], identity.FindAll(ApiKeyClaims.ScopeType).Select(c => c.Value));
    }

    [Fact]
    public void Is_built_once_and_refuses_changes_so_one_request_cannot_alter_another()
    {
        var identity = Key.Identity;
        var extra = new Claim(ApiKeyClaims.ScopeType, "members:write");

        Assert.Same(identity, Key.Identity);
        Assert.Throws<InvalidOperationException>(() => identity.AddClaim(extra));
        Assert.Throws<InvalidOperationException>(() => identity.AddClaims([extra]));
        Assert.Throws<InvalidOperationException>(() => identity.RemoveClaim(identity.FindFirst(ApiKeyClaims.ScopeType)));
        Assert.False(identity.TryRemoveClaim(identity.FindFirst(ApiKeyClaims.ScopeType)));
        Assert.Equal(2, Key.Identity.FindAll(ApiKeyClaims.ScopeType).Count());
    }
}
