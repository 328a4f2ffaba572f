using System.Net;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Security;

/// <summary>
/// The audit log and the failed-authentication limit use the client's address. A client cannot choose it by sending
/// <c>X-Forwarded-For</c>: only proxies listed in <c>KeyDashboard:TrustedProxies</c> are believed, none by default,
/// not even loopback. Requests here come "from" the address <see cref="KeyDashboardFactory.ClientAddressHeader"/> says.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string Proxy = "10.0.0.5";
    private const string Client = "203.0.113.66";

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("198.51.100.9")]
    public async Task Without_trusted_proxies_a_forged_forwarded_address_is_not_audited(string peer)
    {
        await using var app = new KeyDashboardFactory();

        await UseRevokedKeyAsync(app, peer, forwardedFor: Client);

        Assert.Equal(peer, (await RevokedKeyUseAsync(app)).ClientAddress);
    }

    [Fact]
    public async Task Without_trusted_proxies_a_new_forwarded_address_per_guess_does_not_escape_the_failed_authentication_limit()
    {
        await using var app = new KeyDashboardFactory { FailedAuthenticationsPerMinutePerAddress = 2 };

        for (var guess = 1; guess <= 2; guess++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await GuessAsync(app, "127.0.0.1", $"203.0.113.{guess}")).StatusCode);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await GuessAsync(app, "127.0.0.1", "203.0.113.3")).StatusCode);
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_the_client_it_names_is_audited()
    {
        await using var app = Behind("10.0.0.0/24");

        await UseRevokedKeyAsync(app, Proxy, forwardedFor: Client);

        Assert.Equal(Client, (await RevokedKeyUseAsync(app)).ClientAddress);
    }

    [Theory]
    [InlineData($"{Client}, 10.0.0.6", Client)]
    [InlineData($"{Client}, 198.51.100.1", "198.51.100.1")]
    public async Task A_chain_of_proxies_is_followed_until_the_first_address_that_is_not_trusted(string forwardedFor, string audited)
    {
        await using var app = Behind("10.0.0.0/24");

        await UseRevokedKeyAsync(app, Proxy, forwardedFor);

        Assert.Equal(audited, (await RevokedKeyUseAsync(app)).ClientAddress);
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_client_it_names_has_its_own_failed_authentication_limit()
    {
        await using var app = new KeyDashboardFactory
        {
            FailedAuthenticationsPerMinutePerAddress = 2,
            Settings = new Dictionary<string, string> { ["KeyDashboard:TrustedProxies:0"] = Proxy },
        };

        for (var guess = 0; guess < 2; guess++) await GuessAsync(app, Proxy, Client);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await GuessAsync(app, Proxy, Client)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GuessAsync(app, Proxy, "203.0.113.67")).StatusCode);
        // Not through the proxy: counted as itself, whatever client it names.
        Assert.Equal(HttpStatusCode.Unauthorized, (await GuessAsync(app, "198.51.100.9", Client)).StatusCode);
    }

    [Fact]
    public async Task Only_a_trusted_proxy_can_say_the_request_came_over_https()
    {
        await using var app = Behind(Proxy);

        var fromProxy = await LoginPageAsync(app, Proxy);
        var fromClient = await LoginPageAsync(app, "198.51.100.9");

        HostPrefixedCookieTests.AssertHostPrefixed(Antiforgery(fromProxy));
        Assert.DoesNotContain("__Host-", Antiforgery(fromClient));
    }

    private static string Antiforgery(HttpResponseMessage response) =>
        Assert.Single(HostPrefixedCookieTests.SetCookies(response), c => c.Contains("Antiforgery"));

    private static KeyDashboardFactory Behind(string trusted) =>
        new() { Settings = new Dictionary<string, string> { ["KeyDashboard:TrustedProxies:0"] = trusted } };

    private static async Task UseRevokedKeyAsync(KeyDashboardFactory app, string peer, string forwardedFor)
    {
        var issued = await app.CreateKeyAsync();
        await app.AsOwnerAsync((keys, actor, workspace) => keys.RevokeAsync(actor, workspace, issued.Key.Id, "leaked"));
        var client = app.ApiClient(issued.Secret, peer);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    private static async Task<KeyDashboard.Audit.AuditEntry> RevokedKeyUseAsync(KeyDashboardFactory app) =>
        Assert.Single(await app.AuditEntriesAsync("key.revoked_key_used"));

    private static Task<HttpResponseMessage> GuessAsync(KeyDashboardFactory app, string peer, string forwardedFor)
    {
        var client = app.ApiClient(app.Format.Generate(KeyDashboard.Keys.KeyEnvironment.Test), peer);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client.GetAsync("/api/v1/me");
    }

    private static Task<HttpResponseMessage> LoginPageAsync(KeyDashboardFactory app, string peer)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        request.Headers.Add(KeyDashboardFactory.ClientAddressHeader, peer);
        request.Headers.Add("X-Forwarded-For", Client);
        request.Headers.Add("X-Forwarded-Proto", "https");
        return app.CreateClient().SendAsync(request);
    }
}
