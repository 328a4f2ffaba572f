using System.Net;
using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Account;

/// <summary>
/// The two-factor set-up page makes the account's authenticator key on its first visit. Opened many times at once
/// (several tabs, a double click, a script) only one of them can make it: the others are sent to the page again and
/// show that same key, never a 500.
/// </summary>
public sealed class TwoFactorSetupRaceTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    [Fact]
    public async Task Ten_first_visits_at_once_make_one_authenticator_key_and_no_error()
    {
        var user = await app.AddUserAsync();
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(user.Email!);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => browser.GetAsync("/Account/Manage/EnableAuthenticator")));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.Found,
            $"{(int)r.StatusCode} {r.Headers.Location}"));
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var key = await users.GetAuthenticatorKeyAsync((await users.FindByIdAsync(user.Id))!);
        Assert.False(string.IsNullOrEmpty(key));
        var page = await (await browser.GetAsync("/Account/Manage/EnableAuthenticator")).Content.ReadAsStringAsync();
        Assert.Contains(string.Join(" ", Enumerable.Range(0, (key.Length + 3) / 4).Select(i => key.Substring(i * 4, Math.Min(4, key.Length - i * 4)))).ToLowerInvariant(), page);
    }
}
