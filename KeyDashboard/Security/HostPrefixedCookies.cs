using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Security;

/// <summary>
/// Gives every cookie the app sets (Identity's sign-in, two-factor and external-login cookies, and the antiforgery
/// cookie) a <see cref="HostPrefixedCookieBuilder"/> with the name and flags it was configured with. Runs after
/// the framework's own setup, once the names are filled in.
/// </summary>
public sealed class HostPrefixedCookies(IHttpContextAccessor http)
    : IPostConfigureOptions<CookieAuthenticationOptions>, IPostConfigureOptions<AntiforgeryOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options) => options.Cookie = HostPrefixed(options.Cookie);

    public void PostConfigure(string? name, AntiforgeryOptions options) => options.Cookie = HostPrefixed(options.Cookie);

    private HostPrefixedCookieBuilder HostPrefixed(CookieBuilder cookie) => cookie as HostPrefixedCookieBuilder ?? new(http)
    {
        Name = cookie.Name,
        Path = cookie.Path,
        Domain = cookie.Domain,
        HttpOnly = cookie.HttpOnly,
        SameSite = cookie.SameSite,
        SecurePolicy = cookie.SecurePolicy,
        MaxAge = cookie.MaxAge,
        IsEssential = cookie.IsEssential,
    };
}
