using AngleSharp.Html.Parser;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Account;

/// <summary>
/// The account pages' app bar leads a signed-in user back to the dashboard with a whole-page load (the dashboard needs
/// its own stylesheets and scripts), and shows a visitor no such way to a dashboard that would only send them back here.
/// </summary>
public sealed class AccountHeaderTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    [Theory]
    [InlineData("/Account/Manage")]
    [InlineData("/Account/Manage/TwoFactorAuthentication")]
    [InlineData("/Account/Manage/EnableAuthenticator")]
    public async Task A_signed_in_user_finds_a_way_back_to_the_dashboard_in_the_header(string path)
    {
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync((await app.AddUserAsync()).Email!);

        var back = BackLinks(await (await browser.GetAsync(path)).Content.ReadAsStringAsync());

        var link = Assert.Single(back);
        var dashboard = new Uri(app.BaseAddress, "/");
        Assert.Equal(dashboard, new Uri(dashboard, link.GetAttribute("href")));
        Assert.Equal("false", link.GetAttribute("data-enhance-nav"));
    }

    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/Account/Register")]
    [InlineData("/Account/ForgotPassword")]
    public async Task A_visitor_sees_no_way_to_a_dashboard_they_cannot_open(string path)
    {
        var page = await (await app.CreateBrowser().GetAsync(path)).Content.ReadAsStringAsync();

        Assert.Empty(BackLinks(page));
    }

    private static List<AngleSharp.Dom.IElement> BackLinks(string html) =>
        new HtmlParser().ParseDocument(html).QuerySelectorAll("header a")
            .Where(a => a.TextContent.Trim() == "Back to dashboard").ToList();
}
