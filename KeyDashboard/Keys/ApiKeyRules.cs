using KeyDashboard.Workspaces;

namespace KeyDashboard.Keys;

/// <summary>What makes a key's description, reason and expiry acceptable (its name: <see cref="DisplayNames"/>). Plain rules, no database.</summary>
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
}
