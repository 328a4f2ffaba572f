using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using KeyDashboard.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KeyDashboard.Tests.Security;

/// <summary>The headers the OWASP cheat sheets ask for, on pages, API answers and error pages; HSTS and the HTTPS redirect.</summary>
public sealed partial class SecurityHeadersTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/Account/Register")]
    [InlineData("/no-such-page")]
    [InlineData("/api/v1/me")]
    [InlineData("/health")]
    public async Task Every_response_forbids_sniffing_referrers_and_framing(string path)
    {
        var response = await app.CreateBrowser().GetAsync(path);

        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
    }

    [Fact]
    public async Task A_page_allows_scripts_from_itself_and_its_import_map_only()
    {
        var response = await app.CreateBrowser().GetAsync("/Account/Login");
        var html = await response.Content.ReadAsStringAsync();

        var policy = Directives(Header(response, "Content-Security-Policy"));
        var importMap = ImportMapPattern().Match(html);
        Assert.True(importMap.Success, "The page has no import map.");
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(importMap.Groups["json"].Value)));
        Assert.Equal($"'self' 'sha256-{hash}'", policy["script-src"]);
        Assert.Equal("'self'", policy["default-src"]);
        Assert.Equal("'none'", policy["object-src"]);
        Assert.Equal("'self'", policy["base-uri"]);
        Assert.Equal("'self' ws://localhost", policy["connect-src"]);
        Assert.DoesNotContain("<script>", html);
    }

    [Fact]
    public async Task A_signed_in_dashboard_page_has_the_policy_too()
    {
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(app.World.Owner.Email!);

        var response = await browser.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("'self' 'sha256-", Directives(Header(response, "Content-Security-Policy"))["script-src"]);
    }

    [Fact]
    public async Task Over_https_the_answer_asks_for_https_for_a_year()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://keys.example.com") });

        var response = await client.GetAsync("/Account/Login");

        var maxAge = Regex.Match(Header(response, "Strict-Transport-Security"), @"max-age=(\d+)");
        Assert.True(maxAge.Success && long.Parse(maxAge.Groups[1].Value) >= 365 * 24 * 3600, Header(response, "Strict-Transport-Security"));
        Assert.Equal("'self' wss://keys.example.com", Directives(Header(response, "Content-Security-Policy"))["connect-src"]);
    }

    [Fact]
    public async Task With_https_configured_plain_http_is_redirected_to_https()
    {
        await using var withHttps = new KeyDashboardFactory { Settings = new Dictionary<string, string> { ["https_port"] = "443" } };
        var client = withHttps.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("http://keys.example.com"), AllowAutoRedirect = false,
        });

        var response = await client.GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("https://keys.example.com/Account/Login", response.Headers.Location?.ToString());
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.RequestUri} answered without {name}.");

    private static Dictionary<string, string> Directives(string policy) =>
        policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(directive => directive.Split(' ', 2))
            .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "");

    [GeneratedRegex("""<script type="importmap">(?<json>.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex ImportMapPattern();
}
