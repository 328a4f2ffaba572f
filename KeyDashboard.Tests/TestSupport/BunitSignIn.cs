using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using KeyDashboard.Components.Layout;
using KeyDashboard.Data;
using KeyDashboard.Sessions;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// Signs a user into a bUnit context with the claims the app gives them, and renders every component under the app's
/// <see cref="WorkspaceGuard"/>, which turns those claims into the <see cref="WorkspaceContext"/> components take.
/// </summary>
public static class BunitSignIn
{
    /// <summary>
    /// The user's id, e-mail as name, and — unless <paramref name="role"/> is null, for someone in no workspace —
    /// the current workspace's id and name and their role there (the database's main workspace unless told otherwise).
    /// The membership itself must exist in the database: the services check it there. Whether the workspace requires
    /// two-factor authentication the user has not turned on is read from the database too, as the app does at sign-in.
    /// </summary>
    public static BunitAuthorizationContext SignInAs(this BunitContext context, TestDatabase database, ApplicationUser user,
        string? role, Workspace? workspace = null)
    {
        workspace ??= database.Workspace;
        using var db = database.DbFactory.CreateDbContext();
        var missingTwoFactor = db.Memberships.Any(m => m.WorkspaceId == workspace.Id && m.UserId == user.Id
            && m.Workspace.RequireTwoFactorForManagers && !m.User.TwoFactorEnabled);
        // Signed in just now, as at a real sign-in: recent enough for the actions that ask for re-authentication.
        return context.SignIn(user.Id, user.Email!, role, workspace.Id, workspace.Name, missingTwoFactor, database.AddSession(user));
    }

    /// <summary>
    /// A user who needs no database: for components that only show what the role allows. <paramref name="missingTwoFactor"/>:
    /// the workspace requires two-factor authentication of owners and admins and the user has not turned it on.
    /// </summary>
    public static BunitAuthorizationContext SignInAs(this BunitContext context, string userId, string email, string? role,
        Guid workspaceId, string workspaceName, bool missingTwoFactor = false) =>
        context.SignIn(userId, email, role, workspaceId, workspaceName, missingTwoFactor, sessionId: null);

    private static BunitAuthorizationContext SignIn(this BunitContext context, string userId, string email, string? role,
        Guid workspaceId, string workspaceName, bool missingTwoFactor, Guid? sessionId)
    {
        var authorization = context.AddAuthorization();
        context.RenderTree.TryAdd<WorkspaceGuard>();
        authorization.SetAuthorized(email);
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, userId) };
        if (sessionId is not null) claims.Add(new Claim(SessionClaims.SessionId, sessionId.Value.ToString()));
        if (role is not null)
        {
            authorization.SetRoles(role);
            claims.Add(new Claim(WorkspaceClaims.WorkspaceIdType, workspaceId.ToString()));
            claims.Add(new Claim(WorkspaceClaims.WorkspaceNameType, workspaceName));
            if (missingTwoFactor) claims.Add(new Claim(WorkspaceClaims.MissingTwoFactorType, "true"));
        }
        authorization.SetClaims([.. claims]);
        return authorization;
    }
}
