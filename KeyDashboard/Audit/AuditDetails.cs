using System.Globalization;
using System.Text.Json;
using KeyDashboard.Keys;

namespace KeyDashboard.Audit;

/// <summary>
/// A value of an entry's details as a person reads it: words, or a point in time for the page to show in the viewer's
/// zone; a list keeps its <paramref name="Items"/> too, so a long one can fold.
/// </summary>
public sealed record AuditValue(string? Text, DateTimeOffset? At = null, IReadOnlyList<string>? Items = null)
{
    public override string ToString() => At is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : Text ?? "";
}

/// <summary>One line of an entry's details: <c>Grace: 1 hour</c>, or a change, <c>Role: admin → member</c>.</summary>
public sealed record AuditDetail(string Label, AuditValue Value, AuditValue? Old = null)
{
    public override string ToString() => Old is null ? $"{Label}: {Value}" : $"{Label}: {Old} → {Value}";
}

/// <summary>
/// An entry's details (the JSON object <see cref="AuditTrail"/> stored) as lines a person reads: labels in words, ids
/// replaced by the names the caller looked up (<see cref="AuditNames"/>), <c>oldX</c> and <c>X</c> as one change, times
/// and durations in words. A field no one taught it reads as its name in words and its value; never as JSON.
/// </summary>
public static class AuditDetails
{
    private static readonly IReadOnlyDictionary<string, string> NoNames = new Dictionary<string, string>();

