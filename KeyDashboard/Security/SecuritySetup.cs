using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Security;

/// <summary>
/// The web hardening of the dashboard: the client's real address and scheme behind trusted proxies, HTTPS and
/// HSTS outside development, security headers and <c>no-store</c> on every response, <c>__Host-</c> cookies over
/// HTTPS, and no circuit for pages of another origin.
/// </summary>
public static class SecuritySetup
{
    /// <summary>Call after Identity and Razor components are added: the cookie setup builds on theirs.</summary>
    /// <exception cref="InvalidOperationException">An allowed origin or a trusted proxy in the configuration cannot be read.</exception>
    public static IServiceCollection AddWebSecurity(this IServiceCollection services, KeyDashboardOptions options)
    {
        var trusted = options.TrustedProxies.Select(ParseProxy).ToList();
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults trust loopback: only the configured proxies may say where a request came from.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var network in trusted) forwarded.KnownIPNetworks.Add(network);
            // A chain of trusted proxies is followed hop by hop until the first address that is not one of them.
            forwarded.ForwardLimit = null;
        });
        services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromDays(365));
        services.AddSingleton(new AllowedOrigins(options.AllowedOrigins));
        services.AddHttpContextAccessor();
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, HostPrefixedCookies>();
        services.AddSingleton<IPostConfigureOptions<AntiforgeryOptions>, HostPrefixedCookies>();
        return services;
    }

    /// <summary>First in the pipeline: everything after it sees the client's address and scheme, and every answer gets the headers.</summary>
    public static WebApplication UseWebSecurity(this WebApplication app)
    {
        // With no proxy listed the middleware would believe every client (it checks addresses only when some are
        // known), so it runs only when proxies are configured.
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value.KnownIPNetworks.Count > 0)
            app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            // Both act only when HTTPS is configured: the redirect needs an HTTPS port it can find, HSTS an HTTPS request.
            app.UseHttpsRedirection();
            app.UseHsts();
        }
        app.UseMiddleware<CircuitOriginCheck>();
        return app;
    }

    private static System.Net.IPNetwork ParseProxy(string proxy) =>
        System.Net.IPNetwork.TryParse(proxy, out var network) ? network
        : IPAddress.TryParse(proxy, out var address) ? new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8)
        : throw new InvalidOperationException(
            $"KeyDashboard:TrustedProxies: '{proxy}' is neither an IP address (10.0.0.5) nor a network (10.0.0.0/24).");
}
