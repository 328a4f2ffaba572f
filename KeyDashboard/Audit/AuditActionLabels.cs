using System.Globalization;
using System.Reflection;

namespace KeyDashboard.Audit;

/// <summary>What the audit log page calls each action, and the actions its filter offers.</summary>
public static class AuditActionLabels
{
    private static readonly Dictionary<string, string> Labels = new()
    {
        [AuditActions.KeyCreated] = "Key created",
        [AuditActions.KeyRotated] = "Key rotated",
        [AuditActions.KeyRevoked] = "Key revoked",
        [AuditActions.KeyEdited] = "Key edited",
        [AuditActions.KeyLookup] = "Leaked-key lookup",
        [AuditActions.RevokedKeyUsed] = "Revoked key used",
        [AuditActions.KeyReportedLeaked] = "Key reported as leaked and revoked",
        [AuditActions.LeakReportsSeen] = "Leak reports seen",
        [AuditActions.SignedIn] = "Signed in",
        [AuditActions.SignInFailed] = "Sign-in failed",
        [AuditActions.SignInThrottled] = "Sign-in throttled",
        [AuditActions.LockedOut] = "Locked out",
        [AuditActions.SignedOut] = "Signed out",
        [AuditActions.PasswordResetLinkIssued] = "Password reset link issued",
        [AuditActions.Reauthenticated] = "Re-authenticated",
        [AuditActions.ReauthenticationFailed] = "Re-authentication failed",
        [AuditActions.AuditExported] = "Audit log exported",
        [AuditActions.WorkspaceTwoFactorRequirementChanged] = "Two-factor requirement changed",
    };

    /// <summary>
    /// Every constant of <see cref="AuditActions"/>, read from the class itself so that an action added there is
    /// offered by the filter without a second list to keep in step.
    /// </summary>
    public static IReadOnlyList<string> Known { get; } = typeof(AuditActions)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f is { IsLiteral: true, FieldType: var type } && type == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .OrderBy(Label, StringComparer.Ordinal)
        .ToList();

    /// <summary>What an entry's target is when it has no name (a sign-in session): its kind in words, never its id.</summary>
    public static string Target(string targetType) => targetType switch
    {
        "session" => "A sign-in session",
        _ => Words(targetType),
    };

    /// <summary>"Key created" for <c>key.created</c>; an action without a label reads as its words ("Member removed").</summary>
    public static string Label(string action) => Labels.TryGetValue(action, out var label) ? label : Words(action);

    private static string Words(string text)
    {
        var words = text.Replace('.', ' ').Replace('_', ' ').Trim();
        return words.Length == 0 ? text : char.ToUpper(words[0], CultureInfo.InvariantCulture) + words[1..];
    }
}
