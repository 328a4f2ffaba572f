using System.Net;
using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Account;

public sealed class LoginTests(DemoAppFactory app) : IClassFixture<DemoAppFactory>
{
    private const string InvalidLogin = "Error: Invalid login attempt.";

    [Theory]
    [InlineData("owner@example.com", "as a member of Demo,")]
    [InlineData("admin@example.com", "as a member of Demo,")]
    [InlineData("member@example.com", "as a member of Demo,")]
    [InlineData("other@example.com", "as a member of Other,")]
    public async Task Each_demo_user_logs_in_and_sees_their_workspace_keys(string email, string expected)
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
        var email = await CreateUserAsync();

        var wrongPassword = await app.CreateBrowser().SignInAsync(email, "not-the-password");
        var unknownUser = await app.CreateBrowser().SignInAsync("nobody@example.com", "not-the-password");

        Assert.Equal(HttpStatusCode.OK, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknownUser.StatusCode);
        Assert.Contains(InvalidLogin, await wrongPassword.Content.ReadAsStringAsync());
        Assert.Contains(InvalidLogin, await unknownUser.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Five_failed_logins_lock_the_account_even_against_the_right_password()
    {
        var email = await CreateUserAsync();
        var browser = app.CreateBrowser();

        for (var attempt = 1; attempt <= 4; attempt++)
            Assert.Equal(HttpStatusCode.OK, (await browser.SignInAsync(email, "not-the-password")).StatusCode);
        var fifth = await browser.SignInAsync(email, "not-the-password");
        var rightPassword = await browser.SignInAsync(email, AccountForms.DemoPassword);

        Assert.Equal("/Account/Lockout", fifth.RedirectPath());
        Assert.Equal("/Account/Lockout", rightPassword.RedirectPath());
        Assert.Contains("This account has been locked out", await browser.GetStringAsync("/Account/Lockout"));
        Assert.Equal("/Account/Login", (await browser.GetAsync("/")).RedirectPath());
    }

    /// <summary>A fresh account, so failed logins here cannot lock out a demo user another test needs.</summary>
    private async Task<string> CreateUserAsync()
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var result = await users.CreateAsync(new ApplicationUser { UserName = email, Email = email }, AccountForms.DemoPassword);
        Assert.True(result.Succeeded);
        return email;
    }
}
