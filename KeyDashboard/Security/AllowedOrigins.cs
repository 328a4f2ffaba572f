namespace KeyDashboard.Security;

/// <summary>
/// The origins whose pages may talk to the dashboard's circuit: the ones configured in
/// <c>KeyDashboard:AllowedOrigins</c>, or, when none are, the origin each request was itself sent to.
/// </summary>
public sealed class AllowedOrigins
{
    private readonly Uri[] _configured;

    /// <exception cref="InvalidOperationException">An entry is not an origin such as <c>https://keys.example.com</c>.</exception>
    public AllowedOrigins(IEnumerable<string> configured) =>
        _configured = configured.Select(origin => Parse(origin) ?? throw new InvalidOperationException(
            $"KeyDashboard:AllowedOrigins: '{origin}' is not an origin such as https://keys.example.com (a scheme, a host and an optional port, no path).")).ToArray();

    /// <summary>
    /// Whether a request with this <c>Origin</c> header may reach the circuit. No header passes: browsers send one with
    /// every WebSocket handshake and every cross-origin request that could use a negotiated connection, so a request
    /// without one comes from the dashboard's own pages or from no browser, and then carries no victim's cookie.
    /// </summary>
    public bool Allows(HttpRequest request, string? origin)
    {
        if (string.IsNullOrEmpty(origin)) return true;
        if (Parse(origin) is not { } sent) return false;
        if (_configured.Length > 0) return _configured.Any(allowed => SameOrigin(allowed, sent));
        return Parse($"{request.Scheme}://{request.Host.ToUriComponent()}") is { } own && SameOrigin(own, sent);
    }

    // Scheme, host and port, with the scheme's default port filled in: "https://a.example" is "https://a.example:443".
    private static Uri? Parse(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/"
        && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
            ? uri : null;

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && a.Port == b.Port && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase);
}
