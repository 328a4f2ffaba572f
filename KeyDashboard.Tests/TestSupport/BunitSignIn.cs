using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using KeyDashboard.Data;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>Signs a <see cref="TestDatabase"/> user into a bUnit context with the claims the app gives them.</summary>
public static class BunitSignIn
{
    /// <summary>
    /// The user's id, e-mail as name, and — unless <paramref name="role"/> is null, for someone in no workspace —
    /// the current workspace's id and name and their role there (the database's main workspace unless told otherwise).
    /// The membership itself must exist in the database: the services check it there.
    /// </summary>
    public static BunitAuthorizationContext SignInAs(this BunitContext context, TestDatabase database, ApplicationUser user,
        string? role, Workspace? workspace = null)
    {
        var authorization = context.AddAuthorization();
        authorization.SetAuthorized(user.Email!);
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, user.Id) };
        if (role is not null)
        {
            workspace ??= database.Workspace;
            authorization.SetRoles(role);
            claims.Add(new Claim(WorkspaceClaims.WorkspaceIdType, workspace.Id.ToString()));
            claims.Add(new Claim(WorkspaceClaims.WorkspaceNameType, workspace.Name));
        }
        authorization.SetClaims([.. claims]);
        return authorization;
    }
}
