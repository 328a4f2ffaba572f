using KeyDashboard.Workspaces;

namespace KeyDashboard.Keys;

/// <summary>
/// Why an action does not apply to a key in its state, whoever asks (what a role may do is <see cref="Permissions"/>'):
/// shown beside the disabled action, and the service's 409 to anyone who asks anyway.
/// </summary>
public static class KeyStateRefusals
{
    public const string RotateRevoked = "A revoked key cannot be rotated. Create a new key instead.";
    public const string RotateExpired = "An expired key cannot be rotated. Create a new key instead.";
    public const string RevokeRevoked = "This key is already revoked.";
    public const string EditRevoked = "This key is revoked: there is nothing left to change.";

    public static string? Rotate(KeyStatus status) => status switch
    {
        KeyStatus.Revoked => RotateRevoked,
        KeyStatus.Expired => RotateExpired,
        _ => null,
    };

    public static string? Revoke(KeyStatus status) => status == KeyStatus.Revoked ? RevokeRevoked : null;

    public static string? Edit(KeyStatus status) => status == KeyStatus.Revoked ? EditRevoked : null;
}
