using System.Net;
using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Account;

public sealed class RegisterTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    [Theory]
    [InlineData("short")]
    [InlineData("elevenchars")]
    public async Task A_password_shorter_than_12_characters_is_refused(string password)
    {
        var email = $"short-{Guid.NewGuid():N}@example.com";

        var response = await RegisterAsync(app.CreateBrowser(), email, password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("at least 12", await response.Content.ReadAsStringAsync());
        Assert.Null(await FindUserAsync(email));
    }

    [Fact]
    public async Task A_long_lowercase_only_password_is_accepted_and_signs_the_user_in()
    {
        var email = $"new-{Guid.NewGuid():N}@example.com";
        var browser = app.CreateBrowser();

        var response = await RegisterAsync(browser, email, "twelvelowerc");

        Assert.Equal("/", response.RedirectPath());
        Assert.NotNull(await FindUserAsync(email));
        Assert.Contains("You are not a member of any workspace yet.", await browser.GetStringAsync("/"));
    }

    private static Task<HttpResponseMessage> RegisterAsync(HttpClient browser, string email, string password) =>
        browser.SubmitFormAsync("/Account/Register", "register", new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });

    private async Task<ApplicationUser?> FindUserAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email);
    }
}
