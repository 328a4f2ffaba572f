using System.Net;
using KeyDashboard.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KeyDashboard.Tests.Security;

/// <summary>
/// Over HTTPS the sign-in and antiforgery cookies are <c>__Host-</c> cookies: Secure, for the whole site, for this
/// host only, so that a plain-HTTP page or a sibling subdomain cannot plant or overwrite them.
/// </summary>
public sealed class HostPrefixedCookieTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    [Fact]
    public async Task Over_https_the_sign_in_and_antiforgery_cookies_are_host_prefixed_and_secure_and_signing_in_works()
    {
        var browser = Browser("https://localhost");

        var form = await browser.GetAsync("/Account/Login");
        var signIn = await browser.SignInAsync(app.World.Owner.Email!);

        AssertHostPrefixed(Assert.Single(SetCookies(form), c => c.Contains("Antiforgery")));
        AssertHostPrefixed(Assert.Single(SetCookies(signIn), c => c.Contains("Identity.Application")));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Over_plain_http_the_cookies_keep_their_names_since_browsers_refuse_host_prefixed_ones_there()
    {
        var browser = Browser("http://localhost");

        var signIn = await browser.SignInAsync(app.World.Owner.Email!);

        var session = Assert.Single(SetCookies(signIn), c => c.Contains("Identity.Application"));
        Assert.StartsWith(".AspNetCore.Identity.Application=", session);
        Assert.DoesNotContain("secure", session, StringComparison.OrdinalIgnoreCase);
    }

    private HttpClient Browser(string baseAddress) => app.CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri(baseAddress), AllowAutoRedirect = false, HandleCookies = true,
    });

    internal static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [];

    internal static void AssertHostPrefixed(string setCookie)
    {
        var attributes = setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.StartsWith("__Host-", setCookie);
        Assert.Contains("secure", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain="));
    }
}
