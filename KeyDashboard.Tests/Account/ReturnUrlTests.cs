using System.Net;
using System.Text.RegularExpressions;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Account;

/// <summary>
/// A sign-in link with a <c>ReturnUrl</c> pointing elsewhere (an open redirect: a phishing page behind the real
/// login) lands on a page of the dashboard after the correct password, and on log out, never on the other site
/// and never on a 500.
/// </summary>
public sealed partial class ReturnUrlTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    public static TheoryData<string> OutsideAddresses =>
    [
        "//evil.example",
        "//evil.example/Account/Manage",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "https://evil.example/",
        "http://localhost@evil.example/",
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "%2F%2Fevil.example",
        "/%2F%2Fevil.example",
        "evil.example:80",
    ];

    [Theory]
    [MemberData(nameof(OutsideAddresses))]
    public async Task After_the_correct_password_an_outside_ReturnUrl_lands_on_a_local_page(string returnUrl)
    {
        var user = await app.AddUserAsync();
        var browser = app.CreateBrowser();

        var response = await browser.SubmitFormAsync($"/Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}", "login",
            new() { ["Input.Email"] = user.Email!, ["Input.Password"] = TestWorld.Password });

        AssertLandsOnTheDashboard(response, returnUrl);
    }

    [Theory]
    [MemberData(nameof(OutsideAddresses))]
    public async Task Logging_out_with_an_outside_ReturnUrl_lands_on_a_local_page(string returnUrl)
    {
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync((await app.AddUserAsync()).Email!);
        var token = AntiforgeryToken().Match(await browser.GetStringAsync("/Account/Manage")).Groups["token"].Value;

        var response = await browser.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ReturnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));

        AssertLandsOnTheDashboard(response, returnUrl);
    }

    [Theory]
    [InlineData("/Account/Manage", "/Account/Manage")]
    [InlineData("Account/Manage", "/Account/Manage")]
    [InlineData("/keys?status=active", "/keys")]
    public async Task A_local_ReturnUrl_is_where_the_sign_in_lands(string returnUrl, string expectedPath)
    {
        var user = await app.AddUserAsync();

        var response = await app.CreateBrowser().SubmitFormAsync($"/Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}", "login",
            new() { ["Input.Email"] = user.Email!, ["Input.Password"] = TestWorld.Password });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expectedPath, response.RedirectPath());
    }

    private static void AssertLandsOnTheDashboard(HttpResponseMessage response, string returnUrl)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"ReturnUrl {returnUrl}: {(int)response.StatusCode}");
        var location = response.Headers.Location!;
        // What a browser does with the Location header: resolve it against the page it came from.
        var target = new Uri(new Uri("http://localhost/Account/Login"), location);
        Assert.True(target is { Scheme: "http", Authority: "localhost" }, $"ReturnUrl {returnUrl} sent the browser to {location}");
        // Browsers drop tabs and line breaks from an address, and read a backslash as a slash.
        Assert.DoesNotContain(location.OriginalString, c => char.IsControl(c) || c == '\\');
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
