namespace KeyDashboard.Security;

/// <summary>
/// A cookie that, on a request over HTTPS, is named <c>__Host-</c> plus its name and is <c>Secure</c>, host-only and
/// for the whole site: a browser then refuses it from plain HTTP, from a sibling subdomain, or with a narrower
/// path, so nobody on the network or next door can plant or overwrite it. Over plain HTTP (development, a closed
/// network) it keeps its name, since browsers reject a <c>__Host-</c> cookie there.
/// </summary>
/// <remarks>
/// The name is decided per request because the same app may be reached over both schemes (HTTPS redirect, a
/// TLS-terminating proxy). Authentication and antiforgery read <see cref="CookieBuilder.Name"/> once per request,
/// which is why the request comes from the accessor. <see cref="HostPrefixedCookies"/> puts it on the app's cookies.
/// </remarks>
public sealed class HostPrefixedCookieBuilder(IHttpContextAccessor http) : CookieBuilder
{
    public const string Prefix = "__Host-";

    public override string? Name
    {
        get => base.Name is { } name && http.HttpContext?.Request.IsHttps == true ? Prefix + name : base.Name;
        set => base.Name = value;
    }

    public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
    {
        var options = base.Build(context, expiresFrom);
        if (context.Request.IsHttps)
        {
            options.Secure = true;
            options.Domain = null;
            options.Path = "/";
        }
        return options;
    }
}
