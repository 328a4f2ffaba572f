namespace KeyDashboard.Security;

/// <summary>
/// Refuses with 403, before anything starts, every request to the circuit hub (<c>/_blazor</c> and below: the
/// negotiate POST, the WebSocket upgrade, long polling, server-sent events, disconnect) whose <c>Origin</c> is not
/// allowed. A page on another port of the same host is same-site, so the browser sends it the signed-in user's
/// cookie: without this check it could start a circuit as that user and drive the dashboard. Neither SignalR nor
/// <c>WebSocketOptions.AllowedOrigins</c> (upgrades only, a fixed list) covers the whole hub.
/// </summary>
public sealed class CircuitOriginCheck(RequestDelegate next, AllowedOrigins origins)
{
    /// <summary>Where Blazor maps its circuit hub (ComponentHub.DefaultPath, which is internal).</summary>
    public static readonly PathString HubPath = "/_blazor";

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(HubPath) || origins.Allows(context.Request, context.Request.Headers.Origin))
            return next(context);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("This origin may not open a dashboard session.");
    }
}
