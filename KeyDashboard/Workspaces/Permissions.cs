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
    public const string CreateKeyForHigherRoleRefusal = "Only owners can create a key owned by an owner: it would act with more power than yours.";
    public const string TwoFactorRule = "This workspace requires it for owners and admins.";
    public const string ManageKeysWithoutTwoFactorRefusal = "Turn on two-factor authentication to manage keys. " + TwoFactorRule;
    /// <summary>An owner without two-factor authentication turning the requirement on would lock themselves out at once.</summary>
    public const string RequireTwoFactorWithoutItRefusal =
        "Turn on two-factor authentication for your own account first: this setting would stop you from managing this workspace without it.";
    public const string RotateKeyOfHigherRoleRefusal = "Only owners can rotate an owner's key: its new secret would hand you more power than yours.";
    public const string LiveKeyThroughTestKeyRefusal =
        "Only a live key can create or rotate a live key: a key grants no more than it holds, and a test key holds no live power.";

    private static readonly string[] Everyone = [Roles.Owner, Roles.Admin, Roles.Member];
    private static readonly string[] OwnersAndAdmins = [Roles.Owner, Roles.Admin];
    private static readonly string[] OwnersOnly = [Roles.Owner];

    /// <summary>
    /// Who may, why not, and — for what changes the workspace — the refusal for an owner or admin who has not turned on
    /// two-factor authentication while the workspace requires it (<see cref="Workspace.RequireTwoFactorForManagers"/>).
    /// What only reads stays open to them.
    /// </summary>
    private static readonly Dictionary<Permission, (string[] Roles, string Refusal, string? WithoutTwoFactor)> Matrix = new()
    {
        [Permission.SeeWorkspace] = (Everyone, "Only members of this workspace can see it.", null),
        [Permission.ManageKeys] = (OwnersAndAdmins, "Only owners and admins can manage API keys.", ManageKeysWithoutTwoFactorRefusal),
        [Permission.LookUpLeakedKeys] = (OwnersAndAdmins, "Only owners and admins can look up leaked keys.", null),
        [Permission.SeeAuditLog] = (OwnersAndAdmins, "Only owners and admins can see the audit log.", null),
        [Permission.ManageMembers] = (OwnersAndAdmins, "Only owners and admins can invite and remove members.",
            "Turn on two-factor authentication to manage members. " + TwoFactorRule),
        [Permission.ChangeRoles] = (OwnersOnly, "Only owners can change roles.", "Turn on two-factor authentication to change roles. " + TwoFactorRule),
        [Permission.ManageWorkspace] = (OwnersOnly, "Only owners can change workspace settings.",
            "Turn on two-factor authentication to change workspace settings. " + TwoFactorRule),
        [Permission.ChangeProductResources] = (OwnersAndAdmins, "Only owners and admins can change this.", null),
    };

    public static bool Allows(string? role, Permission permission) => Matrix[permission].Roles.Contains(role);

    /// <summary>Why someone whose role lacks <paramref name="permission"/> is refused it.</summary>
    public static string Refusal(Permission permission) => Matrix[permission].Refusal;

    /// <summary>
    /// Null when <paramref name="role"/> may do it, else the reason. <paramref name="missingTwoFactor"/>: the workspace
    /// requires two-factor authentication of owners and admins and this user has not turned it on.
    /// </summary>
    public static string? RefusalFor(string? role, Permission permission, bool missingTwoFactor = false) =>
        !Allows(role, permission) ? Matrix[permission].Refusal
        : missingTwoFactor ? Matrix[permission].WithoutTwoFactor
        : null;

    /// <summary>Owners invite anyone; admins invite members only.</summary>
    public static string? Invite(string? actorRole, string inviteeRole) =>
        RefusalFor(actorRole, Permission.ManageMembers)
        ?? (actorRole == Roles.Admin && inviteeRole != Roles.Member ? AdminInviteRefusal : null);

    /// <summary>Anyone may leave (remove themselves); owners remove anyone, admins members only. The last-owner rule is checked apart.</summary>
    public static string? Remove(string? actorRole, string targetRole, bool removingSelf) =>
        removingSelf ? null
        : RefusalFor(actorRole, Permission.ManageMembers)
          ?? (actorRole == Roles.Admin && targetRole != Roles.Member ? AdminRemoveRefusal : null);

    /// <summary>
    /// Whether someone with <paramref name="actorRole"/> may create a key with <paramref name="scopes"/> owned by a member
    /// with <paramref name="ownerRole"/>: nobody mints a key for a role above their own, and a key creating a key
    /// (<paramref name="actingKeyScopes"/>, null when a person acts) grants only scopes it holds itself. Null when allowed.
    /// </summary>
    public static string? CreateKey(string? actorRole, string? ownerRole, IEnumerable<string> scopes, IReadOnlyCollection<string>? actingKeyScopes) =>
        RefusalFor(actorRole, Permission.ManageKeys)
        ?? (Rank(ownerRole) > Rank(actorRole) ? CreateKeyForHigherRoleRefusal : null)
        ?? MissingScopes(actingKeyScopes, scopes, "A key can create keys only with scopes it holds itself");

    /// <summary>
    /// Whether someone with <paramref name="actorRole"/> may rotate a key with <paramref name="keyScopes"/> owned by a
    /// member with <paramref name="ownerRole"/>: the new secret is the key's whole power, so nobody takes it from a role
    /// above their own, and a key rotating a key (<paramref name="actingKeyScopes"/>) must hold all of its scopes.
    /// Revoking and editing give no power and follow <see cref="Permission.ManageKeys"/> alone. Null when allowed.
    /// </summary>
    public static string? RotateKey(string? actorRole, string? ownerRole, IEnumerable<string> keyScopes, IReadOnlyCollection<string>? actingKeyScopes) =>
        RefusalFor(actorRole, Permission.ManageKeys)
        ?? (Rank(ownerRole) > Rank(actorRole) ? RotateKeyOfHigherRoleRefusal : null)
        ?? MissingScopes(actingKeyScopes, keyScopes, "A key can rotate only keys whose scopes it holds itself");

    /// <summary>
    /// Whether someone with <paramref name="actorRole"/> may give an existing key <paramref name="addedScopes"/> (removing
    /// scopes only narrows a key and needs nothing more than <see cref="Permission.ManageKeys"/>): nobody grants what their
    /// own role may not do, and a key editing a key (<paramref name="actingKeyScopes"/>, null when a person acts) grants
    /// only scopes it holds itself. Null when allowed.
    /// </summary>
    public static string? AddKeyScopes(string? actorRole, IEnumerable<string> addedScopes, IReadOnlyCollection<string>? actingKeyScopes)
    {
        if (RefusalFor(actorRole, Permission.ManageKeys) is { } refusal) return refusal;
        var beyondRole = addedScopes.Where(s => !AllowsScope(actorRole, s)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (beyondRole.Count > 0)
            return $"You can grant only what your role allows: {WithArticle(actorRole)} may not {string.Join(", ", beyondRole)}.";
        return MissingScopes(actingKeyScopes, addedScopes, "A key can grant only scopes it holds itself");
    }

    /// <summary>
    /// Whether a key of <paramref name="actingKeyEnvironment"/> (null when a person acts) may create or rotate a key of
    /// <paramref name="environment"/>. People confirm it's them before touching a live key; a key has no session to confirm,
    /// so a test key, which anyone with keys:write can mint without that, must not be the way round it. Null when allowed.
    /// </summary>
    public static string? LiveKeyThroughKey(Keys.KeyEnvironment environment, Keys.KeyEnvironment? actingKeyEnvironment) =>
        environment == Keys.KeyEnvironment.Live && actingKeyEnvironment is { } acting && acting != Keys.KeyEnvironment.Live
            ? LiveKeyThroughTestKeyRefusal : null;

    private static string? MissingScopes(IReadOnlyCollection<string>? held, IEnumerable<string> wanted, string rule)
    {
        if (held is null) return null;
        var missing = wanted.Where(s => !held.Contains(s, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return missing.Count == 0 ? null : $"{rule}; this key lacks {string.Join(", ", missing)}.";
    }

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
