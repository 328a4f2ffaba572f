using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// An attacker's web site on another port of 127.0.0.1: same site as the dashboard (so a browser sends it the
/// dashboard's SameSite cookies), another origin. It serves one page at <c>/</c>.
/// </summary>
public sealed class AttackerSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AttackerSite(WebApplication app) => _app = app;

    /// <summary>The bound address, once started: Kestrel puts the port it chose in place of 0.</summary>
    public Uri BaseAddress => new(_app.Urls.Single());

    public static async Task<AttackerSite> StartAsync(string html)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapGet("/", () => Results.Content(html, "text/html"));
        // Blazor asks the page's own origin for its JavaScript initializers.
        app.MapGet("/_blazor/initializers", () => Results.Json(Array.Empty<string>()));
        await app.StartAsync();
        return new AttackerSite(app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
