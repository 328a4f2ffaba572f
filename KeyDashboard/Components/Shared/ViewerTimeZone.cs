namespace KeyDashboard.Components.Shared;

/// <summary>
/// The time zone of the person looking at a page, as their browser reports it (an IANA id such as
/// <c>Europe/Paris</c>). Times are stored in UTC; this turns them into the viewer's wall-clock time and back.
/// </summary>
public sealed class ViewerTimeZone
{
    public static readonly ViewerTimeZone Utc = new(TimeZoneInfo.Utc);

    private ViewerTimeZone(TimeZoneInfo zone) => Zone = zone;

    public TimeZoneInfo Zone { get; }

    /// <summary>UTC when the browser sent nothing or a zone this server does not know.</summary>
    public static ViewerTimeZone FromId(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return Utc;
        return TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? new ViewerTimeZone(zone) : Utc;
    }

    public DateTimeOffset ToViewer(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);

    /// <summary>The instant the viewer's day <paramref name="date"/> begins.</summary>
    public DateTimeOffset StartOfDay(DateOnly date)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Where the clocks skip midnight (a daylight-saving change), the day starts at the first time that exists.
        while (Zone.IsInvalidTime(midnight)) midnight = midnight.AddMinutes(30);
        return new DateTimeOffset(midnight, Zone.GetUtcOffset(midnight)).ToUniversalTime();
    }
}
