using System.Net;
using System.Text.RegularExpressions;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Account;

/// <summary>
/// The account endpoints beside the Identity pages (log out, passkey options, external logins, the personal data
/// download) as a forged cross-site form would call them: without the antiforgery token. Each is a 400 that does
/// nothing, signed in or not, never a 500 and never the data.
/// </summary>
public sealed partial class AccountEndpointTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    public static TheoryData<string> Posts =>
    [
        "/Account/Logout",
        "/Account/PerformExternalLogin",
        "/Account/PasskeyCreationOptions",
        "/Account/PasskeyRequestOptions",
        "/Account/Manage/LinkExternalLogin",
        "/Account/Manage/DownloadPersonalData",
    ];

    [Theory]
    [MemberData(nameof(Posts))]
    public async Task A_post_without_the_antiforgery_token_from_a_signed_in_user_is_a_400_that_does_nothing(string path)
    {
        var user = await app.AddUserAsync();
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(user.Email!);

        var response = await browser.PostAsync(path, FormWithoutToken());

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
        Assert.DoesNotContain(user.Email!, body);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Account/Manage")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Posts))]
    public async Task A_post_without_the_antiforgery_token_from_a_visitor_is_never_a_5xx(string path)
    {
        var response = await app.CreateBrowser().PostAsync(path, FormWithoutToken());

        // The manage endpoints send a visitor to the login page first; the others refuse the missing token.
        if (path.StartsWith("/Account/Manage/"))
            Assert.Equal("/Account/Login", response.RedirectPath());
        else
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_post_without_any_form_is_a_400_too()
    {
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync((await app.AddUserAsync()).Email!);

        var response = await browser.PostAsync("/Account/Manage/DownloadPersonalData", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_personal_data_download_with_the_pages_token_still_answers_the_data()
    {
        var user = await app.AddUserAsync();
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(user.Email!);
        var token = AntiforgeryToken().Match(await browser.GetStringAsync("/Account/Manage/PersonalData")).Groups["token"].Value;

        var response = await browser.PostAsync("/Account/Manage/DownloadPersonalData", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(user.Email!, await response.Content.ReadAsStringAsync());
    }

    private static FormUrlEncodedContent FormWithoutToken() => new(new Dictionary<string, string>
    {
        ["ReturnUrl"] = "",
        ["provider"] = "Nowhere",
    });

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
