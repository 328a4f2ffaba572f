using System.Security.Claims;

namespace KeyDashboard.Workspaces;

/// <summary>
/// The signed-in user in their current workspace, as the dashboard's components see it: who acts, where, with which
/// role, and what that role may do. Cascaded to every page and dialog by <c>WorkspaceGuard</c>, and replaced when the
/// user's membership changes, so components follow a new role at once. It only decides what the UI offers: the
/// services check the role in the database on every call.
/// </summary>
/// <param name="MissingTwoFactor">
/// The workspace requires two-factor authentication of owners and admins and this user has not turned it on: they
/// see everything and manage nothing until they do.
/// </param>
public sealed record WorkspaceContext(Actor Actor, Guid WorkspaceId, string WorkspaceName, string Role, bool MissingTwoFactor = false)
{
    public bool May(Permission permission) => RefusalOf(permission) is null;

    /// <summary>Null when the role (and two-factor authentication, where required) allows it, else why not: for a disabled action's tooltip.</summary>
    public string? RefusalOf(Permission permission) => Permissions.RefusalFor(Role, permission, MissingTwoFactor);

    /// <summary>The role allows it, but only once the user turns on two-factor authentication.</summary>
    public bool NeedsTwoFactorFor(Permission permission) => Permissions.Allows(Role, permission) && !May(permission);

    /// <summary>The user's workspace claims (see <see cref="WorkspaceClaims"/>); null when they are signed out or in no workspace.</summary>
    public static WorkspaceContext? Of(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirstValue(ClaimTypes.NameIdentifier) is not null
        && user.CurrentWorkspaceId() is { } workspaceId
            ? new WorkspaceContext(Actor.FromPrincipal(user), workspaceId,
                user.FindFirstValue(WorkspaceClaims.WorkspaceNameType) ?? "", user.FindFirstValue(ClaimTypes.Role) ?? "",
                user.HasClaim(c => c.Type == WorkspaceClaims.MissingTwoFactorType))
            : null;
}
