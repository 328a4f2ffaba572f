using KeyDashboard.Keys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace KeyDashboard.Api;

/// <summary>
/// A key's <see cref="KeySummary.Version"/> over HTTP: the <c>ETag</c> of every single-key answer, and the
/// <c>If-Match</c> a rotation or an edit may send back so that it applies only to the key its caller saw.
/// </summary>
public static class KeyVersionHeaders
{
    public static string ETagOf(KeySummary key) => $"\"{key.Version:N}\"";

    /// <summary>Marks an endpoint that answers with the key's <c>ETag</c>; with <paramref name="takesIfMatch"/>, one that reads <c>If-Match</c>.</summary>
    public static RouteHandlerBuilder WithKeyVersion(this RouteHandlerBuilder endpoint, bool takesIfMatch = false) =>
        endpoint.WithMetadata(new KeyVersionMetadata(takesIfMatch));

    /// <summary>What the OpenAPI document reads to list the <c>ETag</c> and <c>If-Match</c> headers.</summary>
    public sealed record KeyVersionMetadata(bool TakesIfMatch);

    public static T WithETag<T>(this HttpResponse response, KeySummary key, T result)
    {
        response.Headers.ETag = ETagOf(key);
        return result;
    }

    /// <summary>
    /// The version <c>If-Match</c> names: null when it is absent or <c>*</c> (any current key). A tag that is not
    /// one of ours, or a weak one (never equal under If-Match's strong comparison), names a version no key has, so
    /// the change is refused as changed meanwhile. Several tags or an unreadable header are a 400.
    /// </summary>
    public static bool TryReadIfMatch(HttpRequest request, out Guid? version, out ValidationProblem? problem)
    {
        (version, problem) = (null, null);
        if (!request.Headers.ContainsKey(HeaderNames.IfMatch)) return true;
        if (!EntityTagHeaderValue.TryParseStrictList(request.Headers.IfMatch, out var tags) || tags.Count != 1)
        {
            problem = ApiProblems.Invalid("If-Match", "If-Match takes one ETag: the one from the key's last answer.");
            return false;
        }
        var tag = tags[0];
        if (tag.Equals(EntityTagHeaderValue.Any)) return true;
        version = !tag.IsWeak && Guid.TryParseExact(tag.Tag.AsSpan().Trim('"'), "N", out var parsed) ? parsed : Guid.Empty;
        return true;
    }
}
