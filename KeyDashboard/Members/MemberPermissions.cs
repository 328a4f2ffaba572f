using KeyDashboard.Workspaces;

namespace KeyDashboard.Members;

/// <summary>
/// Who may invite, re-role and remove whom. Owners manage everyone; admins add and remove members only; members
/// manage no one. Each rule returns null when allowed, else the reason, which the members page shows next to
/// the disabled action and the service returns as its refusal.
/// </summary>
public static class MemberPermissions
{
    public const string ManageRefusal = "Only owners and admins can invite and remove members.";
    public const string AdminInviteRefusal = "Admins can invite members only. Only owners can add admins and owners.";
    public const string ChangeRoleRefusal = "Only owners can change roles.";
    public const string AdminRemoveRefusal = "Admins can remove members only. Only owners can remove admins and owners.";
    public const string LastOwnerRefusal = "The last owner can neither leave nor be demoted. Make another member an owner first.";

    public static bool CanManageMembers(string? role) => role is Roles.Owner or Roles.Admin;

    public static string? Invite(string? actorRole, string inviteeRole) => actorRole switch
    {
        Roles.Owner => null,
        Roles.Admin => inviteeRole == Roles.Member ? null : AdminInviteRefusal,
        _ => ManageRefusal,
    };

    public static string? ChangeRole(string? actorRole) => actorRole == Roles.Owner ? null : ChangeRoleRefusal;

    /// <summary>Anyone may leave (remove themselves); the last-owner rule is checked separately.</summary>
    public static string? Remove(string? actorRole, string targetRole, bool removingSelf) =>
        removingSelf ? null : actorRole switch
        {
            Roles.Owner => null,
            Roles.Admin => targetRole == Roles.Member ? null : AdminRemoveRefusal,
            _ => ManageRefusal,
        };
}
