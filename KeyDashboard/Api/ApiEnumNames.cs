using KeyDashboard.Keys;

namespace KeyDashboard.Api;

/// <summary>The names the API gives the values of the services' enumerations (<c>expiring_soon</c>, <c>24h</c>), both ways.</summary>
public static class ApiEnumNames
{
    public static string Of(KeyEnvironment environment) => environment == KeyEnvironment.Live ? "live" : "test";

    public static string Of(KeyStatus status) => status switch
    {
        KeyStatus.ExpiringSoon => "expiring_soon",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static readonly IReadOnlyList<string> Statuses = Enum.GetValues<KeyStatus>().Select(Of).ToList();

    public static bool TryParseStatus(string? word, out KeyStatus status) => TryParse(word, Of, out status);

    public static bool TryParseEnvironment(string? word, out KeyEnvironment environment) => TryParse(word, Of, out environment);

    public static string Of(KeySort sort) => sort == KeySort.LastUsed ? "last_used" : sort.ToString().ToLowerInvariant();

    public static readonly IReadOnlyList<string> Sorts = Enum.GetValues<KeySort>().Select(Of).ToList();

    public static bool TryParseSort(string? word, out KeySort sort) => TryParse(word, Of, out sort);

    public static string Of(RotationGrace grace) => grace switch
    {
        RotationGrace.OneHour => "1h",
        RotationGrace.OneDay => "24h",
        RotationGrace.SevenDays => "7d",
        _ => "none",
    };

    public static bool TryParseGrace(string? word, out RotationGrace grace) => TryParse(word, Of, out grace);

    private static bool TryParse<T>(string? word, Func<T, string> wordOf, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
            if (string.Equals(wordOf(candidate), word?.Trim(), StringComparison.OrdinalIgnoreCase)) { value = candidate; return true; }
        value = default;
        return false;
    }
}
