namespace KeyDashboard.Workspaces;

/// <summary>Something a member may or may not do in their workspace: the rows of PRODUCT.md's "who may do what".</summary>
public enum Permission
{
    /// <summary>See the workspace: its keys, their usage and credentials view (never a secret), and its members.</summary>
    SeeWorkspace,
    /// <summary>Create, edit, rotate and revoke keys.</summary>
    ManageKeys,
    LookUpLeakedKeys,
    /// <summary>See the audit log and export it.</summary>
    SeeAuditLog,
    /// <summary>Invite and remove members; whom, see <see cref="Permissions.Invite"/> and <see cref="Permissions.Remove"/>.</summary>
    ManageMembers,
    ChangeRoles,
    /// <summary>Name, plan and key policy.</summary>
    ManageWorkspace,
    /// <summary>Write or delete, through a key, the resources a hosting product adds (see <c>KeyDashboard:Scopes</c>).</summary>
    ChangeProductResources,
}

/// <summary>
/// Who may do what in a workspace, by their role there: the one place the dashboard, the services and the API's
/// scopes read it from. Refusals are messages for people: the dashboard shows them next to a disabled action and
/// the services return them.
/// </summary>
public static class Permissions
{
    public const string LastOwnerRefusal = "The last owner can neither leave nor be demoted. Make another member an owner first.";
    public const string AdminInviteRefusal = "Admins can invite members only. Only owners can add admins and owners.";
    public const string AdminRemoveRefusal = "Admins can remove members only. Only owners can remove admins and owners.";

    private static readonly string[] Everyone = [Roles.Owner, Roles.Admin, Roles.Member];
    private static readonly string[] OwnersAndAdmins = [Roles.Owner, Roles.Admin];
    private static readonly string[] OwnersOnly = [Roles.Owner];

    private static readonly Dictionary<Permission, (string[] Roles, string Refusal)> Matrix = new()
    {
        [Permission.SeeWorkspace] = (Everyone, "Only members of this workspace can see it."),
        [Permission.ManageKeys] = (OwnersAndAdmins, "Only owners and admins can manage API keys."),
        [Permission.LookUpLeakedKeys] = (OwnersAndAdmins, "Only owners and admins can look up leaked keys."),
        [Permission.SeeAuditLog] = (OwnersAndAdmins, "Only owners and admins can see the audit log."),
        [Permission.ManageMembers] = (OwnersAndAdmins, "Only owners and admins can invite and remove members."),
        [Permission.ChangeRoles] = (OwnersOnly, "Only owners can change roles."),
        [Permission.ManageWorkspace] = (OwnersOnly, "Only owners can change workspace settings."),
        [Permission.ChangeProductResources] = (OwnersAndAdmins, "Only owners and admins can change this."),
    };

    public static bool Allows(string? role, Permission permission) => Matrix[permission].Roles.Contains(role);

    /// <summary>Why someone without <paramref name="permission"/> is refused it.</summary>
    public static string Refusal(Permission permission) => Matrix[permission].Refusal;

    /// <summary>Null when <paramref name="role"/> may do it, else the reason.</summary>
    public static string? RefusalFor(string? role, Permission permission) => Allows(role, permission) ? null : Refusal(permission);

    /// <summary>Owners invite anyone; admins invite members only.</summary>
    public static string? Invite(string? actorRole, string inviteeRole) =>
        RefusalFor(actorRole, Permission.ManageMembers)
        ?? (actorRole == Roles.Admin && inviteeRole != Roles.Member ? AdminInviteRefusal : null);

    public static string? ChangeRole(string? actorRole) => RefusalFor(actorRole, Permission.ChangeRoles);

    /// <summary>Anyone may leave (remove themselves); owners remove anyone, admins members only. The last-owner rule is checked apart.</summary>
    public static string? Remove(string? actorRole, string targetRole, bool removingSelf) =>
        removingSelf ? null
        : RefusalFor(actorRole, Permission.ManageMembers)
          ?? (actorRole == Roles.Admin && targetRole != Roles.Member ? AdminRemoveRefusal : null);

    /// <summary>Owner 2, admin 1, member 0; anything else -1.</summary>
    public static int Rank(string? role) => role switch
    {
        Roles.Owner => 2,
        Roles.Admin => 1,
        Roles.Member => 0,
        _ => -1,
    };

    /// <summary>
    /// The permission a scope (<c>resource:action</c>) exercises; null when nobody may hold it: the audit log is
    /// append-only, so no key writes or deletes it, and a malformed scope means nothing.
    /// </summary>
    public static Permission? ForScope(string scope)
    {
        var separator = scope.IndexOf(':');
        if (separator <= 0) return null;
        return (scope[..separator], scope[(separator + 1)..]) switch
        {
            ("audit", "read") => Permission.SeeAuditLog,
            ("audit", _) => null,
            (_, "read") => Permission.SeeWorkspace,
            ("keys", "write" or "delete") => Permission.ManageKeys,
            ("members", "write" or "delete") => Permission.ManageMembers,
            ("workspace", "write" or "delete") => Permission.ManageWorkspace,
            (_, "write" or "delete") => Permission.ChangeProductResources,
            _ => null,
        };
    }

    /// <summary>
    /// Whether a member with <paramref name="role"/> may act with <paramref name="scope"/>. A key acts as its owning
    /// member narrowed by its scopes, so a call needs both the scope and a role this allows.
    /// </summary>
    public static bool AllowsScope(string? role, string scope) => ForScope(scope) is { } permission && Allows(role, permission);

    /// <summary>"an owner", "an admin", "a member": for refusal messages.</summary>
    public static string WithArticle(string? role) => role switch
    {
        Roles.Owner or Roles.Admin => $"an {role}",
        null or "" => "not a member",
        _ => $"a {role}",
    };
}
