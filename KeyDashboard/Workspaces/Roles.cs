namespace KeyDashboard.Workspaces;

/// <summary>The Identity roles a membership can hold. The role in the current workspace is the user's role claim.</summary>
public static class Roles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Member = "member";

    /// <summary>For <c>[Authorize(Roles = ...)]</c> and <c>AuthorizeView Roles</c>.</summary>
    public const string KeyManagers = Owner + "," + Admin;

    public static readonly IReadOnlyList<string> All = [Owner, Admin, Member];

    public static bool CanManageKeys(string? role) => role is Owner or Admin;
}
