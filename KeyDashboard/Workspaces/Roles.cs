namespace KeyDashboard.Workspaces;

/// <summary>
/// The Identity roles a membership can hold. The role in the current workspace is the user's role claim; what each
/// role may do is in <see cref="Permissions"/>.
/// </summary>
public static class Roles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Member = "member";

    public static readonly IReadOnlyList<string> All = [Owner, Admin, Member];
}