    private static readonly Dictionary<string, string> Labels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["expiresAt"] = "Expires",
        ["oldSecretValidUntil"] = "Old secret valid until",
        ["descriptionChanged"] = "Description",
        ["revokedTogether"] = "Revoked together",
        ["oldSecret"] = "Matched by",
        ["matched"] = "Matched a key",
        ["secret"] = "Secret reported",
        ["limit"] = "Limit reached",
        ["retryAfterSeconds"] = "Retry after",
        ["during"] = "While",
        ["left"] = "How",
        ["replacesPendingInvitation"] = "Replaces",
        ["DefaultLifetimeDays"] = "Default key lifetime",
        ["MaxLifetimeDays"] = "Longest key lifetime",
        ["AllowNeverExpiring"] = "Keys that never expire",
        ["required"] = "Two-factor authentication for owners and admins",
    };

    /// <summary>An export's details are the filters it was made with.</summary>
    private static readonly Dictionary<string, string> ExportLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["actor"] = "Actor filter",
        ["action"] = "Action filter",
        ["key"] = "Key filter",
        ["hideSignIns"] = "Sign-ins hidden",
    };

    /// <summary>Fields that hold a user's id: shown as that user's e-mail address.</summary>
    private static readonly HashSet<string> UserFields = new(StringComparer.OrdinalIgnoreCase) { "owner", "invitedBy" };

    /// <summary>Bookkeeping that means nothing to a reader (the id of the newest leak report seen).</summary>
    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase) { "seenUpTo" };

    public static IReadOnlyList<AuditDetail> Describe(string action, string? details, IReadOnlyDictionary<string, string>? names = null)
    {
        names ??= NoNames;
        if (string.IsNullOrWhiteSpace(details)) return [];
        var fields = Fields(details);
        if (fields is null) return [new AuditDetail("Details", new AuditValue(details.Trim()))];

        var lines = new List<AuditDetail>();
        foreach (var (name, value) in fields)
        {
            if (Hidden.Contains(name) || IsOldSideOfChange(name, fields)) continue;
            var label = action == AuditActions.AuditExported && ExportLabels.TryGetValue(name, out var filter) ? filter : Label(name);
            if (fields.FirstOrDefault(f => f.Name.Equals("old" + name, StringComparison.OrdinalIgnoreCase)) is { Name: not null } old)
            {
                if (old.Value.GetRawText() == value.GetRawText()) continue;
                if (Value(name, old.Value, names) is { } before && Value(name, value, names) is { } after)
                    lines.Add(new AuditDetail(label, after, before));
            }
            else if (Value(name, value, names) is { } shown)
                lines.Add(new AuditDetail(label, shown));
        }
        if (lines.Count == 0 && action == AuditActions.AuditExported) lines.Add(new AuditDetail("Filters", new AuditValue("none, the whole log")));
        return lines;
    }

    /// <summary>The ids an entry's details name (users and keys), for the caller to look up in one go.</summary>
    public static IEnumerable<string> ReferencedIds(string? details) =>
        Fields(details ?? "") is { } fields
            ? fields.Where(f => f.Value.ValueKind == JsonValueKind.String)
                .Where(f => UserFields.Contains(f.Name) || f.Value.GetString()!.StartsWith("key_", StringComparison.Ordinal) || Guid.TryParse(f.Value.GetString(), out _))
                .Select(f => f.Value.GetString()!)
            : [];

    /// <summary>The object's fields in order; a nested object's fields join them (those under <c>old</c> as <c>oldX</c>). Null when not an object.</summary>
    private static List<(string Name, JsonElement Value)>? Fields(string details)
    {
        try
        {
            using var json = JsonDocument.Parse(details);
            if (json.RootElement.ValueKind != JsonValueKind.Object) return null;
            var fields = new List<(string, JsonElement)>();
            foreach (var field in json.RootElement.EnumerateObject())
            {
                if (field.Value.ValueKind != JsonValueKind.Object) fields.Add((field.Name, field.Value.Clone()));
                else
                    foreach (var inner in field.Value.EnumerateObject())
                        fields.Add((field.Name.Equals("old", StringComparison.OrdinalIgnoreCase) ? "old" + inner.Name : inner.Name, inner.Value.Clone()));
            }
            return fields;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsOldSideOfChange(string name, List<(string Name, JsonElement Value)> fields) =>
        name.Length > 3 && name.StartsWith("old", StringComparison.OrdinalIgnoreCase) && char.IsUpper(name[3])
        && fields.Any(f => f.Name.Equals(name[3..], StringComparison.OrdinalIgnoreCase));

    /// <summary>The value in words, or null when there is nothing worth a line (a flag that is off, an empty filter).</summary>
    private static AuditValue? Value(string name, JsonElement value, IReadOnlyDictionary<string, string> names)
    {
        var key = name.ToLowerInvariant();
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return key switch
                {
                    "expiresat" => new("never"),
                    "maxlifetimedays" => new("no limit"),
                    "reason" => new("none given"),
                    _ => null,
                };
            case JsonValueKind.True or JsonValueKind.False:
                return Flag(key, value.GetBoolean());
            case JsonValueKind.Number:
                return Number(key, value);
            case JsonValueKind.Array:
                var items = value.EnumerateArray().Select(item => Value(name, item, names)?.ToString()).Where(item => item is not null).ToList();
                return new(items.Count == 0 ? "none" : string.Join(", ", items), Items: items!);
            case JsonValueKind.String:
                return Text(key, value.GetString()!, names);
            default:
                return new(value.GetRawText());
        }
    }

    private static AuditValue? Flag(string key, bool on) => key switch
    {
        "descriptionchanged" => on ? new("changed") : null,
        "replacespendinginvitation" => on ? new("an invitation still waiting") : null,
        "oldsecret" => new(on ? "the old secret, still in its grace period" : "the current secret"),
        "left" => new(on ? "left on their own" : "removed"),
        "allowneverexpiring" => new(on ? "allowed" : "not allowed"),
        "required" => new(on ? "required" : "not required"),
        _ => new(on ? "yes" : "no"),
    };

    private static AuditValue Number(string key, JsonElement value)
    {
        if (!value.TryGetInt64(out var number)) return new(value.GetRawText());
        return key switch
        {
            "retryafterseconds" => new(Duration(TimeSpan.FromSeconds(number))),
            "revokedtogether" => new(Plural(number, "key")),
            _ when key.EndsWith("days", StringComparison.Ordinal) => new(Plural(number, "day")),
            _ => new(number.ToString("N0", CultureInfo.InvariantCulture)),
        };
    }

    private static AuditValue Text(string key, string text, IReadOnlyDictionary<string, string> names)
    {
        if (names.TryGetValue(text, out var name)) return new(name);
        // Looked up in this workspace only: an id it cannot name is never shown as the id.
        if (UserFields.Contains(key)) return new("a former member");
        if (key == "key" || text.StartsWith("key_", StringComparison.Ordinal)) return new("a key not in this workspace");
        if (Guid.TryParse(text, out _)) return new("unknown");
        if (key == "action") return new(AuditActionLabels.Label(text));
        if (key == "limit") return new(text == "account" ? "attempts on this account" : text == "address" ? "attempts from this address" : text);
        if (key == "during" && text == "reauthentication") return new("confirming it was them");
        if (key == "grace" && Enum.TryParse<RotationGrace>(text, out var grace) && Enum.IsDefined(grace)) return new(Duration(grace.Duration()));
        if (text.Contains('T') && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)) return new(null, at);
        // A reason stored as an identifier (ended_by_user, password_changed) reads as words; a scope keeps its own.
        return new(key == "reason" && text.Contains('_') && text.All(c => c is '_' or (>= 'a' and <= 'z')) ? text.Replace('_', ' ') : text);
    }

    /// <summary>"none", "45 seconds", "5 minutes", "1 hour", "24 hours", "7 days".</summary>
    public static string Duration(TimeSpan span) => span switch
    {
        _ when span <= TimeSpan.Zero => "none",
        _ when span < TimeSpan.FromMinutes(1) => Plural((long)span.TotalSeconds, "second"),
        _ when span < TimeSpan.FromHours(1) => Plural((long)Math.Round(span.TotalMinutes), "minute"),
        // Up to two days in hours: the grace periods offered are 1 hour and 24 hours.
        _ when span <= TimeSpan.FromDays(2) => Plural((long)Math.Round(span.TotalHours), "hour"),
        _ => Plural((long)Math.Round(span.TotalDays), "day"),
    };

    private static string Label(string name)
    {
        if (Labels.TryGetValue(name, out var label)) return label;
        // camelCase or PascalCase in words: "retryAfter" reads "Retry after".
        var words = string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString())).Replace('_', ' ');
        return words.Length == 0 ? name : char.ToUpperInvariant(words[0]) + words[1..];
    }

    private static string Plural(long count, string unit) => count == 1 ? $"1 {unit}" : $"{count.ToString("N0", CultureInfo.InvariantCulture)} {unit}s";
}
