using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.StaticAssets;
using Scalar.AspNetCore;

namespace KeyDashboard.Security;

/// <summary>
/// The headers every response gets, set when it starts so that error pages and re-executed status pages get them too:
/// a Content-Security-Policy, <c>nosniff</c>, <c>Referrer-Policy: no-referrer</c>, and <c>Cache-Control: no-store</c>
/// on everything but the static assets (a page, an API answer or an invitation link may carry a secret; the assets
/// never do, and their fingerprinted names make long caching safe).
/// </summary>
public static class SecurityHeaders
{
    // The import map is the one inline script (Blazor's <ImportMap />); its content follows the fingerprinted asset
    // names, so its hash is taken from the endpoint's own definition (its ToString is the JSON the component writes).
    private static readonly ConditionalWeakTable<ImportMapDefinition, string> ScriptHashes = [];

    internal static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                Apply(context);
                return Task.CompletedTask;
            });
            return next(context);
        });

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        var endpoint = context.GetEndpoint();
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = ContentSecurityPolicy(context, endpoint?.Metadata.GetMetadata<ImportMapDefinition>());
        // frame-ancestors says the same to current browsers; antiforgery would otherwise send SAMEORIGIN.
        headers.XFrameOptions = "DENY";
        if (endpoint?.Metadata.GetMetadata<StaticAssetDescriptor>() is null)
            headers.CacheControl = "no-store";
    }

    /// <summary>
    /// Scripts only from the app, the hash of the page's import map, and on the API reference the nonce its page puts on
    /// its one inline script, fresh for each request. Styles allow <c>'unsafe-inline'</c>: MudBlazor
    /// themes through a rendered &lt;style&gt; element and sizes and places popovers, dialogs and grids with style
    /// attributes whose values change from render to render, which no list of hashes can keep up with; scripts, the
    /// part that could act as the user, stay locked. The circuit's WebSocket is named too, for browsers whose
    /// <c>'self'</c> does not cover ws: and wss:.
    /// </summary>
    private static string ContentSecurityPolicy(HttpContext context, ImportMapDefinition? importMap)
    {
        var request = context.Request;
        var scripts = "'self'";
        if (importMap is not null)
            scripts += $" '{ScriptHashes.GetValue(importMap, Hash)}'";
        if (context.Items[ScalarOptions.NonceHttpContextItemKey] is string nonce)
            scripts += $" 'nonce-{nonce}'";
        var webSocket = request.Host.HasValue ? $" {(request.IsHttps ? "wss" : "ws")}://{request.Host.ToUriComponent()}" : "";
        return $"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
               $"connect-src 'self'{webSocket}; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";
    }

    private static string Hash(ImportMapDefinition importMap) =>
        "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(importMap.ToString())));
}
