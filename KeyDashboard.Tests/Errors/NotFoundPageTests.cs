using System.Net;
using KeyDashboard.Tests.Sessions;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Errors;

public sealed class NotFoundPageTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    [Fact]
    public async Task An_unknown_dashboard_address_answers_404_with_a_link_home()
    {
        var browser = await SessionBrowser.SignedInAsync(app, app.World.Member.Email!);

        var response = await browser.Client.GetAsync("/keys/no-such-page/really");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Page not found", html);
        Assert.Matches("<a[^>]*href=\"/\"[^>]*>[\\s\\S]*?Go to your API keys", html);
    }

    [Fact]
    public async Task A_signed_out_visitor_gets_the_same_404_and_link()
    {
        var response = await app.CreateBrowser().GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Go to your API keys", await response.Content.ReadAsStringAsync());
    }
}
