using System.Security.Claims;
using KeyDashboard.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Workspaces;

/// <summary>
/// Gives a signed-in user the claims of their current workspace: its id and their role there. Read from the
/// database on every request rather than kept in the cookie, so a changed or removed membership applies on
/// the user's next request instead of at the next security-stamp check. Also records the request's client
/// address: an interactive session has no HTTP request of its own, so its actions take the address of the
/// connection that started it.
/// </summary>
public sealed class WorkspaceClaims(IDbContextFactory<AppDbContext> dbFactory, IHttpContextAccessor http) : IClaimsTransformation
{
    public const string WorkspaceIdType = "kd:workspace";
    public const string WorkspaceNameType = "kd:workspace_name";
    /// <summary>Present when the workspace requires two-factor authentication of owners and admins and the user has not turned it on.</summary>
    public const string MissingTwoFactorType = "kd:missing_two_factor";

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        var identity = principal.Identities.FirstOrDefault(i => i.AuthenticationType == IdentityConstants.ApplicationScheme);
        var userId = identity?.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        // Run once per principal: authentication may be asked for several times in one request.
        if (identity is null || userId is null || principal.HasClaim(c => c.Type == WorkspaceIdType)) return principal;

        await using var db = await dbFactory.CreateDbContextAsync();
        var transformed = WithMembership(principal, await CurrentMembershipAsync(db, userId));
        if (http.HttpContext?.Connection.RemoteIpAddress?.ToString() is { } clientAddress)
            transformed.Identities.First(i => i.AuthenticationType == IdentityConstants.ApplicationScheme)
                .AddClaim(new Claim(Actor.ClientAddressClaimType, clientAddress));
        return transformed;
    }

    /// <summary>The principal with the workspace claims of <paramref name="current"/> in place of any it had.</summary>
    public static ClaimsPrincipal WithMembership(ClaimsPrincipal principal, CurrentMembership? current)
    {
        var identity = principal.Identities.FirstOrDefault(i => i.AuthenticationType == IdentityConstants.ApplicationScheme);
        if (identity is null) return principal;
        var transformed = new ClaimsIdentity(
            identity.Claims.Where(c => c.Type != identity.RoleClaimType
                && c.Type is not (WorkspaceIdType or WorkspaceNameType or MissingTwoFactorType)),
            identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType);
        if (current is not null)
        {
            transformed.AddClaim(new Claim(WorkspaceIdType, current.WorkspaceId.ToString()));
            transformed.AddClaim(new Claim(WorkspaceNameType, current.WorkspaceName));
            transformed.AddClaim(new Claim(identity.RoleClaimType, current.Role));
            if (current.MissingTwoFactor) transformed.AddClaim(new Claim(MissingTwoFactorType, "true"));
        }
        return new ClaimsPrincipal(principal.Identities.Select(i => i == identity ? transformed : i));
    }

    /// <summary>The membership in the workspace the user last chose, or in their oldest workspace if they left that one.</summary>
    public static async Task<CurrentMembership?> CurrentMembershipAsync(AppDbContext db, string userId)
    {
        // One query: this runs on every authenticated request.
        return await db.Memberships.Where(m => m.UserId == userId)
            .OrderByDescending(m => m.WorkspaceId == m.User.CurrentWorkspaceId).ThenBy(m => m.JoinedAt).ThenBy(m => m.Id)
            .Select(m => new CurrentMembership(m.WorkspaceId, m.Workspace.Name, m.Role,
                m.Workspace.RequireTwoFactorForManagers && !m.User.TwoFactorEnabled))
            .FirstOrDefaultAsync();
    }

    /// <summary>Whether the principal's workspace claims still say what <paramref name="current"/> says.</summary>
    public static bool Match(ClaimsPrincipal principal, CurrentMembership? current) =>
        current is null
            ? principal.CurrentWorkspaceId() is null
            : current.WorkspaceId == principal.CurrentWorkspaceId() && principal.IsInRole(current.Role)
              && current.MissingTwoFactor == principal.HasClaim(c => c.Type == MissingTwoFactorType);
}

/// <param name="MissingTwoFactor">The workspace requires two-factor authentication of owners and admins and the user has not turned it on.</param>
public sealed record CurrentMembership(Guid WorkspaceId, string WorkspaceName, string Role, bool MissingTwoFactor);

public static class WorkspacePrincipalExtensions
{
    /// <summary>The workspace the user works in now; null when they belong to none.</summary>
    public static Guid? CurrentWorkspaceId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(WorkspaceClaims.WorkspaceIdType), out var id) ? id : null;
}
