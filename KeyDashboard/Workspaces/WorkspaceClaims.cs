using System.Security.Claims;
using KeyDashboard.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Workspaces;

/// <summary>
/// Gives a signed-in user the claims of their current workspace: its id and their role there. Read from the
/// database on every request rather than kept in the cookie, so a changed or removed membership applies on
/// the user's next request instead of at the next security-stamp check.
/// </summary>
public sealed class WorkspaceClaims(IDbContextFactory<AppDbContext> dbFactory) : IClaimsTransformation
{
    public const string WorkspaceIdType = "kd:workspace";
    public const string WorkspaceNameType = "kd:workspace_name";

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        var identity = principal.Identities.FirstOrDefault(i => i.AuthenticationType == IdentityConstants.ApplicationScheme);
        var userId = identity?.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        // Run once per principal: authentication may be asked for several times in one request.
        if (identity is null || userId is null || principal.HasClaim(c => c.Type == WorkspaceIdType)) return principal;

        await using var db = await dbFactory.CreateDbContextAsync();
        return WithMembership(principal, await CurrentMembershipAsync(db, userId));
    }

    /// <summary>The principal with the workspace claims of <paramref name="current"/> in place of any it had.</summary>
    public static ClaimsPrincipal WithMembership(ClaimsPrincipal principal, CurrentMembership? current)
    {
        var identity = principal.Identities.FirstOrDefault(i => i.AuthenticationType == IdentityConstants.ApplicationScheme);
        if (identity is null) return principal;
        var transformed = new ClaimsIdentity(
            identity.Claims.Where(c => c.Type != identity.RoleClaimType && c.Type != WorkspaceIdType && c.Type != WorkspaceNameType),
            identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType);
        if (current is not null)
        {
            transformed.AddClaim(new Claim(WorkspaceIdType, current.WorkspaceId.ToString()));
            transformed.AddClaim(new Claim(WorkspaceNameType, current.WorkspaceName));
            transformed.AddClaim(new Claim(identity.RoleClaimType, current.Role));
        }
        return new ClaimsPrincipal(principal.Identities.Select(i => i == identity ? transformed : i));
    }

    /// <summary>The membership in the workspace the user last chose, or in their oldest workspace if they left that one.</summary>
    public static async Task<CurrentMembership?> CurrentMembershipAsync(AppDbContext db, string userId)
    {
        // One query: this runs on every authenticated request.
        return await db.Memberships.Where(m => m.UserId == userId)
            .OrderByDescending(m => m.WorkspaceId == m.User.CurrentWorkspaceId).ThenBy(m => m.JoinedAt).ThenBy(m => m.Id)
            .Select(m => new CurrentMembership(m.WorkspaceId, m.Workspace.Name, m.Role))
            .FirstOrDefaultAsync();
    }
}

public sealed record CurrentMembership(Guid WorkspaceId, string WorkspaceName, string Role);

public static class WorkspacePrincipalExtensions
{
    /// <summary>The workspace the user works in now; null when they belong to none.</summary>
    public static Guid? CurrentWorkspaceId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(WorkspaceClaims.WorkspaceIdType), out var id) ? id : null;
}
