using KeyDashboard.Workspaces;

namespace KeyDashboard.Api;

/// <summary>
/// Which roles may use which scope: PRODUCT.md's "who may do what" matrix in scope terms. A key acts as its
/// owning member narrowed by its scopes, so a call needs both the scope and a role that may do the action.
/// </summary>
public static class ScopePermissions
{
    /// <summary>Whether a member with <paramref name="role"/> may act with <paramref name="scope"/> (<c>resource:action</c>).</summary>
    public static bool RoleMayUse(string? role, string scope)
    {
        if (role is not (Roles.Owner or Roles.Admin or Roles.Member)) return false;
        var separator = scope.IndexOf(':');
        if (separator <= 0) return false;
        var (resource, action) = (scope[..separator], scope[(separator + 1)..]);
        return (resource, action) switch
        {
            ("workspace", "read") => true,
            ("workspace", _) => role == Roles.Owner,
            // The audit log is append-only: nobody writes or deletes it through a key.
            ("audit", "read") => Roles.CanManageKeys(role),
            ("audit", _) => false,
            (_, "read") => true,
            // Managing keys, members and a host product's resources is for owners and admins.
            (_, "write" or "delete") => Roles.CanManageKeys(role),
            _ => false,
        };
    }

    /// <summary>"an owner", "an admin", "a member": for refusal messages.</summary>
    public static string WithArticle(string? role) => role switch
    {
        Roles.Owner or Roles.Admin => $"an {role}",
        null or "" => "not a member",
        _ => $"a {role}",
    };
}
