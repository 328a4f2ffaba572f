using System.Net;
using System.Net.WebSockets;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Security;

/// <summary>
/// A page of another origin (another port of the same host is enough) must not open a dashboard session: every request
/// to the circuit hub with a foreign <c>Origin</c> gets 403. The browser version of the attack is in
/// <c>Browser/CrossOriginCircuitTests</c>.
/// </summary>
public sealed class CircuitOriginTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    private const string Negotiate = "/_blazor/negotiate?negotiateVersion=1";

    public static TheoryData<string, string> HubRequests => new()
    {
        { "POST", Negotiate },
        { "GET", "/_blazor?id=some-connection-token" },
        { "POST", "/_blazor?id=some-connection-token" },
        { "POST", "/_blazor/disconnect" },
        { "GET", "/_blazor/initializers" },
    };

    [Theory]
    [MemberData(nameof(HubRequests))]
    public async Task A_hub_request_from_another_origin_is_refused_with_403(string method, string path)
    {
        foreach (var origin in new[] { "http://localhost:8081", "https://localhost", "http://evil.example", "null" })
        {
            var response = await SendAsync(method, path, origin);

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} from {origin} answered {(int)response.StatusCode}.");
        }
    }

    [Fact]
    public async Task Negotiating_from_the_dashboards_own_origin_or_without_an_origin_works()
    {
        foreach (var origin in new[] { "http://localhost", "http://LOCALHOST:80", null })
        {
            var response = await SendAsync("POST", Negotiate, origin);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("connectionToken", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Configured_allowed_origins_replace_the_requests_own()
    {
        await using var configured = new KeyDashboardFactory
        {
            Settings = new Dictionary<string, string> { ["KeyDashboard:AllowedOrigins:0"] = "https://keys.example.com" },
        };

        Assert.Equal(HttpStatusCode.OK, (await SendAsync("POST", Negotiate, "https://keys.example.com", configured)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync("POST", Negotiate, "http://localhost", configured)).StatusCode);
    }

    [Fact]
    public async Task A_websocket_upgrade_from_another_origin_is_refused_with_403_and_the_own_origin_connects()
    {
        await using var kestrel = new KeyDashboardFactory { OnKestrel = true };
        var hub = new UriBuilder(kestrel.BaseAddress) { Scheme = "ws", Path = "/_blazor" }.Uri;
        var ownOrigin = kestrel.BaseAddress.GetLeftPart(UriPartial.Authority);
        var otherPort = new UriBuilder(kestrel.BaseAddress) { Port = kestrel.BaseAddress.Port + 1 }.Uri.GetLeftPart(UriPartial.Authority);

        using var foreign = WebSocketFrom(otherPort);
        await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(hub, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.HttpStatusCode);

        using var own = WebSocketFrom(ownOrigin);
        await own.ConnectAsync(hub, CancellationToken.None);
        Assert.Equal(WebSocketState.Open, own.State);
    }

    private static ClientWebSocket WebSocketFrom(string origin)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", origin);
        return socket;
    }

    private Task<HttpResponseMessage> SendAsync(string method, string path, string? origin, KeyDashboardFactory? to = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (origin is not null) request.Headers.Add("Origin", origin);
        return (to ?? app).CreateClient().SendAsync(request);
    }
}
