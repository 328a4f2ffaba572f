namespace KeyDashboard.Keys;

/// <summary>
/// What the keys page shows, as it is written in its address: search, filters, sort, page and page size, so that a
/// reload or a shared link shows the same view. Anything the address says that is not understood is left out.
/// </summary>
public sealed record KeysView
{
    public static readonly int[] PageSizes = [10, 25, 50, 100];
    private const int DefaultPageSize = 25;

    public string? Search { get; init; }
    public IReadOnlyList<KeyStatus> Statuses { get; init; } = [];
    public bool Stale { get; init; }
    public KeyEnvironment? Environment { get; init; }
    public bool IncludeRevoked { get; init; }
    /// <summary>Null: newest first, the page's own order.</summary>
    public KeySort? SortBy { get; init; }
    public bool Descending { get; init; }
    /// <summary>Zero-based; the address counts from 1.</summary>
    public int Page { get; init; }
    public int PageSize { get; init; } = DefaultPageSize;

    public bool IsFiltered => !string.IsNullOrWhiteSpace(Search) || Statuses.Count > 0 || Stale || Environment is not null;

    /// <summary>Counts, dates and times read best largest or latest first; names and prefixes from A.</summary>
    public static bool SortsDescendingFirst(KeySort sort) => sort is KeySort.Usage or KeySort.LastUsed or KeySort.Expires or KeySort.Created;

    public KeyQuery ToQuery() => new()
    {
        Search = Search,
        Statuses = Statuses,
        Stale = Stale,
        Environment = Environment,
        IncludeRevoked = IncludeRevoked,
        SortBy = SortBy ?? KeySort.Created,
        Descending = SortBy is null || Descending,
        Page = Page,
        PageSize = PageSize,
    };

    /// <summary>The query string's parameters, each null when it has its default, so the address stays short.</summary>
    public IReadOnlyDictionary<string, object?> ToQueryParameters() => new Dictionary<string, object?>
    {
        ["q"] = string.IsNullOrWhiteSpace(Search) ? null : Search,
        ["status"] = Statuses.Count == 0 && !Stale ? null : string.Join(',', Statuses.Select(Name).Concat(Stale ? ["stale"] : [])),
        ["env"] = Environment?.ToString().ToLowerInvariant(),
        ["revoked"] = IncludeRevoked ? "true" : null,
        ["sort"] = SortBy is { } sort ? Name(sort) : null,
        ["dir"] = SortBy is { } sorted && Descending != SortsDescendingFirst(sorted) ? (Descending ? "desc" : "asc") : null,
        ["page"] = Page > 0 ? (Page + 1).ToString() : null,
        ["size"] = PageSize != DefaultPageSize ? PageSize.ToString() : null,
    };

    public static KeysView Parse(string? q, string? status, string? env, string? revoked, string? sort, string? dir, string? page, string? size)
    {
        var statusNames = (status ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var sortBy = Enum.GetValues<KeySort>().Cast<KeySort?>().FirstOrDefault(s => Name(s!.Value) == sort);
        return new KeysView
        {
            Search = string.IsNullOrWhiteSpace(q) ? null : q.Trim(),
            Statuses = [.. Enum.GetValues<KeyStatus>().Where(s => statusNames.Contains(Name(s)))],
            Stale = statusNames.Contains("stale"),
            Environment = Enum.GetValues<KeyEnvironment>().Cast<KeyEnvironment?>().FirstOrDefault(e => e.ToString()!.Equals(env, StringComparison.OrdinalIgnoreCase)),
            IncludeRevoked = revoked == "true",
            SortBy = sortBy,
            Descending = sortBy is { } s && dir switch { "asc" => false, "desc" => true, _ => SortsDescendingFirst(s) },
            Page = int.TryParse(page, out var number) && number is > 1 and < 1_000_000 ? number - 1 : 0,
            PageSize = int.TryParse(size, out var rows) && PageSizes.Contains(rows) ? rows : DefaultPageSize,
        };
    }

    // "expiring-soon", "last-used": the words of the page, lower case and hyphenated.
    private static string Name<T>(T value) where T : struct, Enum =>
        string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? $"-{char.ToLowerInvariant(c)}" : $"{char.ToLowerInvariant(c)}"));
}
