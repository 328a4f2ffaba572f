using System.Text.Json;

namespace KeyDashboard.Audit;

/// <summary>An entry's details (a JSON object) as people read them: <c>environment: test · scopes: keys:read, usage:read</c>.</summary>
public static class AuditDetails
{
    public static string Describe(string? details)
    {
        if (string.IsNullOrWhiteSpace(details)) return "";
        try
        {
            using var json = JsonDocument.Parse(details);
            if (json.RootElement.ValueKind != JsonValueKind.Object) return details;
            var parts = json.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind != JsonValueKind.Null)
                .Select(p => $"{p.Name}: {Value(p.Value)}");
            return string.Join(" · ", parts);
        }
        catch (JsonException)
        {
            return details;
        }
    }

    private static string Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Value)),
        JsonValueKind.String => value.GetString()!,
        _ => value.GetRawText(),
    };
}
