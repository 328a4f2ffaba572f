using Bunit;
using KeyDashboard.Components.Shared;
using KeyDashboard.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KeyDashboard.Tests.Components;

public sealed class RelativeTimeTests : ComponentTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public RelativeTimeTests() => Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));

    [Fact]
    public void A_past_moment_reads_as_ago_with_the_exact_utc_time_on_hover()
    {
        var time = Render<RelativeTime>(ps => ps.Add(t => t.At, Now.AddHours(-3).AddMinutes(-20)));

        var element = time.Find("time");
        Assert.Equal("3 hours ago", element.TextContent);
        Assert.Equal("2026-11-23 08:40:00 UTC", element.GetAttribute("title"));
        Assert.Equal("2026-11-23T08:40:00.0000000Z", element.GetAttribute("datetime"));
    }

    [Fact]
    public void A_future_moment_reads_as_in()
    {
        var time = Render<RelativeTime>(ps => ps.Add(t => t.At, Now.AddDays(12).AddHours(5)));

        Assert.Equal("in 12 days", time.Find("time").TextContent);
    }

    [Fact]
    public void The_exact_time_is_shown_in_utc_whatever_the_offset_it_came_with()
    {
        var time = Render<RelativeTime>(ps => ps.Add(t => t.At, new DateTimeOffset(2026, 11, 23, 14, 0, 0, TimeSpan.FromHours(2))));

        Assert.Equal("just now", time.Find("time").TextContent);
        Assert.Equal("2026-11-23 12:00:00 UTC", time.Find("time").GetAttribute("title"));
    }

    [Fact]
    public void A_key_with_the_default_lifetime_expires_in_12_months_not_11()
    {
        var time = Render<RelativeTime>(ps => ps.Add(t => t.At, Now.AddDays(365)));

        Assert.Equal("in 12 months", time.Find("time").TextContent);
    }

    [Fact]
    public void No_moment_shows_the_never_text()
    {
        var time = Render<RelativeTime>(ps => ps.Add(t => t.At, null).Add(t => t.Never, "Never used"));

        Assert.Empty(time.FindAll("time"));
        Assert.Equal("Never used", time.Find("span").TextContent);
    }

    [Theory]
    [InlineData(-30, "just now")]
    [InlineData(30, "just now")]
    [InlineData(-60, "1 minute ago")]
    [InlineData(-59 * 60, "59 minutes ago")]
    [InlineData(-3600, "1 hour ago")]
    [InlineData(36 * 3600, "in 1 day")]
    [InlineData(-59 * 86400, "59 days ago")]
    [InlineData(60 * 86400, "in 2 months")]
    [InlineData(90 * 86400, "in 3 months")]
    [InlineData(365 * 86400, "in 12 months")]
    [InlineData(-800 * 86400, "2 years ago")]
    public void Describes_spans_in_the_largest_sensible_unit(int seconds, string expected) =>
        Assert.Equal(expected, RelativeTime.Describe(Now.AddSeconds(seconds), Now));
}
