using System.Net;
using System.Security.Claims;
using KeyDashboard.Data;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.Workspaces;

public sealed class WorkspaceClaimsTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task The_role_comes_from_the_membership_in_the_current_workspace()
    {
        var user = _database.Admin;
        await _database.AddMembershipAsync(_database.OtherWorkspace, user, Roles.Member);

        await SetCurrentWorkspaceAsync(user, _database.Workspace.Id);
        var inWorkspace = await TransformAsync(user);
        await SetCurrentWorkspaceAsync(user, _database.OtherWorkspace.Id);
        var inOther = await TransformAsync(user);

        Assert.Equal(_database.Workspace.Id, inWorkspace.CurrentWorkspaceId());
        Assert.Equal([Roles.Admin], RolesOf(inWorkspace));
        Assert.Equal(_database.OtherWorkspace.Id, inOther.CurrentWorkspaceId());
        Assert.Equal([Roles.Member], RolesOf(inOther));
        Assert.Equal("Other", inOther.FindFirstValue(WorkspaceClaims.WorkspaceNameType));
    }

    [Fact]
    public async Task A_user_who_left_their_current_workspace_falls_back_to_their_oldest_membership()
    {
        var user = await _database.AddUserAsync("mover@acme.test");
        var now = _database.Clock.GetUtcNow();
        await using (var db = await _database.DbFactory.CreateDbContextAsync())
        {
            // Inserted newest first, so the fallback cannot be the lowest row id by accident.
            db.Memberships.Add(new Membership { WorkspaceId = _database.Workspace.Id, UserId = user.Id, Role = Roles.Admin, JoinedAt = now.AddDays(-1) });
            db.Memberships.Add(new Membership { WorkspaceId = _database.OtherWorkspace.Id, UserId = user.Id, Role = Roles.Member, JoinedAt = now.AddDays(-30) });
            await db.SaveChangesAsync();
        }
        await SetCurrentWorkspaceAsync(user, Guid.NewGuid()); // a workspace they have left

        var principal = await TransformAsync(user);

        Assert.Equal(_database.OtherWorkspace.Id, principal.CurrentWorkspaceId());
        Assert.Equal([Roles.Member], RolesOf(principal));
    }

    [Fact]
    public async Task Role_claims_in_the_incoming_principal_are_dropped()
    {
        await SetCurrentWorkspaceAsync(_database.Member, _database.Workspace.Id);

        var member = await TransformAsync(_database.Member, staleRoles: [Roles.Owner, Roles.Admin]);
        var outsider = await TransformAsync(_database.Outsider, staleRoles: [Roles.Owner]);

        Assert.Equal([Roles.Member], RolesOf(member));
        Assert.False(member.IsInRole(Roles.Owner));
        Assert.Empty(RolesOf(outsider));
        Assert.Null(outsider.CurrentWorkspaceId());
    }

    [Fact]
    public async Task A_changed_role_shows_in_the_next_transformation()
    {
        await SetCurrentWorkspaceAsync(_database.Member, _database.Workspace.Id);
        Assert.Equal([Roles.Member], RolesOf(await TransformAsync(_database.Member)));

        await using (var db = await _database.DbFactory.CreateDbContextAsync())
            await db.Memberships.Where(m => m.UserId == _database.Member.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, Roles.Admin));

        Assert.Equal([Roles.Admin], RolesOf(await TransformAsync(_database.Member)));
    }

    [Fact]
    public async Task The_request_s_client_address_becomes_the_actor_s()
    {
        await SetCurrentWorkspaceAsync(_database.Member, _database.Workspace.Id);
        var request = new DefaultHttpContext();
        request.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9");

        var principal = await TransformAsync(_database.Member, request: request);

        Assert.Equal("203.0.113.9", Actor.FromPrincipal(principal).ClientAddress);
        Assert.Null(Actor.FromPrincipal(await TransformAsync(_database.Member)).ClientAddress);
    }

    [Fact]
    public async Task Two_factor_missing_where_the_workspace_requires_it_is_a_claim_that_follows_the_database()
    {
        await SetCurrentWorkspaceAsync(_database.Admin, _database.Workspace.Id);
        var before = await TransformAsync(_database.Admin);
        await _database.RequireTwoFactorAsync();
        var required = await TransformAsync(_database.Admin);
        await _database.EnableTwoFactorAsync(_database.Admin);
        var enabled = await TransformAsync(_database.Admin);

        Assert.True(WorkspaceContext.Of(before)!.May(Permission.ManageKeys));
        Assert.True(WorkspaceContext.Of(required)!.MissingTwoFactor);
        Assert.Equal(Permissions.ManageKeysWithoutTwoFactorRefusal, WorkspaceContext.Of(required)!.RefusalOf(Permission.ManageKeys));
        Assert.True(WorkspaceContext.Of(required)!.May(Permission.SeeAuditLog));
        // An open session holding the earlier claims no longer matches the database, so it is brought up to date.
        await using var db = await _database.DbFactory.CreateDbContextAsync();
        var current = await WorkspaceClaims.CurrentMembershipAsync(db, _database.Admin.Id);
        Assert.False(WorkspaceClaims.Match(required, current));
        Assert.True(WorkspaceClaims.Match(enabled, current));
        Assert.False(WorkspaceContext.Of(WorkspaceClaims.WithMembership(required, current))!.MissingTwoFactor);
        Assert.True(WorkspaceContext.Of(enabled)!.May(Permission.ManageKeys));
    }

    /// <summary>What the cookie handler hands over: the user's id, name and whatever role claims the cookie held.</summary>
    private Task<ClaimsPrincipal> TransformAsync(ApplicationUser user, string[]? staleRoles = null, HttpContext? request = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, user.Id), new(ClaimTypes.Name, user.Email!) };
        claims.AddRange((staleRoles ?? []).Select(role => new Claim(ClaimTypes.Role, role)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, IdentityConstants.ApplicationScheme));
        return new WorkspaceClaims(_database.DbFactory, new HttpContextAccessor { HttpContext = request }).TransformAsync(principal);
    }

    private async Task SetCurrentWorkspaceAsync(ApplicationUser user, Guid workspaceId)
    {
        await using var db = await _database.DbFactory.CreateDbContextAsync();
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.CurrentWorkspaceId, workspaceId));
    }

    private static string[] RolesOf(ClaimsPrincipal principal) =>
        principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray();
}
