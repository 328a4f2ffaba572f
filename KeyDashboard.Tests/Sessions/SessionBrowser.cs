using System.Net;
using System.Text.RegularExpressions;
using KeyDashboard.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace KeyDashboard.Tests.Sessions;

/// <summary>
/// A browser without scripts (as <see cref="KeyDashboardFactory.CreateBrowser"/>) whose sign-in cookie a test can
/// copy, as an attacker who read it from a disk, a proxy log or a shoulder would, and replay from another client.
/// </summary>
public sealed partial class SessionBrowser
{
    /// <summary>Identity's application cookie, as named over plain HTTP.</summary>
    public const string CookieName = ".AspNetCore.Identity.Application";
    public const string ChromeOnWindows =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    public const string SafariOnIPhone =
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

    private readonly CookieContainer _cookies = new();

    public SessionBrowser(KeyDashboardFactory app, string userAgent = ChromeOnWindows, string clientAddress = KeyDashboardFactory.DefaultClientAddress)
    {
        Client = app.CreateDefaultClient(app.ClientOptions.BaseAddress, new CookieContainerHandler(_cookies));
        Client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        Client.DefaultRequestHeaders.Add(KeyDashboardFactory.ClientAddressHeader, clientAddress);
    }

    public HttpClient Client { get; }

    /// <summary>The sign-in cookie's value, as it is in the browser now.</summary>
    public string SessionCookie => _cookies.GetCookies(Client.BaseAddress!)[CookieName]?.Value
        ?? throw new InvalidOperationException("The browser holds no sign-in cookie.");

    public static async Task<SessionBrowser> SignedInAsync(KeyDashboardFactory app, string email, string userAgent = ChromeOnWindows)
    {
        var browser = new SessionBrowser(app, userAgent);
        await browser.Client.SignInOrFailAsync(email, TestWorld.Password);
        return browser;
    }

    /// <summary>Puts <paramref name="cookie"/> in this browser as its sign-in cookie.</summary>
    public void UseSessionCookie(string cookie) => _cookies.Add(Client.BaseAddress!, new Cookie(CookieName, cookie));

    /// <summary>Another client, which sends only <paramref name="cookie"/> as the sign-in cookie: the copy replayed.</summary>
    public static HttpClient Replaying(KeyDashboardFactory app, string cookie)
    {
        var client = app.CreateDefaultClient(app.ClientOptions.BaseAddress);
        client.DefaultRequestHeaders.Add("Cookie", $"{CookieName}={cookie}");
        return client;
    }

    /// <summary>Posts the user menu's "Log out" form, with the antiforgery token of an account page.</summary>
    public async Task<HttpResponseMessage> LogOutAsync()
    {
        var token = AntiforgeryToken().Match(await Client.GetStringAsync("/Account/Manage")).Groups["token"].Value;
        return await Client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ReturnUrl"] = "",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));
    }

    /// <summary>Whether <paramref name="client"/> is signed in: the home page answers, instead of sending it to log in.</summary>
    public static async Task<bool> IsSignedInAsync(HttpClient client)
    {
        var response = await client.GetAsync("/");
        if (response.StatusCode == HttpStatusCode.OK) return true;
        Assert.Equal("/Account/Login", response.RedirectPath());
        return false;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
