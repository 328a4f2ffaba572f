namespace KeyDashboard.Api.KeyAuthentication;

/// <summary>
/// What the API key authentication handler puts on the principal. The key acts as its owning member:
/// <see cref="System.Security.Claims.ClaimTypes.NameIdentifier"/> is the owner's user id, the role claim is the
/// owner's current role in the key's workspace and <see cref="Workspaces.WorkspaceClaims.WorkspaceIdType"/> the
/// key's workspace, so services see the same claims as for a signed-in user.
/// </summary>
public static class ApiKeyClaims
{
    public const string Scheme = "ApiKey";
    public const string KeyIdType = "kd:key_id";
    /// <summary>One claim per scope the key holds, e.g. <c>keys:read</c>.</summary>
    public const string ScopeType = "kd:scope";
}
