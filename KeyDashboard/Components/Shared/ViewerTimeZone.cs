using System.Globalization;

namespace KeyDashboard.Components.Shared;

/// <summary>
/// The time zone of the person looking at a page, as their browser reports it (an IANA id such as
/// <c>Europe/Paris</c>). Times are stored in UTC; this turns them into the viewer's wall-clock time and back.
/// </summary>
public sealed class ViewerTimeZone
{
    /// <summary>The cookie <c>wwwroot/viewer-time-zone.js</c> sets on every page.</summary>
    public const string CookieName = "KeyDashboard.TimeZone";
    private const int MaxIdLength = 64;

    public static readonly ViewerTimeZone Utc = new(TimeZoneInfo.Utc);

    private ViewerTimeZone(TimeZoneInfo zone) => Zone = zone;

    public TimeZoneInfo Zone { get; }

    public bool IsUtc => Zone == TimeZoneInfo.Utc || Zone.Id is "Etc/UTC" or "UTC";

    /// <summary>UTC when the browser sent nothing or a zone this server does not know.</summary>
    public static ViewerTimeZone FromId(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength) return Utc;
        return TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? new ViewerTimeZone(zone) : Utc;
    }

    /// <summary>The zone id the request's cookie names, or null before the browser has set it.</summary>
    public static string? IdFrom(HttpContext http) =>
        http.Request.Cookies.TryGetValue(CookieName, out var id) && id.Length <= MaxIdLength ? id : null;

    public DateTimeOffset ToViewer(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);

    /// <summary>How every page shows a point in time: <c>Dec 3, 2026 15:05</c>, with <c>UTC</c> after it when that is the zone.</summary>
    public string Format(DateTimeOffset at) =>
        ToViewer(at).ToString("MMM d, yyyy HH:mm", CultureInfo.InvariantCulture) + (IsUtc ? " UTC" : "");

    /// <summary>The exact time in UTC, shown on hover: <c>2026-12-03 14:05:09 UTC</c>.</summary>
    public static string FormatUtc(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The instant the viewer's day <paramref name="date"/> begins.</summary>
    public DateTimeOffset StartOfDay(DateOnly date)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Where the clocks skip midnight (a daylight-saving change), the day starts at the first time that exists.
        while (Zone.IsInvalidTime(midnight)) midnight = midnight.AddMinutes(30);
        return new DateTimeOffset(midnight, Zone.GetUtcOffset(midnight)).ToUniversalTime();
    }
}
