using System.Net;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Account;

public sealed class LoginTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    private const string InvalidLogin = "Error: Invalid login attempt.";

    [Theory]
    [InlineData("owner@acme.test", "as a member of Acme,")]
    [InlineData("admin@acme.test", "as a member of Acme,")]
    [InlineData("member@acme.test", "as a member of Acme,")]
    [InlineData("admin@other.test", "as a member of Other,")]
    public async Task Each_user_logs_in_and_sees_their_workspace_keys(string email, string expected)
    {
        var browser = app.CreateBrowser();

        await browser.SignInOrFailAsync(email);

        var home = await browser.GetStringAsync("/");
        Assert.Contains(expected, home);
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_the_login_page()
    {
        var response = await app.CreateBrowser().GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.RedirectPath());
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_get_the_same_message()
    {
        var email = (await app.AddUserAsync()).Email!;

        var wrongPassword = await app.CreateBrowser().SignInAsync(email, "not-the-password");
        var unknownUser = await app.CreateBrowser().SignInAsync("nobody@acme.test", "not-the-password");

        Assert.Equal(HttpStatusCode.OK, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknownUser.StatusCode);
        Assert.Contains(InvalidLogin, await wrongPassword.Content.ReadAsStringAsync());
        Assert.Contains(InvalidLogin, await unknownUser.Content.ReadAsStringAsync());
    }
}
