using KeyDashboard.Components.Shared;

namespace KeyDashboard.Tests.Components;

public sealed class ViewerTimeZoneTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Mars/Olympus_Mons")]
    public void A_missing_or_unknown_zone_means_utc(string? id) =>
        Assert.Same(ViewerTimeZone.Utc, ViewerTimeZone.FromId(id));

    [Fact]
    public void Converts_a_stored_utc_time_to_the_viewers_wall_clock()
    {
        var paris = ViewerTimeZone.FromId("Europe/Paris");

        Assert.Equal(new DateTime(2026, 7, 1, 14, 0, 0), paris.ToViewer(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero)).DateTime);
        Assert.Equal(new DateTime(2026, 12, 1, 13, 0, 0), paris.ToViewer(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)).DateTime);
    }

    [Fact]
    public void A_day_starts_at_the_viewers_midnight()
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero), ViewerTimeZone.FromId("Asia/Tokyo").StartOfDay(new DateOnly(2026, 11, 21)));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero), ViewerTimeZone.Utc.StartOfDay(new DateOnly(2026, 11, 21)));
    }

    [Fact]
    public void Where_the_clocks_skip_midnight_the_day_starts_at_the_first_time_that_exists()
    {
        // Santiago moved its clocks from 00:00 to 01:00 on 7 September 2025.
        var start = ViewerTimeZone.FromId("America/Santiago").StartOfDay(new DateOnly(2025, 9, 7));

        Assert.Equal(new DateTimeOffset(2025, 9, 7, 4, 0, 0, TimeSpan.Zero), start);
    }
}
