namespace KeyDashboard;

/// <summary>
/// The one rule for which page of a list may be asked for, shared by every paged list (keys, a key's history, the audit
/// log): zero-based, 1 to the list's largest page size long, and starting no further than an <see cref="int"/> counts,
/// so that <c>page * pageSize</c> cannot wrap around to a negative offset and answer the first page instead.
/// </summary>
public static class PageBounds
{
    /// <summary>Why the page cannot be asked for, as the result of the list call; null when it can.</summary>
    public static OperationResult<T>? Refusal<T>(int page, int pageSize, int maxPageSize)
    {
        if (page < 0) return OperationResult<T>.Invalid("page", "Page must be zero or more.");
        if (pageSize < 1 || pageSize > maxPageSize) return OperationResult<T>.Invalid("pageSize", $"Page size must be between 1 and {maxPageSize}.");
        if ((long)page * pageSize > int.MaxValue) return OperationResult<T>.Invalid("page", $"Page must be at most {int.MaxValue / pageSize} for a page size of {pageSize}.");
        return null;
    }
}
