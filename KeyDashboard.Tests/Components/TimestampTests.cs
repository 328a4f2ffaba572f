using Bunit;
using KeyDashboard.Components.Shared;
using KeyDashboard.Tests.TestSupport;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KeyDashboard.Tests.Components;

public sealed class TimestampTests : ComponentTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 14, 5, 9, TimeSpan.Zero);

    public TimestampTests() => Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));

    [Fact]
    public void Shows_the_time_in_the_viewers_zone_and_the_exact_utc_time_on_hover()
    {
        ViewerZone("Europe/Paris");

        var time = Render<Timestamp>(ps => ps.Add(t => t.At, Now.AddTicks(1234567))).Find("time");

        Assert.Equal("Dec 3, 2026 15:05", time.TextContent);
        Assert.Equal("2026-12-03 14:05:09 UTC", time.GetAttribute("title"));
        Assert.Equal("2026-12-03T14:05:09.1234567Z", time.GetAttribute("datetime"));
    }

    [Fact]
    public void A_time_with_another_offset_is_the_same_instant()
    {
        ViewerZone("Asia/Tokyo");

        var time = Render<Timestamp>(ps => ps.Add(t => t.At, new DateTimeOffset(2026, 12, 3, 9, 5, 9, TimeSpan.FromHours(-5)))).Find("time");

        Assert.Equal("Dec 3, 2026 23:05", time.TextContent);
        Assert.Equal("2026-12-03 14:05:09 UTC", time.GetAttribute("title"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("UTC")]
    [InlineData("Etc/UTC")]
    public void In_utc_or_with_no_zone_known_it_says_utc(string? zone)
    {
        if (zone is not null) ViewerZone(zone);

        Assert.Equal("Dec 3, 2026 14:05 UTC", Render<Timestamp>(ps => ps.Add(t => t.At, Now)).Find("time").TextContent);
    }

    [Fact]
    public void Relative_says_how_long_ago_with_the_same_utc_hover()
    {
        ViewerZone("Europe/Paris");

        var time = Render<Timestamp>(ps => ps.Add(t => t.At, Now.AddHours(-3)).Add(t => t.Relative, true)).Find("time");

        Assert.Equal("3 hours ago", time.TextContent);
        Assert.Equal("2026-12-03 11:05:09 UTC", time.GetAttribute("title"));
    }

    [Fact]
    public void No_time_shows_the_never_text()
    {
        var timestamp = Render<Timestamp>(ps => ps.Add(t => t.At, null).Add(t => t.Never, "Never used"));

        Assert.Empty(timestamp.FindAll("time"));
        Assert.Equal("Never used", timestamp.Find("span").TextContent);
    }

    [Fact]
    public void The_zone_comes_from_the_browsers_cookie_and_a_bad_one_means_utc()
    {
        Assert.Equal("Europe/Paris", ViewerTimeZone.FromId(IdFrom("Europe%2FParis")).Zone.Id);
        Assert.Same(ViewerTimeZone.Utc, ViewerTimeZone.FromId(IdFrom("Not/A_Zone")));
        Assert.Same(ViewerTimeZone.Utc, ViewerTimeZone.FromId(IdFrom(new string('x', 200))));
        Assert.Null(IdFrom(null));
    }

    private static string? IdFrom(string? cookie)
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        if (cookie is not null) http.Request.Headers.Cookie = $"{ViewerTimeZone.CookieName}={cookie}";
        return ViewerTimeZone.IdFrom(http);
    }

    private void ViewerZone(string id) =>
        RenderTree.Add<CascadingValue<ViewerTimeZone>>(ps => ps.Add(p => p.Value, ViewerTimeZone.FromId(id)));
}
