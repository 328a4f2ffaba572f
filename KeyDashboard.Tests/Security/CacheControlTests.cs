using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using KeyDashboard.Api;
using KeyDashboard.Members;
using KeyDashboard.Tests.Api;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Security;

/// <summary>
/// No response that may carry a secret is kept by a browser or a proxy cache: every dynamic answer, API and page, is
/// <c>no-store</c>. Only the fingerprinted static assets may be cached.
/// </summary>
public sealed partial class CacheControlTests(AppWithKeysInEveryState app) : IClassFixture<AppWithKeysInEveryState>
{
    [Fact]
    public async Task Creating_and_rotating_a_key_through_the_api_answer_no_store()
    {
        var client = app.ApiClient(app.OwnerKey.Secret);

        var created = await client.PostAsJsonAsync("/api/v1/keys", new { name = "cache-check", scopes = new[] { "keys:read" } });
        var id = (await created.Content.ReadFromJsonAsync<IssuedKeyResponse>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!.Key.Id;
        var rotated = await client.PostAsJsonAsync($"/api/v1/keys/{id}/rotate", new { grace = "1h" });

        AssertNoStore(created, HttpStatusCode.Created);
        AssertNoStore(rotated, HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/members")]
    [InlineData("/audit")]
    [InlineData("/Account/Manage")]
    public async Task Dashboard_and_account_pages_answer_no_store(string path)
    {
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(app.World.Owner.Email!);

        AssertNoStore(await browser.GetAsync(path), HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/Account/Register")]
    [InlineData("/no-such-page")]
    public async Task Pages_for_anyone_answer_no_store(string path)
    {
        var response = await app.CreateBrowser().GetAsync(path);

        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task The_invitation_link_answers_no_store()
    {
        var path = "/" + AcceptInvitation.PathFor(await app.InviteAsync($"cache-{Guid.NewGuid():N}@example.test"));

        AssertNoStore(await app.CreateBrowser().GetAsync(path), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_fingerprinted_stylesheet_keeps_the_caching_its_asset_endpoint_gives_it()
    {
        var browser = app.CreateBrowser();
        var page = await browser.GetStringAsync("/Account/Login");
        var stylesheet = FingerprintedStylesheet().Match(page);
        Assert.True(stylesheet.Success, "The login page links no fingerprinted app.css.");

        var response = await browser.GetAsync("/" + stylesheet.Groups["path"].Value);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // A build's asset manifest says no-cache, a published one max-age=31536000, immutable: either way, not no-store.
        Assert.NotNull(response.Headers.CacheControl);
        Assert.False(response.Headers.CacheControl.NoStore, response.Headers.CacheControl.ToString());
    }

    private static void AssertNoStore(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore == true,
            $"{response.RequestMessage?.RequestUri} answered Cache-Control: {response.Headers.CacheControl}");
    }

    [GeneratedRegex(@"href=""(?<path>app\.[a-z0-9]+\.css)""")]
    private static partial Regex FingerprintedStylesheet();
}
