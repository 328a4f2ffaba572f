using Microsoft.Extensions.Options;

namespace KeyDashboard.Email;

/// <summary>
/// The absolute links e-mails carry. <c>KeyDashboard:PublicUrl</c> when it is set, always: a link built from a
/// request's <c>Host</c> header would let anyone who sends a password-reset request with a forged host receive the
/// victim's token at their own site. Without it, the request's own address (the page or dialog that sends), and for
/// mail sent outside a request (the expiry digest, an API call) no link at all.
/// </summary>
public sealed class PublicLinks(IOptions<KeyDashboardOptions> options)
{
    /// <summary><paramref name="relativePath"/> (as <c>keys/abc</c>) under the public URL, or null when none is known.</summary>
    public Uri? To(string relativePath, string? requestBaseUri = null)
    {
        var configured = options.Value.PublicUrl;
        var baseUri = !string.IsNullOrWhiteSpace(configured) ? configured : requestBaseUri;
        if (baseUri is null || !Uri.TryCreate(baseUri.EndsWith('/') ? baseUri : baseUri + "/", UriKind.Absolute, out var root)) return null;
        return new Uri(root, relativePath.TrimStart('/'));
    }
}
