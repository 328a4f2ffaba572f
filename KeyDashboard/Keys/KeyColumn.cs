namespace KeyDashboard.Keys;

/// <summary>The keys table's columns a user may hide; the name and the actions always show.</summary>
public enum KeyColumn { Prefix, Owner, Scopes, Usage, LastUsed, Expires, Status }

public static class KeyColumns
{
    public static readonly IReadOnlyList<KeyColumn> All = Enum.GetValues<KeyColumn>();

    public static string Label(this KeyColumn column) => column switch
    {
        KeyColumn.LastUsed => "Last used",
        _ => column.ToString(),
    };

    /// <summary>The hidden columns written as the browser stores them, e.g. "Prefix,Scopes"; unknown names are dropped.</summary>
    public static IReadOnlySet<KeyColumn> ParseHidden(string? stored) =>
        (stored ?? "").Split(',').Select(name => Enum.TryParse<KeyColumn>(name, out var column) && Enum.IsDefined(column) ? column : (KeyColumn?)null)
            .OfType<KeyColumn>().ToHashSet();

    public static string FormatHidden(IEnumerable<KeyColumn> hidden) => string.Join(',', hidden.Order());
}
