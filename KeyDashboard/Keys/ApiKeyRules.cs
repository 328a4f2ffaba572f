using KeyDashboard.Workspaces;

namespace KeyDashboard.Keys;

/// <summary>
/// What makes a key's description, reason, expiry and scopes acceptable (its name: <see cref="DisplayNames"/>; who may
/// grant which scope: <see cref="Permissions"/>). Plain rules, no database: the services enforce them and the dialogs
/// show them.
/// </summary>
public static class ApiKeyRules
{
    public const int DescriptionMaxLength = 500;
    public const int ReasonMaxLength = 500;

    public static (string? Value, string? Error) Description(string? description) =>
        FreeText(description, DescriptionMaxLength, "Description");

    public static (string? Value, string? Error) Reason(string? reason) => FreeText(reason, ReasonMaxLength, "Reason");

    private static (string? Value, string? Error) FreeText(string? text, int maxLength, string label)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length > maxLength) return (null, $"{label} must be at most {maxLength} characters.");
        if (trimmed.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            return (null, $"{label} cannot contain control characters.");
        return (trimmed, null);
    }

    /// <summary>
    /// When a new key expires: what the creator chose, or the workspace's default lifetime; never beyond the
    /// longest lifetime the policy allows, and never "never" unless the policy allows that.
    /// </summary>
    public static (DateTimeOffset? Value, string? Error) Expiry(Workspace workspace, DateTimeOffset? requested, bool neverExpires, DateTimeOffset now)
    {
        if (neverExpires)
            return workspace.AllowNeverExpiringKeys ? (null, null) : (null, "This workspace's policy requires every key to expire.");

        var latest = workspace.MaxKeyLifetimeDays is { } max ? now.AddDays(max) : (DateTimeOffset?)null;
        if (requested is null)
        {
            var byDefault = now.AddDays(workspace.DefaultKeyLifetimeDays);
            return (latest is not null && byDefault > latest ? latest : byDefault, null);
        }
        if (requested <= now) return (null, "The expiry date must be in the future.");
        if (requested > latest) return (null, $"Keys in this workspace may live at most {workspace.MaxKeyLifetimeDays} days (until {latest:yyyy-MM-dd}).");
        // Stored dates compare by their clock reading (see AppDbContext): keep every stored instant in UTC.
        return (requested.Value.ToUniversalTime(), null);
    }

    /// <summary>
    /// A key's expiry may only be brought forward after creation, never pushed later or removed (that would be a longer
    /// lifetime than the one it was given), and never into the past (revoke the key for that).
    /// </summary>
    public static (DateTimeOffset? Value, string? Error) EarlierExpiry(DateTimeOffset? current, DateTimeOffset requested, DateTimeOffset now)
    {
        if (requested <= now) return (null, "The expiry date must be in the future. To stop the key now, revoke it.");
        if (requested > current) return (null, $"Expiry can only be brought forward: this key expires {current.GetValueOrDefault().UtcDateTime:yyyy-MM-dd}. For a longer lifetime, create a new key.");
        return (requested.ToUniversalTime(), null);
    }

    /// <summary>The scopes, trimmed, each once, in order; what a key stores.</summary>
    public static List<string> CleanScopes(IEnumerable<string?> scopes) =>
        scopes.Select(s => s?.Trim() ?? "").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The scopes of <paramref name="scopes"/> that a key owned by a member with <paramref name="ownerRole"/> can never use while that role stays.</summary>
    public static IReadOnlyList<string> ScopesOwnerCannotUse(string? ownerRole, IEnumerable<string> scopes) =>
        scopes.Where(s => !Permissions.AllowsScope(ownerRole, s)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The warning for <see cref="ScopesOwnerCannotUse"/>; null when the owner's role can use every scope.</summary>
    public static string? OwnerCannotUseWarning(string? ownerName, string? ownerRole, IEnumerable<string> scopes) =>
        ScopesOwnerCannotUse(ownerRole, scopes) is { Count: > 0 } unusable
            ? $"The key acts as {ownerName}, {Permissions.WithArticle(ownerRole)}, whose role can never use {string.Join(", ", unusable)}: the API refuses those calls while the role stays."
            : null;
}
