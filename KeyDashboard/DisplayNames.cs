namespace KeyDashboard;

/// <summary>What makes a name people give to a key or a workspace acceptable. Plain rules, no database.</summary>
public static class DisplayNames
{
    public const int MaxLength = 100;

    /// <summary>The trimmed name, or an error message.</summary>
    public static (string? Value, string? Error) Check(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0) return (null, "Name is required.");
        if (trimmed.Length > MaxLength) return (null, $"Name must be at most {MaxLength} characters.");
        if (trimmed.Any(char.IsControl)) return (null, "Name cannot contain control characters such as line breaks or tabs.");
        return (trimmed, null);
    }
}
